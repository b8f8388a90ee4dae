import type { CliCommand } from '../command';
import { parseCli, showHelp, subcommand, usageError } from '../command';
import type { CommandHelp } from '../help';
import { CARD_ROWS, SHARE_FILE_ROWS } from './share-options-help';
import { KeyriteError } from '../../core/util/errors';
import { CARD_CLI_OPTIONS, cardFromCli, loadBackupFile, prompt, promptShareWords, readSecretFile, readShareFile } from '../../core/shares/cli-input';
import { verifyShareAgainstBackup } from '../../core/shares/share-input';
import type { ShareEnvelope } from '../../core/shares/envelope';

const HELP: CommandHelp = {
  usage: ['shares verify --backup FILE [--share FILE]... [--passphrase-file F] [--card-module PATH --card-token LABEL --card-key LABEL [--card-pin-file F]]'],
  description: [
    'Checks backup shares against their backup file (the "verify after split" step, or a rehearsal before a recovery): each share\'s words/QR text/age file is decoded, its checksum, ceremony, split and commitment checked, and the custodian it belongs to is named. Nothing is rebuilt.',
    'Exit status: 0 every share is good; 1 a share is bad (the reason is printed); 2 unusable input.',
  ],
  options: [
    { name: '--backup FILE', text: 'backup.json written by the ceremony (its signature is checked first)' },
    ...SHARE_FILE_ROWS,
    ...CARD_ROWS,
  ],
};

export const command: CliCommand = {
  name: 'shares',
  help: HELP,
  async run(argv, io) {
    const { sub, rest, bare } = subcommand('shares', argv, ['verify']);
    if (sub === 'help') return showHelp(io, HELP, bare ? 2 : 0);
    const { values } = parseCli('shares', rest, {
      backup: { type: 'string' },
      share: { type: 'string', multiple: true },
      'passphrase-file': { type: 'string' },
      ...CARD_CLI_OPTIONS,
    });
    if (values.help) return showHelp(io, HELP);
    if (!values.backup) throw usageError('shares', '--backup is required.');
    const backup = await loadBackupFile(values.backup);
    const passFile = values['passphrase-file'];
    const passphrase = passFile ? () => readSecretFile(passFile, 'passphrase file') : () => prompt(io, 'Age passphrase: ', { hidden: true });
    io.stdout.write(`Backup of ${backup.sealed.key.label} (${backup.sealed.key.algorithm}), split ${backup.split.id}: ${backup.split.k} of ${backup.split.n}.\n`);
    const card = cardFromCli(values, io);
    const files = values.share ?? [];
    const sources: { name: string; load: () => Promise<ShareEnvelope> }[] = files.length > 0
      ? files.map((f) => ({ name: f, load: () => readShareFile(f, passphrase, card?.open) }))
      : [{ name: 'typed share', load: () => promptShareWords(io, 'Share') }];
    let bad = 0;
    const seen = new Map<number, string>();
    try {
      for (const s of sources) {
        try {
          const v = verifyShareAgainstBackup(backup, { envelope: await s.load() });
          // The same share twice (two copies, or words and QR of one sheet) proves one custodian, not two.
          const first = seen.get(v.index);
          if (first !== undefined) {
            throw new KeyriteError('SHARE_DUPLICATE', `This is share #${v.index} of ${v.custodian} again (already given as ${first}).`, { action: 'Give each custodian\'s share once; ask the next custodian for theirs.', details: { index: v.index } });
          }
          seen.set(v.index, s.name);
          io.stdout.write(`OK   ${s.name}: share #${v.index} of ${v.custodian}, fingerprint ${v.fingerprint}\n`);
        } catch (e) {
          if (!(e instanceof KeyriteError) || e.code.startsWith('INPUT') || e.code === 'USAGE') throw e;
          bad++;
          io.stdout.write(`BAD  ${s.name}: ${e.message} [${e.code}]\n${e.action ? `     What to do: ${e.action}\n` : ''}`);
        }
      }
    } finally {
      await card?.close();
    }
    return bad > 0 ? 1 : 0;
  },
};
