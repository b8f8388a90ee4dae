import type { CliCommand } from '../command';
import { parseCli, showHelp, usageError } from '../command';
import type { CommandHelp } from '../help';
import { readInputFile } from './input-files';
import { KeyriteError } from '../../core/util/errors';
import { pemToSpki } from '../../core/token/verify';
import { canonicalName, dnskeyText, dsRecord, dsText, keyTag, type DnskeyRecord } from '../../core/dnssec/records';
import { dnskeyPublicKey, dnssecAlgorithmOfSpki } from '../../core/dnssec/rrsig';

const HELP: CommandHelp = {
  usage: ['dnskey PUBLIC_KEY_PEM --owner ZONE. [--ttl N] [--flags 257|256]'],
  description: [
    'Prints the DNSKEY record of a public key (a ceremony\'s public-key.pem), its key tag and its SHA-256 DS record, in zone-file text. Use it to write the KSK line of the DNSKEY RRset a sign-dnskey ceremony signs. The algorithm follows the key: RSA 8, EC P-256 13, EC P-384 14, Ed25519 15.',
    'Exit status: 0 printed, 2 unusable input.',
  ],
  options: [
    { name: '--owner ZONE.', text: 'the zone apex, absolute (ending in a dot)' },
    { name: '--ttl N', text: 'the DNSKEY RRset\'s TTL (default 3600)' },
    { name: '--flags F', text: '257 for a KSK (default), 256 for a ZSK' },
  ],
};

export const command: CliCommand = {
  name: 'dnskey',
  help: HELP,
  async run(argv, io) {
    const { values, positionals } = parseCli('dnskey', argv, { owner: { type: 'string' }, ttl: { type: 'string' }, flags: { type: 'string' } }, { allowPositionals: true });
    if (values.help) return showHelp(io, HELP);
    const file = positionals[0];
    if (!file || positionals.length > 1 || !values.owner) throw usageError('dnskey', 'Give one public key file and --owner.', 'keyrite dnskey public-key.pem --owner example.com.');
    const ttl = Number(values.ttl ?? '3600');
    const flags = Number(values.flags ?? '257');
    if (!values.owner.endsWith('.') || values.owner.includes('\\')) throw new KeyriteError('USAGE', `--owner ${values.owner} is not an absolute name.`, { action: 'Give the zone apex ending in a dot, e.g. --owner example.com.' });
    if (!Number.isInteger(ttl) || ttl < 0 || ttl > 0x7fffffff) throw new KeyriteError('USAGE', `--ttl ${values.ttl} is not a TTL.`, { action: 'Give seconds, e.g. --ttl 3600.' });
    if (flags !== 257 && flags !== 256) throw new KeyriteError('USAGE', `--flags ${values.flags} is neither 257 (KSK) nor 256 (ZSK).`, { action: 'Give --flags 257 or 256.' });
    const pem = readInputFile(file, 'public key').toString('utf8');
    let spki: Uint8Array;
    try {
      spki = pemToSpki(pem);
    } catch (e) {
      throw new KeyriteError('INPUT_PUBLIC_KEY_INVALID', `${file} is not a PEM public key: ${(e as Error).message}`, { action: 'Give the public-key.pem the ceremony exported.' });
    }
    let algorithm;
    try {
      algorithm = dnssecAlgorithmOfSpki(spki);
    } catch (e) {
      // A key DNSSEC cannot use is unusable input here (exit 2), as a file that is not a key.
      if (e instanceof KeyriteError) throw new KeyriteError(`INPUT_${e.code}`, e.message, { action: e.action ?? 'Give an RSA, EC P-256, EC P-384 or Ed25519 public key.' });
      throw e;
    }
    const r: DnskeyRecord = { owner: canonicalName(values.owner), ttl, flags, protocol: 3, algorithm, publicKey: dnskeyPublicKey(spki, algorithm) };
    io.stdout.write(`; key tag ${keyTag(r)}, algorithm ${algorithm}, flags ${flags}\n${dnskeyText(r)}\n${dsText(dsRecord(r))}\n`);
    return 0;
  },
};
