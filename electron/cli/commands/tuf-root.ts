import { readFileSync, writeFileSync } from 'node:fs';
import type { CliCommand } from '../command';
import { parseCli } from '../command';
import { KeyriteError } from '../../core/util/errors';
import { pemToSpki } from '../../core/token/verify';
import { draftRoot } from '../../core/tuf/draft';
import { tufKeyFromSpki } from '../../core/tuf';

const HELP = `keyrite tuf-root key PUBLIC_KEY_PEM
keyrite tuf-root draft [--previous ROOT_JSON] --root-key PUBLIC_KEY_PEM... [--threshold N] [--expires TIME] [--out FILE]

key     prints the TUF key entry and keyid of a public key (a ceremony's public-key.pem), as
        securesystemslib writes it: ECDSA P-256/P-384, RSA (rsassa-pss-sha256) or Ed25519.
draft   writes an unsigned root.json for a sign-tuf-root ceremony: with --previous, its next version
        with the keys added to the root role; without, a first root (version 1) whose four roles
        list the keys. Rehearsals use it to put the rehearsal key in a root.

  --previous FILE     the latest root.json clients trust
  --root-key FILE     a public key (PEM) to add to the root role; repeatable
  --threshold N       the root role's threshold (default: the previous root's, or 1)
  --expires TIME      e.g. 2027-12-01T00:00:00Z (default: a year from now)
  --out FILE          where to write it (default: standard output)

Exit status: 0 written, 2 unusable input.
`;

function readKey(file: string): Uint8Array {
  try {
    return pemToSpki(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new KeyriteError('INPUT_PUBLIC_KEY_INVALID', `${file} is not a readable PEM public key: ${(e as Error).message}`, { action: 'Give the public-key.pem the ceremony exported.' });
  }
}

function readInput(file: string): Buffer {
  try {
    return readFileSync(file);
  } catch (e) {
    throw new KeyriteError('INPUT_FILE_UNREADABLE', `Cannot read ${file}: ${(e as Error).message}`, { action: 'Check the path.' });
  }
}

export const command: CliCommand = {
  name: 'tuf-root',
  help: HELP,
  async run(argv, io) {
    const { values, positionals } = parseCli(argv, {
      previous: { type: 'string' }, 'root-key': { type: 'string', multiple: true }, threshold: { type: 'string' }, expires: { type: 'string' }, out: { type: 'string' },
    }, { allowPositionals: true });
    if (values.help) { io.stdout.write(HELP); return 0; }
    const [sub, ...rest] = positionals;
    if (sub === 'key' && rest.length === 1) {
      const { keyid, key } = tufKeyFromSpki(readKey(rest[0]!));
      io.stdout.write(`${JSON.stringify({ [keyid]: key }, null, 2)}\n`);
      return 0;
    }
    if (sub !== 'draft' || rest.length > 0) throw new KeyriteError('USAGE', 'Give "key PUBLIC_KEY_PEM" or "draft" and its options.', { action: 'keyrite tuf-root --help' });
    const threshold = values.threshold === undefined ? undefined : Number(values.threshold);
    if (threshold !== undefined && (!Number.isInteger(threshold) || threshold < 1)) throw new KeyriteError('USAGE', `--threshold ${values.threshold} is not a positive integer.`, { action: 'Give e.g. --threshold 2.' });
    const expires = values.expires === undefined ? undefined : new Date(values.expires);
    if (expires && Number.isNaN(expires.getTime())) throw new KeyriteError('USAGE', `--expires ${values.expires} is not a time.`, { action: 'Give e.g. --expires 2027-12-01T00:00:00Z.' });
    const text = draftRoot({
      rootKeys: (values['root-key'] ?? []).map(readKey), now: new Date(),
      ...(values.previous ? { previous: readInput(values.previous) } : {}), ...(threshold ? { threshold } : {}), ...(expires ? { expires } : {}),
    });
    if (values.out) writeFileSync(values.out, text);
    else io.stdout.write(text);
    return 0;
  },
};
