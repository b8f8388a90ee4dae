import type { CliCommand } from '../command';
import { parseCli } from '../command';
import { KeyriteError } from '../../core/util/errors';
import { CARD_CLI_HELP, CARD_CLI_OPTIONS, cardFromCli, loadBackupFile, prompt, promptShareWords, readSecretFile, readShareFile } from '../../core/shares/cli-input';
import { verifyShareAgainstBackup } from '../../core/shares/share-input';
import type { ShareEnvelope } from '../../core/shares/envelope';

const HELP = `keyrite shares verify --backup FILE [--share FILE ...] [--passphrase-file F]

Checks backup shares against their backup file (the "verify after split" step, or a rehearsal
before a recovery): each share's words/QR text/age file is decoded, its checksum, ceremony, split
and commitment checked, and the custodian it belongs to is named. Nothing is rebuilt.

  --backup FILE           backup.json written by the ceremony (its signature is checked first)
  --share FILE            a share file (words sheet, QR text, or age file); repeat for several.
                          Without --share, each share is typed on the terminal (words hidden).
  --passphrase-file F     passphrase for age share files (otherwise asked on the terminal)
${CARD_CLI_HELP}
Exit: 0 every share is good; 1 a share is bad (the reason is printed); 2 unusable input.
`;

export const command: CliCommand = {
  name: 'shares',
  help: HELP,
  async run(argv, io) {
    const [sub, ...rest] = argv;
    if (sub === undefined || sub === '--help' || sub === '-h') {
      io.stdout.write(HELP);
      return sub === undefined ? 2 : 0;
    }
    if (sub !== 'verify') throw new KeyriteError('USAGE', `Unknown subcommand "shares ${sub}".`, { action: 'Run keyrite shares --help.' });
    const { values } = parseCli(rest, {
      backup: { type: 'string' },
      share: { type: 'string', multiple: true },
      'passphrase-file': { type: 'string' },
      ...CARD_CLI_OPTIONS,
    });
    if (values.help) {
      io.stdout.write(HELP);
      return 0;
    }
    if (!values.backup) throw new KeyriteError('USAGE', '--backup is required.', { action: 'Run keyrite shares verify --help.' });
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
