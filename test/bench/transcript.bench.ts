/**
 * Transcript verification speed: a 100,000-entry transcript with a signed checkpoint every 1,000
 * entries, verified in full (canonical form, chain, tree, every checkpoint and its consistency,
 * every signature, steps, facts), against merely reading the file and JSON-parsing every line.
 * Also: durable append rate (one fsync per entry) of the journal.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { checkpointBody, checkpointFileName, originFor } from '../../electron/core/transcript/checkpoint';
import { encodeEntry, hex, ZERO_HASH } from '../../electron/core/transcript/entry-codec';
import type { JournalEntry } from '../../electron/core/transcript/entry-kinds';
import { Journal } from '../../electron/core/transcript/journal';
import { CompactRange, leafHash } from '../../electron/core/transcript/merkle';
import { generateNoteKey, keyFileSigner, signNote } from '../../electron/core/transcript/note';
import { verifyTranscript } from '../../electron/core/transcript/verify';

const ENTRIES = 100_000;
const CHECKPOINT_EVERY = 1_000;

async function buildLargeTranscript(dir: string): Promise<void> {
  const id = 'bench-100k';
  const key = generateNoteKey(`keyrite.transcript/${id}`);
  const signer = keyFileSigner(key.signerKey);
  const steps = Array.from({ length: 100 }, (_, i) => `step-${i}`);
  const actor = { role: 'administrator', name: 'Ada Admin' };
  const lines: string[] = [];
  const range = new CompactRange();
  let prev = ZERO_HASH;
  mkdirSync(path.join(dir, 'checkpoints'), { recursive: true });
  let lastNote = '';
  const push = async (kind: string, step: string, data: unknown) => {
    const e: JournalEntry = { v: 1, seq: lines.length, time: new Date(Date.UTC(2026, 10, 28, 9) + lines.length * 1000).toISOString(), ceremony: id, kind, step, actor, data, prev };
    const line = encodeEntry(e);
    const leaf = leafHash(Buffer.from(line));
    lines.push(line);
    range.append(leaf);
    prev = hex(leaf);
    if (lines.length % CHECKPOINT_EVERY === 0 || lines.length === ENTRIES) {
      lastNote = await signNote(checkpointBody(originFor(id), lines.length, range.root()), [signer]);
      writeFileSync(path.join(dir, 'checkpoints', checkpointFileName(lines.length)), lastNote);
    }
  };
  await push('ceremony.start', '-', {
    script: { id: 'bench', title: 'Benchmark ceremony', type: 'root-key-generation', sha256: 'ab'.repeat(32) },
    steps, participants: [actor], transcriptKey: key.verifierKey, transcriptKeySource: 'file',
  });
  const perStep = Math.floor((ENTRIES - 2) / steps.length);
  for (const [i, step] of steps.entries()) {
    await push('step.start', step, { title: step });
    const notes = (i === steps.length - 1 ? ENTRIES - 2 - perStep * (steps.length - 1) : perStep) - 2;
    for (let n = 0; n < notes; n++) await push('step.note', step, { n, text: `observation ${n} of ${step}`, value: (n * 7919) % 1000 });
    await push('step.result', step, { outcome: 'ok' });
  }
  await push('ceremony.sealed', '-', { entries: lines.length, outcome: 'completed' });
  writeFileSync(path.join(dir, 'transcript.jsonl'), lines.map((l) => l + '\n').join(''));
  writeFileSync(path.join(dir, 'checkpoint.note'), lastNote);
}

function readAndParse(file: string): number {
  const text = readFileSync(file, 'utf8');
  let n = 0;
  let start = 0;
  for (;;) {
    const nl = text.indexOf('\n', start);
    if (nl < 0) break;
    JSON.parse(text.slice(start, nl));
    n++;
    start = nl + 1;
  }
  return n;
}

export async function run(): Promise<void> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'keyrite-bench-transcript-'));
  try {
    let t = performance.now();
    await buildLargeTranscript(dir);
    const file = path.join(dir, 'transcript.jsonl');
    const bytes = readFileSync(file).length;
    console.log(`built ${ENTRIES} entries (${(bytes / 1e6).toFixed(1)} MB, ${ENTRIES / CHECKPOINT_EVERY} signed checkpoints) in ${((performance.now() - t) / 1000).toFixed(1)} s`);

    // Warm both paths once, then time each three times and keep the best (least disturbed) run.
    readAndParse(file);
    const best = async (f: () => Promise<unknown> | unknown) => {
      let b = Infinity;
      for (let i = 0; i < 3; i++) {
        const s = performance.now();
        await f();
        b = Math.min(b, performance.now() - s);
      }
      return b;
    };
    const parseMs = await best(() => readAndParse(file));
    let valid = false;
    const verifyMs = await best(async () => {
      valid = (await verifyTranscript(dir)).valid;
    });
    console.log(`read + JSON.parse only:   ${parseMs.toFixed(0)} ms  (${Math.round(ENTRIES / (parseMs / 1000)).toLocaleString('en')} entries/s)`);
    console.log(`full verification:        ${verifyMs.toFixed(0)} ms  (${Math.round(ENTRIES / (verifyMs / 1000)).toLocaleString('en')} entries/s), valid=${valid}`);
    console.log(`verification / parse-only ratio: ${(verifyMs / parseMs).toFixed(2)}x`);

    const jdir = path.join(dir, 'append');
    const journal = await Journal.create(path.join(jdir, 'transcript.jsonl'), { ceremonyId: 'bench-append' });
    const N = 300;
    t = performance.now();
    for (let i = 0; i < N; i++) await journal.append({ kind: 'step.note', step: 's', actor: { role: 'system', name: 'bench' }, data: { i } });
    const appendMs = performance.now() - t;
    await journal.close();
    console.log(`durable append (fsync each): ${(appendMs / N).toFixed(2)} ms per entry (${Math.round(N / (appendMs / 1000))} entries/s)`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
