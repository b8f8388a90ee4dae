import { writeFileSync } from 'node:fs';
import type { CliCommand } from '../command';
import { parseCli, showHelp, usageError } from '../command';
import type { CommandHelp } from '../help';
import { readInputFile } from './input-files';
import { KeyriteError } from '../../core/util/errors';
import { pemToSpki } from '../../core/token/verify';
import { draftRoot } from '../../core/tuf/draft';
import { tufKeyFromSpki } from '../../core/tuf';

const HELP: CommandHelp = {
  usage: ['tuf-root key PUBLIC_KEY_PEM', 'tuf-root draft [--previous ROOT_JSON] --root-key PUBLIC_KEY_PEM... [--threshold N] [--expires TIME] [--out FILE]'],
  description: [
    'key: prints the TUF key entry and keyid of a public key (a ceremony\'s public-key.pem), as securesystemslib writes it: ECDSA P-256/P-384, RSA (rsassa-pss-sha256) or Ed25519.',
    'draft: writes an unsigned root.json for a sign-tuf-root ceremony: with --previous, its next version with the keys added to the root role; without, a first root (version 1) whose four roles list the keys. Rehearsals use it to put the rehearsal key in a root.',
    'Exit status: 0 written, 2 unusable input.',
  ],
  options: [
    { name: '--previous FILE', text: 'the latest root.json clients trust' },
    { name: '--root-key FILE', text: 'a public key (PEM) to add to the root role; repeatable' },
    { name: '--threshold N', text: 'the root role\'s threshold (default: the previous root\'s, or 1)' },
    { name: '--expires TIME', text: 'e.g. 2027-12-01T00:00:00Z (default: a year from now)' },
    { name: '--out FILE', text: 'where to write it (default: standard output)' },
  ],
};

function readKey(file: string): Uint8Array {
  const pem = readInputFile(file, 'public key').toString('utf8');
  try {
    return pemToSpki(pem);
  } catch (e) {
    throw new KeyriteError('INPUT_PUBLIC_KEY_INVALID', `${file} is not a readable PEM public key: ${(e as Error).message}`, { action: 'Give the public-key.pem the ceremony exported.' });
  }
}

export const command: CliCommand = {
  name: 'tuf-root',
  help: HELP,
  async run(argv, io) {
    const { values, positionals } = parseCli('tuf-root', argv, {
      previous: { type: 'string' }, 'root-key': { type: 'string', multiple: true }, threshold: { type: 'string' }, expires: { type: 'string' }, out: { type: 'string' },
    }, { allowPositionals: true });
    if (values.help) return showHelp(io, HELP);
    const [sub, ...rest] = positionals;
    if (sub === 'key' && rest.length === 1) {
      const { keyid, key } = tufKeyFromSpki(readKey(rest[0]!));
      io.stdout.write(`${JSON.stringify({ [keyid]: key }, null, 2)}\n`);
      return 0;
    }
    if (sub !== 'draft' || rest.length > 0) throw usageError('tuf-root', 'Give "key PUBLIC_KEY_PEM" or "draft" and its options.');
    const threshold = values.threshold === undefined ? undefined : Number(values.threshold);
    if (threshold !== undefined && (!Number.isInteger(threshold) || threshold < 1)) throw new KeyriteError('USAGE', `--threshold ${values.threshold} is not a positive integer.`, { action: 'Give e.g. --threshold 2.' });
    const expires = values.expires === undefined ? undefined : new Date(values.expires);
    if (expires && Number.isNaN(expires.getTime())) throw new KeyriteError('USAGE', `--expires ${values.expires} is not a time.`, { action: 'Give e.g. --expires 2027-12-01T00:00:00Z.' });
    const text = draftRoot({
      rootKeys: (values['root-key'] ?? []).map(readKey), now: new Date(),
      ...(values.previous ? { previous: readInputFile(values.previous, 'previous root') } : {}), ...(threshold ? { threshold } : {}), ...(expires ? { expires } : {}),
    });
    if (values.out) writeFileSync(values.out, text);
    else io.stdout.write(text);
    return 0;
  },
};
