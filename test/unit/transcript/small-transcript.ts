/**
 * Small transcripts for the verifier's unit tests, written through the transcript API (Journal,
 * writeCheckpoint) with key-file signers: a ceremony.start, the rows given, and signed checkpoints
 * where the rows say so and at the end. What is checked with them is what the entries and the
 * checkpoints say; tampering is done to the files afterwards.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Journal } from '../../../electron/core/transcript/journal';
import { writeCheckpoint } from '../../../electron/core/transcript/checkpoint';
import { generateNoteKey, keyFileSigner, type NoteSigner } from '../../../electron/core/transcript/note';
import type { CeremonyStartData } from '../../../electron/core/transcript/entry-kinds';

export const admin = { role: 'administrator', name: 'Ada' };
/** An entry: kind, step, data. 'checkpoint' writes a signed checkpoint at that point. */
export type Row = [kind: string, step: string, data?: unknown] | 'checkpoint';

export interface SmallOptions {
  /** Replaces or adds fields of ceremony.start's data (undefined leaves the field out). */
  start?: Record<string, unknown>;
  /** Signers besides the transcript key, on every checkpoint. */
  extraSigners?: NoteSigner[];
  /** Leave the last rows without a checkpoint after them. */
  noFinalCheckpoint?: boolean;
}

export interface SmallTranscript {
  dir: string;
  ceremonyId: string;
  /** The transcript key ceremony.start records. */
  transcriptKey: { signerKey: string; verifierKey: string };
  /** The lines of transcript.jsonl, without their newlines. */
  lines: () => string[];
  /** Byte offset of entry `seq`'s line. */
  offsetOf: (seq: number) => number;
  writeLines: (lines: string[]) => void;
}

export const SMALL_STEPS = ['a', 'b'];
export const okSteps: Row[] = [['step.start', 'a'], ['step.result', 'a', { outcome: 'ok' }], ['step.start', 'b'], ['step.result', 'b', { outcome: 'ok' }]];

let n = 0;
export async function smallTranscript(root: string, rows: Row[], opts: SmallOptions = {}): Promise<SmallTranscript> {
  const ceremonyId = `small-${process.pid}-${n++}`;
  const dir = path.join(root, ceremonyId);
  const t = generateNoteKey(`keyrite.transcript/${ceremonyId}`);
  const j = await Journal.create(path.join(dir, 'transcript.jsonl'), { ceremonyId });
  await j.append({
    kind: 'ceremony.start', step: '-', actor: admin,
    // A field set to undefined in opts.start is left out.
    data: Object.fromEntries(Object.entries({
      script: { id: 's', title: 'S', type: 'test', sha256: '00'.repeat(32) }, steps: SMALL_STEPS, transcriptKey: t.verifierKey, transcriptKeySource: 'file',
      participants: [admin],
      ...opts.start,
    }).filter(([, v]) => v !== undefined)) as unknown as CeremonyStartData,
  });
  const signers = [keyFileSigner(t.signerKey), ...(opts.extraSigners ?? [])];
  for (const row of rows) {
    if (row === 'checkpoint') await writeCheckpoint(dir, j, signers);
    else await j.append({ kind: row[0], step: row[1], actor: admin, data: row[2] ?? {} });
  }
  if (!opts.noFinalCheckpoint) await writeCheckpoint(dir, j, signers);
  await j.close();
  const file = path.join(dir, 'transcript.jsonl');
  const lines = () => readFileSync(file, 'utf8').split('\n').slice(0, -1);
  return {
    dir, ceremonyId, transcriptKey: t, lines,
    offsetOf: (seq) => lines().slice(0, seq).reduce((sum, l) => sum + Buffer.byteLength(l) + 1, 0),
    writeLines: (l) => writeFileSync(file, l.map((x) => x + '\n').join('')),
  };
}
