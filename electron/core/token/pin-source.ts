/**
 * Where a PIN comes from when it is not typed at the prompt: named on the command line
 * (`--pin-source file:/path`, RFC 7512's pin-source form), never in a script or transcript.
 */
import { statSync } from 'node:fs';
import { KeyriteError } from '../util/errors';
import { readSecretFile } from '../shares/cli-input';

export type PinSource = { kind: 'file'; path: string } | { kind: 'prompt' };

const USAGE = 'Give --pin-source file:/path/to/pin (a file only you can read, chmod 600) or --pin-source prompt.';

/** Parses `file:PATH`, `file:///PATH` or `prompt`; anything else (e.g. `|command`) is refused. */
export function parsePinSource(text: string): PinSource {
  if (text === 'prompt') return { kind: 'prompt' };
  const m = /^file:(?:\/\/)?(.+)$/.exec(text);
  if (m) return { kind: 'file', path: decodeURIComponent(m[1]!) };
  throw new KeyriteError('USAGE_PIN_SOURCE', `"${text}" is not a PIN source Keyrite reads.`, { action: USAGE });
}

/**
 * Reads the PIN from a file. A file others can read is refused: a PIN in such a file is a PIN
 * anyone on the machine has (like ssh's check on private key files).
 */
export async function readPinFile(file: string): Promise<string> {
  let mode: number;
  try {
    mode = statSync(file).mode;
  } catch (e) {
    throw new KeyriteError('PIN_SOURCE_UNREADABLE', `Cannot read the PIN file ${file}: ${(e as Error).message}`, { action: USAGE });
  }
  if ((mode & 0o077) !== 0) {
    throw new KeyriteError('PIN_SOURCE_EXPOSED', `The PIN file ${file} can be read by others (mode ${(mode & 0o777).toString(8)}).`, { action: `Run chmod 600 ${file} (and change the PIN if others may have read it), then try again.` });
  }
  const pin = await readSecretFile(file, 'PIN file');
  if (pin.length === 0 || pin.includes('\n')) throw new KeyriteError('PIN_SOURCE_INVALID', `The PIN file ${file} must hold the PIN on one line.`, { action: USAGE });
  return pin;
}
