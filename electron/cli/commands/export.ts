import type { CliCommand, CliIo } from '../command';
import { parseCli } from '../command';
import { KeyriteError } from '../../core/util/errors';
import { writeFileAtomic } from '../../core/util/fs-durable';
import { readFileSync } from 'node:fs';
import { buildInventory } from '../../core/lifecycle/inventory';
import { inventoryToCbom } from '../../core/exports/cbom';
import { checkSiemExport, exportSiem } from '../../core/exports/siem';
import { runningKeyriteVersion } from '../../core/provenance/gather';

const HELP = `keyrite export cbom DIR [--out FILE] [--now DATE]
keyrite export siem CEREMONY [--out FILE]
keyrite export siem --check FILE CEREMONY

cbom   the inventory of every key under DIR (verified transcripts only) as a CycloneDX 1.6
       CBOM (JSON): algorithms, private and public keys (state, dates, SHA-256 fingerprint,
       securedBy), certificates.
siem   every entry of the ceremony's transcript as one JSON line (Elastic Common Schema names:
       @timestamp, event.action/sequence/hash, user.name/roles, message), each carrying the
       entry's exact canonical bytes, seq and RFC 6962 leaf hash.
       --check FILE recomputes the Merkle root from the export alone and compares it with the
       ceremony's signed checkpoint: an edited, dropped or reordered event fails.

  --out FILE   write there (atomically) instead of standard output
  --now DATE   judge due dates at this date (cbom; default today)

Exit status: 0 written / export matches, 1 export does not match (or a transcript is invalid),
2 unusable input.
`;

async function emit(text: string, out: string | undefined, io: CliIo): Promise<void> {
  if (out) await writeFileAtomic(out, text);
  else io.stdout.write(text);
}

export const command: CliCommand = {
  name: 'export',
  help: HELP,
  async run(argv, io) {
    const [what, ...rest] = argv;
    if (what === undefined || what === '--help' || what === '-h') { io.stdout.write(HELP); return what === undefined ? 2 : 0; }
    const { values, positionals } = parseCli(rest, { out: { type: 'string' }, now: { type: 'string' }, check: { type: 'string' } }, { allowPositionals: true });
    if (values.help) { io.stdout.write(HELP); return 0; }
    const dir = positionals[0];
    if (!dir || positionals.length > 1) throw new KeyriteError('USAGE', 'Give one folder.', { action: HELP.split('\n').slice(0, 3).join('; ') });
    if (what === 'cbom') {
      const now = values.now ? new Date(values.now) : new Date();
      if (Number.isNaN(now.getTime())) throw new KeyriteError('USAGE', `--now "${values.now}" is not a date.`, { action: 'Use YYYY-MM-DD.' });
      const inv = await buildInventory(dir, { now });
      await emit(JSON.stringify(inventoryToCbom(inv, { version: runningKeyriteVersion() }), null, 2) + '\n', values.out, io);
      return inv.transcripts.every((t) => t.valid) ? 0 : 1;
    }
    if (what !== 'siem') throw new KeyriteError('USAGE', `Unknown export "${what}".`, { action: 'Use keyrite export cbom or keyrite export siem.' });
    if (values.check) {
      let text: string;
      try {
        text = readFileSync(values.check, 'utf8');
      } catch (e) {
        throw new KeyriteError('INPUT_UNREADABLE', `Cannot read ${values.check}: ${(e as Error).message}`, { action: 'Check the path.' });
      }
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
