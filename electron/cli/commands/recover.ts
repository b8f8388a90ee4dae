import type { CliCommand } from '../command';
import { parseCli, showHelp, usageError } from '../command';
import type { CommandHelp } from '../help';
import { AGE_IDENTITY_ROW, CARD_ROWS, SHARE_FILE_ROWS } from './share-options-help';
import { loadBackupFile, prompt, readSecretFile } from '../../core/shares/cli-input';
import { RecoverySession } from '../../core/shares/recovery';
import { createTokenClient } from '../../core/token/client';
import { collectShares, SHARE_SOURCE_OPTIONS } from './share-sources';

const HELP: CommandHelp = {
  usage: ['recover --backup FILE [--share FILE]... --module PATH --token LABEL [options]'],
  description: [
    'Rebuilds a backed-up key into a token: shares are checked one at a time (a bad one is named and skipped), k of them rebuild the wrapping key (checked against its commitment), the key is unwrapped into the token and proven to be the backed-up one (a fresh challenge signed on the token verifies with the public key in the backup file). The wrapping key object is destroyed afterwards. Without --share, shares are typed on the terminal until k are in.',
    'Exit status: 0 restored and proven; 1 shares or token refused; 2 unusable input.',
  ],
  options: [
    { name: '--backup FILE', text: 'backup.json (its signature is checked first)' },
    ...SHARE_FILE_ROWS,
    AGE_IDENTITY_ROW,
    ...CARD_ROWS,
    { name: '--module PATH', text: 'PKCS#11 module of the target token' },
    { name: '--token LABEL', text: 'label of the target token' },
    { name: '--pin-file F', text: 'user PIN (first line); otherwise asked on the terminal' },
    { name: '--label L', text: 'label of the restored key (default: the one in the backup)' },
    { name: '--id HEX', text: 'CKA_ID of the restored key (default: the one in the backup)' },
    { name: '--extractable', text: 'keep the restored key extractable (to back it up again)' },
  ],
};

export const command: CliCommand = {
  name: 'recover',
  help: HELP,
  async run(argv, io) {
    const { values } = parseCli('recover', argv, {
      ...SHARE_SOURCE_OPTIONS,
      module: { type: 'string' },
      token: { type: 'string' },
      'pin-file': { type: 'string' },
      label: { type: 'string' },
      id: { type: 'string' },
      extractable: { type: 'boolean' },
    });
    if (values.help) return showHelp(io, HELP);
    if (!values.backup || !values.module || !values.token) {
      throw usageError('recover', '--backup, --module and --token are required.');
    }
    const backup = await loadBackupFile(values.backup);
    const session = new RecoverySession(backup);
    const k = backup.split.k;
    await collectShares(session, values, io, {
      accepted: (v) => `share #${v.index} of ${v.custodian} (${v.fingerprint}); ${session.progress.have} of ${k}`,
      typed: () => `Share ${session.progress.have + 1} of ${k}`,
    });
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
