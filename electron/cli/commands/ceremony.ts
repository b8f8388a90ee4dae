import path from 'node:path';
import { parseCli, showHelp, subcommand, usageError, type CliCommand, type CliIo } from '../command';
import { KeyriteError } from '../../core/util/errors';
import type { KeyAlgorithm, SessionId, TokenApi } from '../../core/token/types';
import { assertScriptWithinPolicy, loadPolicyFile, loadScriptFile } from '../../core/ceremony/load';
import { defaultPolicyPath } from '../../core/ceremony/paths';
import { HELP } from './ceremony-help';

async function check(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCli('ceremony', argv, { policy: { type: 'string' } }, { allowPositionals: true });
  if (values.help) return showHelp(io, HELP);
  const file = positionals[0];
  if (!file || positionals.length > 1) throw usageError('ceremony', 'Give exactly one script to check.');
  const policyFile = values.policy ?? defaultPolicyPath();
  const { policy } = loadPolicyFile(policyFile);
  const loaded = loadScriptFile(file);
  assertScriptWithinPolicy(loaded, policy);
  const s = loaded.script;
  io.stdout.write(`${file}: OK — ${s.type} "${s.title}" (${s.steps.length} steps, key class ${s.key.class}) is within policy ${policy.name}.\n`);
  return 0;
}

async function witnessKey(argv: string[], io: CliIo): Promise<number> {
  const { values } = parseCli('ceremony', argv, { name: { type: 'string' }, out: { type: 'string' }, token: { type: 'string' }, module: { type: 'string' }, 'pin-file': { type: 'string' } });
  if (values.help) return showHelp(io, HELP);
  if (!values.name || (!values.out === !values.token)) throw usageError('ceremony', 'Give the witness\'s --name and either the key file to write (--out) or their token (--token).');
  if ((values.module || values['pin-file']) && !values.token) throw usageError('ceremony', '--module and --pin-file go with --token.');
  const { witnessKeyName } = await import('../../core/ceremony/witness-keys');
  if (values.token) {
    const { verifierKey, label, algorithm, created } = await witnessTokenKey({ name: values.name, token: values.token, io, ...(values.module ? { module: values.module } : {}), ...(values['pin-file'] ? { pinFile: values['pin-file'] } : {}) });
    io.stdout.write(`${created ? 'Made' : 'Found (reused)'} ${values.name}'s cosigning key "${label}" (${algorithm}, sign-only, never leaves the token) on token ${values.token}.\n`
      + `Verifier key, for the script's participants entry (key:):\n${verifierKey}\n`);
    return 0;
  }
  const { generateWitnessKey } = await import('../../core/transcript/note-keys');
  const { writeFileAtomic } = await import('../../core/util/fs-durable');
  const { signerKey, verifierKey } = generateWitnessKey(witnessKeyName(values.name));
  await writeFileAtomic(path.resolve(values.out!), `${signerKey}\n`, { overwrite: false, mode: 0o600 });
  io.stdout.write(`Signer key for ${values.name} written to ${values.out} (keep it secret; it is asked for at the seal).\nVerifier key, for the script's participants entry (key:):\n${verifierKey}\n`);
  return 0;
}

/**
 * The witness's cosigning key on their own token (made, or reused when one labelled for them is
 * there), through the module given or the platform's SoftHSM2. The PIN is read from the file or
 * asked hidden, used for this one login.
 */
export async function witnessTokenKey(o: { name: string; token: string; module?: string; pinFile?: string; io: CliIo; env?: Record<string, string> }) {
  const { ensureWitnessTokenKey } = await import('../../core/ceremony/witness-keys');
  return onToken(o, (api, session, offered) => ensureWitnessTokenKey(api, session, o.name, offered));
}

async function custodianKey(argv: string[], io: CliIo): Promise<number> {
  const { values } = parseCli('ceremony', argv, { name: { type: 'string' }, token: { type: 'string' }, module: { type: 'string' }, algorithm: { type: 'string' }, 'pin-file': { type: 'string' } });
  if (values.help) return showHelp(io, HELP);
  if (!values.name || !values.token) throw usageError('ceremony', 'Give the custodian\'s --name and their token\'s --token label.');
  const { CUSTODIAN_KEY_ALGORITHMS, ensureCustodianTokenKey, recipientYaml } = await import('../../core/ceremony/custodian-keys');
  const algorithm = values.algorithm as KeyAlgorithm | undefined;
  if (algorithm !== undefined && !CUSTODIAN_KEY_ALGORITHMS.includes(algorithm)) {
    throw usageError('ceremony', `--algorithm must be one of ${CUSTODIAN_KEY_ALGORITHMS.join(', ')}.`);
  }
  const key = await onToken({ token: values.token, io, ...(values.module ? { module: values.module } : {}), ...(values['pin-file'] ? { pinFile: values['pin-file'] } : {}) },
    (api, session, offered) => ensureCustodianTokenKey(api, session, values.name!, offered, algorithm));
  io.stdout.write(`${key.created ? 'Made' : 'Found (reused)'} ${values.name}'s share key "${key.label}" (decrypt-only, never leaves the token) on token ${values.token}.\n`
    + `Fingerprint (SHA-256 of the public key): ${key.spkiSha256}\nRead aloud: ${key.words}\n`
    + `For the script, under backup.custodians:\n${recipientYaml(values.name, key, values.token)}`);
  return 0;
}

/** One login on the token labelled `o.token` (through the module given, else SoftHSM2); the PIN from the file or asked hidden. */
async function onToken<T>(o: { token: string; module?: string; pinFile?: string; io: CliIo; env?: Record<string, string> }, fn: (api: TokenApi, session: SessionId, offered: KeyAlgorithm[]) => Promise<T>): Promise<T> {
  const { resolveModulePath } = await import('../../core/ceremony/run-token');
  const { createTokenClient } = await import('../../core/token/client');
  const { prompt, readSecretFile } = await import('../../core/shares/cli-input');
  const pin = o.pinFile ? await readSecretFile(o.pinFile, 'PIN file') : await prompt(o.io, `PIN of token ${o.token}: `, { hidden: true });
  const client = createTokenClient({ modulePath: resolveModulePath(o.module ?? 'softhsm'), ...(o.env ? { env: o.env } : {}) });
  try {
    const slot = (await client.listSlots()).find((s) => s.token?.label === o.token);
    if (!slot?.token) throw new KeyriteError('TOKEN_NOT_FOUND', `No token labelled "${o.token}" is present.`, { action: 'Connect the token (or give its module with --module), then run the command again.' });
    const session = await client.openSession({ label: o.token }, { pin });
    try {
      return await fn(client, session, slot.token.algorithms);
    } finally {
      await client.closeSession(session).catch(() => undefined);
    }
  } finally {
    await client.close();
  }
}

export const command: CliCommand = {
  name: 'ceremony',
  help: HELP,
  async run(argv, io) {
    const { sub, rest, bare } = subcommand('ceremony', argv, ['check', 'run', 'witness-key', 'custodian-key']);
    if (sub === 'help') return showHelp(io, HELP, bare ? 2 : 0);
    if (sub === 'check') return check(rest, io);
    if (sub === 'run') {
      const { runCommand } = await import('./ceremony-run');
      return runCommand(rest, io);
    }
    if (sub === 'witness-key') return witnessKey(rest, io);
    return custodianKey(rest, io);
  },
};
