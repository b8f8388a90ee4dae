import type { CliCommand } from '../command';
import { parseCli } from '../command';
import { KeyriteError } from '../../core/util/errors';
import { ageIdentitiesFromCli, CARD_CLI_HELP, CARD_CLI_OPTIONS, cardFromCli, loadBackupFile, prompt, promptShareWords, readSecretFile, readShareFile } from '../../core/shares/cli-input';
import { RecoverySession } from '../../core/shares/recovery';
import { createTokenClient } from '../../core/token/client';
import type { ShareEnvelope } from '../../core/shares/envelope';

const HELP = `keyrite recover --backup FILE --share FILE... --module PATH --token LABEL [options]

Rebuilds a backed-up key into a token: shares are checked one at a time (a bad one is named and
skipped), k of them rebuild the wrapping key (checked against its commitment), the key is unwrapped
into the token and proven to be the backed-up one (a fresh challenge signed on the token verifies
with the public key in the backup file). The wrapping key object is destroyed afterwards.

  --backup FILE           backup.json (its signature is checked first)
  --share FILE            a share file (words sheet, QR text, or age file); repeat. Without --share,
                          shares are typed on the terminal until k are in.
  --passphrase-file F     passphrase for age share files (otherwise asked on the terminal)
  --age-identity F        a custodian's age identity file (age-keygen's format, X25519 or post-quantum
                          AGE-SECRET-KEY-PQ-1...) for share files made for their age recipient; repeat
${CARD_CLI_HELP}  --module PATH           PKCS#11 module of the target token
  --token LABEL           label of the target token
  --pin-file F            user PIN (first line); otherwise asked on the terminal
  --label L, --id HEX     label and CKA_ID of the restored key (default: those in the backup)
  --extractable           keep the restored key extractable (to back it up again)

Exit: 0 restored and proven; 1 shares or token refused; 2 unusable input.
`;

export const command: CliCommand = {
  name: 'recover',
  help: HELP,
  async run(argv, io) {
    const { values } = parseCli(argv, {
      backup: { type: 'string' },
      share: { type: 'string', multiple: true },
      'passphrase-file': { type: 'string' },
      'age-identity': { type: 'string', multiple: true },
      ...CARD_CLI_OPTIONS,
      module: { type: 'string' },
      token: { type: 'string' },
      'pin-file': { type: 'string' },
      label: { type: 'string' },
      id: { type: 'string' },
      extractable: { type: 'boolean' },
    });
    if (values.help) {
      io.stdout.write(HELP);
      return 0;
    }
    if (!values.backup || !values.module || !values.token) {
      throw new KeyriteError('USAGE', '--backup, --module and --token are required.', { action: 'Run keyrite recover --help.' });
    }
    const backup = await loadBackupFile(values.backup);
    const session = new RecoverySession(backup);
    const passFile = values['passphrase-file'];
    const passphrase = passFile ? () => readSecretFile(passFile, 'passphrase file') : () => prompt(io, 'Age passphrase: ', { hidden: true });
    const files = values.share ?? [];
    const k = backup.split.k;
    const take = async (name: string, load: () => Promise<ShareEnvelope>) => {
      try {
        const v = session.add({ envelope: await load() });
        io.stdout.write(`accepted ${name}: share #${v.index} of ${v.custodian} (${v.fingerprint}); ${session.progress.have} of ${k}\n`);
      } catch (e) {
        if (!(e instanceof KeyriteError) || e.code.startsWith('INPUT') || e.code === 'USAGE') throw e;
        io.stdout.write(`refused  ${name}: ${e.message} [${e.code}]\n`);
      }
    };
    const card = cardFromCli(values, io);
    try {
      if (files.length > 0) {
        const identity = ageIdentitiesFromCli(values['age-identity']);
        for (const f of files) await take(f, () => readShareFile(f, passphrase, card?.open, identity));
      } else {
        let attempt = 1;
        while (!session.progress.complete) await take(`typed share ${attempt++}`, () => promptShareWords(io, `Share ${session.progress.have + 1} of ${k}`));
      }
    } finally {
      await card?.close();
    }
    try {
      await session.rebuild();
      io.stdout.write(`The wrapping key matches the backup's commitment (${session.progress.have} shares).\n`);
      const pinFile = values['pin-file'];
      const pin = pinFile ? await readSecretFile(pinFile, 'PIN file') : await prompt(io, `User PIN for token ${values.token}: `, { hidden: true });
      const token = createTokenClient({ modulePath: values.module });
      try {
        const ts = await token.openSession({ label: values.token }, { pin });
        const r = await session.recoverInto(token, ts, { label: values.label ?? backup.sealed.key.label, id: values.id ?? backup.sealed.key.id, extractable: values.extractable === true });
        await token.closeSession(ts);
        io.stdout.write(`Restored ${r.key.label} (id ${r.key.id}) into token ${values.token}; proven: a fresh challenge signed on the token verifies with the backup's public key (${r.proof.scheme}).\n`);
        return 0;
      } finally {
        await token.close();
      }
    } finally {
      session.dispose();
    }
  },
};
