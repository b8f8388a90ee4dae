/** The script's token sections (token, targetToken, otherTokens): a token by PKCS#11 URI or by module plus label/serial. */
import { z } from 'zod';
import { parsePkcs11Uri, type Pkcs11Uri } from '../../token/pkcs11-uri';

/** URI path attributes a script may name a token by; the rest name objects, slots or libraries. */
const TOKEN_URI_ATTRIBUTES = ['token', 'serial', 'manufacturer', 'model'];

/**
 * A token: by PKCS#11 URI (RFC 7512: `pkcs11:token=LABEL;serial=S?module-path=/lib.so`), or by
 * `module` plus label or serial. Either way the result carries module, label and serial.
 */
export const tokenSelectionSchema = z.strictObject({
  /** A PKCS#11 URI naming the token; module-path (or module-name=softhsm) gives the module unless `module` does. */
  uri: z.string().min(1).optional(),
  /** A module path, or `softhsm` for the platform's SoftHSM2 (rehearsals). */
  module: z.string().min(1).optional(),
  label: z.string().min(1).max(32).optional(),
  serial: z.string().min(1).max(16).optional(),
}).superRefine((t, ctx) => {
  if (t.uri === undefined) {
    if (t.module === undefined) ctx.addIssue({ code: 'custom', path: ['module'], message: 'name the token\'s module (a path, or softhsm), or the token by uri' });
    if (t.label === undefined && t.serial === undefined) ctx.addIssue({ code: 'custom', message: 'give the token label or serial (slot ids change)' });
    return;
  }
  const problem = tokenUriProblem(t.uri, t.module);
  if (problem) ctx.addIssue({ code: 'custom', path: ['uri'], message: problem });
  if (t.label !== undefined || t.serial !== undefined) ctx.addIssue({ code: 'custom', path: ['uri'], message: 'name the token by uri or by label/serial, not both (put them in the uri: token=LABEL;serial=SERIAL)' });
}).transform((t) => {
  if (t.uri === undefined) return { module: t.module!, ...(t.label !== undefined ? { label: t.label } : {}), ...(t.serial !== undefined ? { serial: t.serial } : {}) };
  const u = parsePkcs11Uri(t.uri);
  return { module: t.module ?? uriModule(u)!, ...(u.path.token !== undefined ? { label: u.path.token } : {}), ...(u.path.serial !== undefined ? { serial: u.path.serial } : {}), uri: t.uri };
});

/** The module a token URI names: module-path as is; module-name softhsm/softhsm2 means the platform's SoftHSM2. */
function uriModule(u: Pkcs11Uri): string | undefined {
  if (u.query['module-path'] !== undefined) return u.query['module-path'];
  const name = u.query['module-name']?.toLowerCase();
  return name === 'softhsm' || name === 'softhsm2' ? 'softhsm' : undefined;
}

function tokenUriProblem(uri: string, module: string | undefined): string | undefined {
  let u: Pkcs11Uri;
  try {
    u = parsePkcs11Uri(uri);
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
  const other = Object.keys(u.path).filter((k) => !TOKEN_URI_ATTRIBUTES.includes(k));
  if (other.length > 0) return `the uri names a token, so it may carry only ${TOKEN_URI_ATTRIBUTES.join(', ')} (not ${other.join(', ')})`;
  if (u.path.token === undefined && u.path.serial === undefined) return 'the uri must give token=LABEL or serial=SERIAL (slot ids change)';
  if ((u.path.token?.length ?? 0) > 32 || (u.path.serial?.length ?? 0) > 16) return 'a token label is at most 32 characters and a serial at most 16';
  if (u.query['pin-value'] !== undefined) return 'a PIN does not belong in a script: remove pin-value (the PIN is typed by its holder, or read from --pin-source)';
  if (u.query['pin-source'] !== undefined) return 'pin-source does not belong in a script: name it on the command line (--pin-source)';
  if (module === undefined && uriModule(u) === undefined) {
    return u.query['module-name'] !== undefined ? `module-name "${u.query['module-name']}" is not one Keyrite knows: give module-path=/path/to/module.so` : 'the uri names no module: add ?module-path=/path/to/module.so (or module-name=softhsm), or give module';
  }
  if (module !== undefined && uriModule(u) !== undefined && uriModule(u) !== module) return `the uri's module (${uriModule(u)}) is not the module given (${module})`;
  return undefined;
}

export type TokenSelection = z.infer<typeof tokenSelectionSchema>;
