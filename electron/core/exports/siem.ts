/**
 * SIEM export: every transcript entry as one JSON line in Elastic Common Schema field names
 * (@timestamp, event.*, user.*, message), carrying the entry's exact canonical bytes, its seq and
 * its RFC 6962 leaf hash. `checkSiemExport` recomputes every leaf and the Merkle root from the
 * export alone and compares it with the ceremony's signed checkpoint, so an edited export fails.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { KeyriteError } from '../util/errors';
import { hex, parseEntryText } from '../transcript/entry-codec';
import type { JournalEntry } from '../transcript/entry-kinds';
import { leafHash, merkleRoot } from '../transcript/merkle';
import { TRANSCRIPT_FILE, verifyTranscript } from '../transcript/verify';

export interface SiemEvent {
  '@timestamp': string;
  event: { kind: 'event'; module: 'keyrite'; dataset: 'keyrite.transcript'; action: string; sequence: number; hash: string };
  user: { name: string; roles: string[] };
  message: string;
  keyrite: { ceremony: string; step: string; prev: string; entry: string };
}

export function siemEventOf(line: string, e: JournalEntry): SiemEvent {
  return {
    '@timestamp': e.time,
    event: { kind: 'event', module: 'keyrite', dataset: 'keyrite.transcript', action: e.kind, sequence: e.seq, hash: hex(leafHash(new TextEncoder().encode(line))) },
    user: { name: e.actor.name, roles: [e.actor.role] },
    message: `${e.kind} in step ${e.step} of ceremony ${e.ceremony} by ${e.actor.role} ${e.actor.name}`,
    keyrite: { ceremony: e.ceremony, step: e.step, prev: e.prev, entry: line },
  };
}

/** The export of a ceremony folder's transcript, one JSON line per entry. */
export function exportSiem(dir: string): string {
  const text = readFileSync(path.join(dir, TRANSCRIPT_FILE), 'utf8');
  const lines = text.split('\n').filter((l) => l.length > 0);
  return lines.map((l) => {
    const parsed = parseEntryText(l, Buffer.byteLength(l));
    if (!parsed.ok) throw new KeyriteError('INPUT_TRANSCRIPT_MALFORMED', `${dir}: an entry cannot be read: ${parsed.why}`, { action: 'Verify the transcript with keyrite verify first.' });
    return JSON.stringify(siemEventOf(l, parsed.entry)) + '\n';
  }).join('');
}

export interface SiemCheck {
  ok: boolean;
  events: number;
  /** Merkle root recomputed from the export's entries, hex. */
  root: string;
  /** The ceremony's latest signed checkpoint (verified by keyrite verify). */
  checkpoint?: { size: number; root: string };
  problem?: { seq?: number; message: string };
}

/** Checks an export against the ceremony folder's verified transcript and signed checkpoint. */
export async function checkSiemExport(exportText: string, dir: string): Promise<SiemCheck> {
  const report = await verifyTranscript(dir);
  const cp = report.checkpoints[report.checkpoints.length - 1];
  const leaves: Uint8Array[] = [];
  let problem: SiemCheck['problem'];
  const lines = exportText.split('\n').filter((l) => l.length > 0);
  for (const [i, raw] of lines.entries()) {
    let ev: SiemEvent;
    try {
      ev = JSON.parse(raw) as SiemEvent;
    } catch {
      problem ??= { seq: i, message: `line ${i + 1} is not JSON` };
      break;
    }
    const line = String(ev.keyrite?.entry ?? '');
    const leaf = leafHash(new TextEncoder().encode(line));
    leaves.push(leaf);
    const parsed = parseEntryText(line, Buffer.byteLength(line));
    if (!parsed.ok) { problem ??= { seq: i, message: `event ${i}: its entry cannot be read: ${parsed.why}` }; continue; }
    const want = siemEventOf(line, parsed.entry);
    if (JSON.stringify(ev) !== JSON.stringify(want)) problem ??= { seq: parsed.entry.seq, message: `event ${i} (seq ${ev.event?.sequence}) does not match its own entry: a field was edited` };
    else if (parsed.entry.seq !== i) problem ??= { seq: i, message: `event ${i} carries seq ${parsed.entry.seq}: an event is missing or out of order` };
  }
  const root = hex(merkleRoot(leaves));
  if (!report.valid) problem ??= { message: `the transcript in ${dir} does not verify: ${report.failure?.code} ${report.failure?.message}` };
  else if (!cp) problem ??= { message: 'the ceremony has no signed checkpoint' };
  else if (cp.size !== leaves.length) problem ??= { message: `the export has ${leaves.length} events; the signed checkpoint covers ${cp.size} entries` };
  else if (cp.root !== root) problem ??= { message: `the export's Merkle root ${root} is not the signed checkpoint's ${cp.root}: an entry was changed` };
  return { ok: problem === undefined, events: leaves.length, root, ...(cp ? { checkpoint: { size: cp.size, root: cp.root } } : {}), ...(problem ? { problem } : {}) };
}
