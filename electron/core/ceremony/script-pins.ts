/**
 * PINs never travel in a script: a script is shared, printed, hashed into the transcript and kept
 * for years. A script that carries one (a `pin` key anywhere, or a PKCS#11 URI with pin-value) is
 * refused before anything else reads it, naming the line and never echoing the PIN.
 */
import { KeyriteError } from '../util/errors';
import { formatPath, locate, renderIssues, type ParsedYaml, type SourceIssue } from './yaml-source';

/** Keys that hold a PIN or passphrase for a token: pin, userPin, so-pin, pinValue, pin_code, ... */
const PIN_KEY = /^(user|so)?[-_]?pin([-_]?(value|code))?$/i;
const URI_PIN = /^pkcs11:.*[?&]pin-value=/i;

function walk(value: unknown, path: (string | number)[], found: (string | number)[][]): void {
  if (Array.isArray(value)) {
    value.forEach((v, i) => walk(v, [...path, i], found));
  } else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (PIN_KEY.test(k)) found.push([...path, k]);
      else walk(v, [...path, k], found);
    }
  } else if (typeof value === 'string' && URI_PIN.test(value.trim())) {
    found.push(path);
  }
}

/** Every place the parsed script carries a PIN, located by YAML path and line. */
export function pinIssues(source: ParsedYaml): SourceIssue[] {
  const found: (string | number)[][] = [];
  walk(source.value, [], found);
  return found.map((path) => ({
    path: formatPath(path),
    ...locate(source, path),
    message: typeof path[path.length - 1] === 'string' && PIN_KEY.test(String(path[path.length - 1])) ? 'a PIN is written here' : 'this PKCS#11 URI carries a pin-value',
    code: 'PIN_IN_SCRIPT',
  }));
}

/** Refuses a script carrying a PIN (SCRIPT_CARRIES_PIN), naming each line; the PIN itself is never shown. */
export function assertNoPins(source: ParsedYaml): void {
  const issues = pinIssues(source);
  if (issues.length === 0) return;
  throw new KeyriteError('SCRIPT_CARRIES_PIN', `The ceremony script carries a PIN, which a script must never hold:\n${renderIssues(issues, source.file)}`, {
    action: 'Remove the PIN from the script (and treat it as exposed: change it on the token). The PIN is typed by its holder when asked, or read from a file named on the command line (--pin-source file:PATH).',
    details: { file: source.file, issues },
  });
}
