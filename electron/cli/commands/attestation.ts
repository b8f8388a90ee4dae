import type { CliCommand } from '../command';
import { parseCli, showHelp, subcommand, usageError } from '../command';
import type { CommandHelp } from '../help';
import { readInputFile } from './input-files';
import { isKeyriteError } from '../../core/util/errors';
import { certPemOf, verifyPivAttestation, type AttestationResult } from '../../core/attestation/verify-piv';
import { shippedRootPath } from '../../core/attestation/roots';

const HELP: CommandHelp = {
  usage: ['attestation verify --key-cert FILE --device-cert FILE [--public-key FILE] [--json]'],
  description: [
    'Checks a YubiKey PIV key-generation attestation without trusting Keyrite\'s word for it: the slot\'s attestation certificate (yubico-piv-tool -a attest -s 9c) must be signed by the device\'s attestation certificate (slot f9), which must be signed by Yubico\'s PIV root CA shipped with Keyrite (resources/attestation/). With --public-key, the attested key must be that key (the ceremony\'s public-key.pem). Prints the YubiKey\'s serial, firmware, PIN and touch policy, form factor, and any published advisory for that firmware.',
    'Exit status: 0 verified, 1 refused (the link that failed is named), 2 unusable input.',
  ],
  options: [
    { name: '--key-cert FILE', text: 'the slot\'s attestation certificate (PEM or DER)' },
    { name: '--device-cert FILE', text: 'the device\'s attestation certificate, slot f9 (PEM or DER)' },
    { name: '--public-key FILE', text: 'the key the ceremony generated (PEM SubjectPublicKeyInfo)' },
    { name: '--json', text: 'print the result as JSON' },
  ],
};

function readInput(file: string, what: string): Uint8Array {
  return new Uint8Array(readInputFile(file, what));
}

export function describeAttestation(r: AttestationResult): string[] {
  const out = [
    `YubiKey     serial ${r.serial ?? '(not recorded)'}, firmware ${r.firmware ?? '(not recorded)'}${r.formFactor ? `, ${r.formFactor}` : ''}${r.certifiedSeries ? ` (${r.certifiedSeries})` : ''}`,
    `Key         slot ${r.slot ?? '?'}, ${r.publicKey.type}, PIN policy ${r.pinPolicy ?? '?'}, touch policy ${r.touchPolicy ?? '?'}`,
    `  SHA-256 of public key: ${r.publicKey.sha256}${r.publicKeyMatched ? '  (equals the given public key)' : ''}`,
    `Chain       ${r.keyCert.subject} <- ${r.deviceCert.subject} <- ${r.root.subject}`,
  ];
  for (const a of r.advisories) out.push(`ADVISORY    ${a.id}: ${a.summary}`);
  return out;
}

async function verify(argv: string[], io: Parameters<CliCommand['run']>[1]): Promise<number> {
  const { values } = parseCli('attestation', argv, {
    'key-cert': { type: 'string' }, 'device-cert': { type: 'string' }, 'public-key': { type: 'string' }, json: { type: 'boolean' },
  });
  if (values.help) return showHelp(io, HELP);
  if (!values['key-cert'] || !values['device-cert']) throw usageError('attestation', 'Give both --key-cert and --device-cert.');
  const keyCertPem = certPemOf(readInput(values['key-cert'], 'key attestation certificate'));
  const deviceCertPem = certPemOf(readInput(values['device-cert'], 'device attestation certificate'));
  const publicKey = values['public-key'] ? Buffer.from(readInput(values['public-key'], 'public key')).toString('utf8') : undefined;
  try {
    const r = await verifyPivAttestation({ keyCertPem, deviceCertPem, ...(publicKey !== undefined ? { publicKey } : {}) });
    if (values.json) io.stdout.write(JSON.stringify(r, null, 2) + '\n');
    else io.stdout.write([`Result      VERIFIED: generated on a YubiKey (chain to ${shippedRootPath('yubico-piv')})`, ...describeAttestation(r)].join('\n') + '\n');
    return 0;
  } catch (e) {
    if (!values.json || !isKeyriteError(e)) throw e;
    io.stdout.write(JSON.stringify({ verified: false, error: e.toData() }, null, 2) + '\n');
    return e.code.startsWith('INPUT') ? 2 : 1;
  }
}

export const command: CliCommand = {
  name: 'attestation',
  help: HELP,
  async run(argv, io) {
    const { sub, rest, bare } = subcommand('attestation', argv, ['verify']);
    if (sub === 'help') return showHelp(io, HELP, bare ? 2 : 0);
    return verify(rest, io);
  },
};
