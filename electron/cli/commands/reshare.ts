import path from 'node:path';
import { promises as fsp } from 'node:fs';
import type { CliCommand } from '../command';
import { parseCli, showHelp, usageError } from '../command';
import type { CommandHelp } from '../help';
import { AGE_IDENTITY_ROW, CARD_ROWS, SHARE_FILE_ROWS } from './share-options-help';
import { KeyriteError } from '../../core/util/errors';
import { makePrivateDir, writeFileAtomic } from '../../core/util/fs-durable';
import { loadBackupFile } from '../../core/shares/cli-input';
import { RecoverySession } from '../../core/shares/recovery';
import { reshare } from '../../core/shares/reshare';
import { serializeBackupFile } from '../../core/shares/backup-file';
import { formatShareSheet } from '../../core/shares/sheet';
import { collectShares, SHARE_SOURCE_OPTIONS } from './share-sources';

const HELP: CommandHelp = {
  usage: ['reshare --backup FILE [--share FILE]... --k K --custodian NAME... --out DIR [options]'],
  description: [
    'Hands the backup to a new set of custodians without changing the key: k old shares rebuild the wrapping key (checked against its commitment), which is split again k\'-of-n\' for the new custodians. The new backup.json keeps the root-signed part unchanged and lists the old split as void; shares of the old split are refused from then on and must be destroyed. Without --share, old shares are typed on the terminal until k are in.',
    'Exit status: 0 new split written; 1 shares refused; 2 unusable input.',
  ],
  options: [
    { name: '--backup FILE', text: 'current backup.json' },
    ...SHARE_FILE_ROWS,
    AGE_IDENTITY_ROW,
    ...CARD_ROWS,
    { name: '--k K', text: 'threshold of the new split (2 <= K <= number of custodians)' },
    { name: '--custodian NAME', text: 'a new custodian; repeat (one share each, in this order)' },
    { name: '--ceremony ID', text: 'id of this reshare ceremony (default: reshare-<time>)' },
    { name: '--out DIR', text: 'new folder: backup.json and shares/<custodian>.txt (never overwritten)' },
  ],
};

function safeName(name: string): string {
  return name.replace(/[^A-Za-z0-9._-]+/g, '_');
}

export const command: CliCommand = {
  name: 'reshare',
  help: HELP,
  async run(argv, io) {
    const { values } = parseCli('reshare', argv, {
      k: { type: 'string' },
      custodian: { type: 'string', multiple: true },
      ceremony: { type: 'string' },
      out: { type: 'string' },
      ...SHARE_SOURCE_OPTIONS,
    });
    if (values.help) return showHelp(io, HELP);
    const k = Number(values.k);
    const custodians = values.custodian ?? [];
    if (!values.backup || !values.out || !Number.isInteger(k) || custodians.length === 0) {
      throw usageError('reshare', '--backup, --k, --custodian and --out are required.');
    }
    const outDir = values.out;
    if (await fsp.stat(outDir).then(() => true, () => false)) {
      throw new KeyriteError('OUTPUT_EXISTS', `${outDir} already exists; reshare outputs are never overwritten.`, { action: 'Choose a new --out folder.' });
    }
    const backup = await loadBackupFile(values.backup);
    const session = new RecoverySession(backup);
    try {
      await collectShares(session, values, io, {
        accepted: (v) => `share #${v.index} of ${v.custodian}; ${session.progress.have} of ${backup.split.k}`,
        typed: () => `Old share ${session.progress.have + 1}`,
      });
      const ceremonyId = values.ceremony ?? `reshare-${new Date().toISOString().replace(/[:.]/g, '-')}`;
      const next = await reshare(session, { k, custodians, ceremonyId });
      await makePrivateDir(path.join(outDir, 'shares'));
      await writeFileAtomic(path.join(outDir, 'backup.json'), serializeBackupFile(next.backup), { overwrite: false });
      for (const [i, e] of next.shares.entries()) {
        const custodian = next.backup.split.shares[i]?.custodian ?? `custodian-${i + 1}`;
        await writeFileAtomic(path.join(outDir, 'shares', `${safeName(custodian)}.txt`), formatShareSheet(e, { custodian, ceremonyId: backup.sealed.ceremonyId, index: i + 1 }), { overwrite: false, mode: 0o600 });
      }
      io.stdout.write(`New split ${next.backup.split.id}: ${k} of ${custodians.length} (${custodians.join(', ')}). Old split ${backup.split.id} is void: destroy its shares.\n`);
      io.stdout.write(`Wrote ${path.join(outDir, 'backup.json')} and ${custodians.length} share files in ${path.join(outDir, 'shares')}.\n`);
      return 0;
    } finally {
      session.dispose();
    }
  },
};
