import type { CliCommand, CliIo } from '../command';
import { parseCli, showHelp, subcommand, usageError } from '../command';
import type { CommandHelp } from '../help';
import { assertFolder, readInputFile } from './input-files';
import { KeyriteError } from '../../core/util/errors';
import { writeFileAtomic } from '../../core/util/fs-durable';
import path from 'node:path';
import { buildInventory } from '../../core/lifecycle/inventory';
import { inventoryToCbom } from '../../core/exports/cbom';
import { checkSiemExport, exportSiem } from '../../core/exports/siem';
import { TRANSCRIPT_FILE } from '../../core/transcript/verify';
import { runningKeyriteVersion } from '../../core/provenance/gather';

const HELP: CommandHelp = {
  usage: ['export cbom DIR [--out FILE] [--now DATE]', 'export siem CEREMONY [--out FILE]', 'export siem --check FILE CEREMONY'],
  description: [
    'cbom: the inventory of every key under DIR (verified transcripts only) as a CycloneDX 1.6 CBOM (JSON): algorithms, private and public keys (state, dates, SHA-256 fingerprint, securedBy), certificates.',
    'siem: every entry of the ceremony\'s transcript as one JSON line (Elastic Common Schema names: @timestamp, event.action/sequence/hash, user.name/roles, message), each carrying the entry\'s exact canonical bytes, seq and RFC 6962 leaf hash.',
    'Exit status: 0 written / export matches, 1 export does not match (or a transcript is invalid), 2 unusable input.',
  ],
  options: [
    { name: '--out FILE', text: 'write there (atomically) instead of standard output' },
    { name: '--now DATE', text: 'judge due dates at this date (cbom; default today)' },
    { name: '--check FILE', text: 'siem: recompute the Merkle root from the export FILE alone and compare it with the ceremony\'s signed checkpoint: an edited, dropped or reordered event fails' },
  ],
};

async function emit(text: string, out: string | undefined, io: CliIo): Promise<void> {
  if (out) await writeFileAtomic(out, text);
  else io.stdout.write(text);
}

export const command: CliCommand = {
  name: 'export',
  help: HELP,
  async run(argv, io) {
    const { sub: what, rest, bare } = subcommand('export', argv, ['cbom', 'siem']);
    if (what === 'help') return showHelp(io, HELP, bare ? 2 : 0);
    const { values, positionals } = parseCli('export', rest, { out: { type: 'string' }, now: { type: 'string' }, check: { type: 'string' } }, { allowPositionals: true });
    if (values.help) return showHelp(io, HELP);
    const dir = positionals[0];
    if (!dir || positionals.length > 1) throw usageError('export', 'Give one folder.');
    await assertFolder(dir, what === 'cbom' ? 'Give the folder that holds the ceremony folders.' : 'Give the ceremony folder (the one holding transcript.jsonl).');
    if (what === 'cbom') {
      const now = values.now ? new Date(values.now) : new Date();
      if (Number.isNaN(now.getTime())) throw new KeyriteError('USAGE', `--now "${values.now}" is not a date.`, { action: 'Use YYYY-MM-DD.' });
      const inv = await buildInventory(dir, { now });
      await emit(JSON.stringify(inventoryToCbom(inv, { version: runningKeyriteVersion() }), null, 2) + '\n', values.out, io);
      return inv.transcripts.every((t) => t.valid) ? 0 : 1;
    }
    // The transcript is read before anything is written: a folder without one is unusable input.
    readInputFile(path.join(dir, TRANSCRIPT_FILE), 'transcript');
    if (values.check) {
      const text = readInputFile(values.check, 'SIEM export').toString('utf8');
      const r = await checkSiemExport(text, dir);
      io.stdout.write(r.ok
        ? `MATCHES: ${r.events} events; Merkle root ${r.root} is the signed checkpoint's.\n`
        : `DOES NOT MATCH: ${r.problem?.message}\n  export root ${r.root} (${r.events} events); signed checkpoint ${r.checkpoint ? `${r.checkpoint.root} (${r.checkpoint.size} entries)` : '-'}\n`);
      return r.ok ? 0 : 1;
    }
    await emit(exportSiem(dir), values.out, io);
    return 0;
  },
};
