import path from 'node:path';
import { parseCli, type CliCommand, type CliIo } from '../command';
import { KeyriteError } from '../../core/util/errors';
import { assertScriptWithinPolicy, loadPolicyFile, loadScriptFile } from '../../core/ceremony/load';
import { defaultPolicyPath } from '../../core/ceremony/paths';

const HELP = `keyrite ceremony — check or run a ceremony script

  keyrite ceremony check SCRIPT [--policy FILE]
      Validate the script (schema, consistency) and check it against the policy
      (default: resources/policy/default.yaml). Exit 0 if it may run, 1 if refused.

  keyrite ceremony run SCRIPT --out DIR [--policy FILE] [--inputs FILE] [--rehearsal] [--from DIR] [--custody-dir DIR]
      Run the ceremony headlessly. PINs, attestations and share inputs come from the inputs file
      or TTY prompts. --rehearsal provisions a SoftHSM2 token in DIR/token and reads the
      template's rehearsal inputs (<script>.rehearsal.yaml) when --inputs is not given.
      --from DIR: the folder of a previous run whose key (and token) this ceremony uses.
      Running again with the same --out resumes an interrupted run from its journal.
      Custodians with delivery file or token get their share as an encrypted file, written to
      --custody-dir DIR (default DIR/custody) and opened again at once to prove it works: file
      asks the custodian's passphrase (hidden; rehearsals: sharePassphrases in the inputs file),
      token opens it on the custodian's token (its PIN from pins by token label, else asked).
      Witnesses whose key the script records cosign the final checkpoint: the inputs file's
      witnessKeys gives each one's signer key file (a path), else it is asked on the TTY.
      The per-ceremony transcript key file is destroyed at the handover to a token key (tokens
      with Ed25519) or at the seal: the sealed folder holds no secret.

  keyrite ceremony witness-key --name NAME --out FILE
      Make a witness's Ed25519 cosigning key: the signer key goes to FILE (mode 0600, never
      replaced; keep it on the witness's own medium), the verifier key is printed for the
      script (participants: - { name: NAME, role: witness, key: <printed key> }).
`;


async function check(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCli(argv, { policy: { type: 'string' } }, { allowPositionals: true });
  if (values.help) { io.stdout.write(HELP); return 0; }
  const file = positionals[0];
  if (!file || positionals.length > 1) throw new KeyriteError('USAGE', 'Give exactly one script to check.', { action: 'keyrite ceremony check SCRIPT [--policy FILE]' });
  const policyFile = values.policy ?? defaultPolicyPath();
  const { policy } = loadPolicyFile(policyFile);
  const loaded = loadScriptFile(file);
  assertScriptWithinPolicy(loaded, policy);
  const s = loaded.script;
  io.stdout.write(`${file}: OK — ${s.type} "${s.title}" (${s.steps.length} steps, key class ${s.key.class}) is within policy ${policy.name}.\n`);
  return 0;
}

async function witnessKey(argv: string[], io: CliIo): Promise<number> {
  const { values } = parseCli(argv, { name: { type: 'string' }, out: { type: 'string' } });
  if (values.help) { io.stdout.write(HELP); return 0; }
  if (!values.name || !values.out) throw new KeyriteError('USAGE', 'Give the witness\'s --name and the key file to write (--out).', { action: 'keyrite ceremony witness-key --name NAME --out FILE' });
  const { generateNoteKey } = await import('../../core/transcript/note-keys');
  const { witnessKeyName } = await import('../../core/ceremony/witness-keys');
  const { writeFileAtomic } = await import('../../core/util/fs-durable');
  const { signerKey, verifierKey } = generateNoteKey(witnessKeyName(values.name));
  await writeFileAtomic(path.resolve(values.out), `${signerKey}\n`, { overwrite: false, mode: 0o600 });
  io.stdout.write(`Signer key for ${values.name} written to ${values.out} (keep it secret; it is asked for at the seal).\nVerifier key, for the script's participants entry (key:):\n${verifierKey}\n`);
  return 0;
}

export const command: CliCommand = {
  name: 'ceremony',
  help: HELP,
  async run(argv, io) {
    const [sub, ...rest] = argv;
    if (sub === 'check') return check(rest, io);
    if (sub === 'run') {
      const { runCommand } = await import('../../core/ceremony/headless');
      return runCommand(rest, io);
    }
    if (sub === 'witness-key') return witnessKey(rest, io);
    if (sub === '--help' || sub === '-h' || sub === undefined) { io.stdout.write(HELP); return sub === undefined ? 2 : 0; }
    throw new KeyriteError('USAGE', `Unknown subcommand "${sub}".`, { action: 'Use `keyrite ceremony check`, `keyrite ceremony run` or `keyrite ceremony witness-key`.' });
  },
};
