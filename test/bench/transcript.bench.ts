/**
 * Transcript verification (issue #17), each figure a ratio measured in this run:
 *  - speed: `verifyTranscript` of a 100,000-entry transcript (a signed checkpoint every 1,000 entries;
 *    canonical form, chain, tree, every checkpoint, every signature, steps, facts) against merely
 *    reading the file and JSON-parsing every line, turn about, per round;
 *  - memory: peak RSS of a child `keyrite verify` (the built CLI, /usr/bin/time -v) on 1,000,000
 *    entries, against the file's size and the 200 MiB target;
 *  - scale: 2,000,000 entries (a file past V8's 512 MiB string limit) must verify VALID, exit 0
 *    (KEYRITE_BENCH_2M=0 skips it: building it takes a minute; KEYRITE_BENCH_RSS=0 skips both
 *    memory cases, for the speed figure alone).
 * On a shared machine wall times are noisy: the speed row gives the CPU time ratio too (this
 * process's, all its threads), which moves less with other load.
 * Also: durable append rate (one fsync per entry) of the journal.
 */
import { spawnSync } from 'node:child_process';
import { closeSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkpointBody, checkpointFileName, originFor } from '../../electron/core/transcript/checkpoint';
import { encodeEntry, hex, ZERO_HASH } from '../../electron/core/transcript/entry-codec';
import type { JournalEntry } from '../../electron/core/transcript/entry-kinds';
import { Journal } from '../../electron/core/transcript/journal';
import { CompactRange, leafHash } from '../../electron/core/transcript/merkle';
import { generateNoteKey, keyFileSigner, signNote } from '../../electron/core/transcript/note';
import { verifyTranscript } from '../../electron/core/transcript/verify';
import { ensureBuilt } from '../helpers/build-once';

const CHECKPOINT_EVERY = 1_000;
const ROUNDS = Number(process.env.KEYRITE_BENCH_ROUNDS ?? 7);
const RSS_RUNS = 3;
const BIN = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../bin/keyrite.mjs');

/** A sealed ceremony of `entries` entries (100 steps of notes), a signed checkpoint every 1,000, written as it goes. */
export async function buildLargeTranscript(dir: string, entries: number): Promise<void> {
  const id = `bench-${entries}`;
  const key = generateNoteKey(`keyrite.transcript/${id}`);
  const signer = keyFileSigner(key.signerKey);
  const steps = Array.from({ length: 100 }, (_, i) => `step-${i}`);
  const actor = { role: 'administrator', name: 'Ada Admin' };
  const range = new CompactRange();
  let prev = ZERO_HASH;
  let count = 0;
  mkdirSync(path.join(dir, 'checkpoints'), { recursive: true });
  const fd = openSync(path.join(dir, 'transcript.jsonl'), 'w');
  let pending: string[] = [];
  let lastNote = '';
  const push = async (kind: string, step: string, data: unknown) => {
    const e: JournalEntry = { v: 1, seq: count, time: new Date(Date.UTC(2026, 10, 28, 9) + count * 1000).toISOString(), ceremony: id, kind, step, actor, data, prev };
    const line = encodeEntry(e);
    const leaf = leafHash(Buffer.from(line));
    pending.push(line, '\n');
    count++;
    range.append(leaf);
    prev = hex(leaf);
    if (count % CHECKPOINT_EVERY === 0 || count === entries) {
      writeSync(fd, pending.join(''));
      pending = [];
      lastNote = await signNote(checkpointBody(originFor(id), count, range.root()), [signer]);
      writeFileSync(path.join(dir, 'checkpoints', checkpointFileName(count)), lastNote);
    }
  };
  await push('ceremony.start', '-', {
    script: { id: 'bench', title: 'Benchmark ceremony', type: 'root-key-generation', sha256: 'ab'.repeat(32) },
    steps, participants: [actor], transcriptKey: key.verifierKey, transcriptKeySource: 'file',
  });
  const perStep = Math.floor((entries - 2) / steps.length);
  for (const [i, step] of steps.entries()) {
    await push('step.start', step, { title: step });
    const notes = (i === steps.length - 1 ? entries - 2 - perStep * (steps.length - 1) : perStep) - 2;
    for (let n = 0; n < notes; n++) await push('step.note', step, { n, text: `observation ${n} of ${step}`, value: (n * 7919) % 1000 });
    await push('step.result', step, { outcome: 'ok' });
  }
  await push('ceremony.sealed', '-', { entries: count, outcome: 'completed' });
  writeSync(fd, pending.join(''));
  closeSync(fd);
  writeFileSync(path.join(dir, 'checkpoint.note'), lastNote);
}

/** The floor: read the file as text and JSON.parse every line, nothing kept. */
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

const summary = (xs: number[], digits = 2): string => {
  const s = [...xs].sort((a, b) => a - b);
  return `${(s[0] ?? NaN).toFixed(digits)} / ${(s[Math.floor(s.length / 2)] ?? NaN).toFixed(digits)} / ${(s.at(-1) ?? NaN).toFixed(digits)}`;
};
const MiB = 2 ** 20;

/** `keyrite verify dir` in a child, under /usr/bin/time -v: exit code, wall ms, peak RSS in bytes. */
function verifyChild(dir: string): { status: number | null; ms: number; maxRss: number } {
  const start = performance.now();
  const r = spawnSync('/usr/bin/time', ['-v', process.execPath, BIN, 'verify', dir], { encoding: 'utf8', maxBuffer: 64 * MiB });
  const ms = performance.now() - start;
  const kb = /Maximum resident set size \(kbytes\): (\d+)/.exec(r.stderr)?.[1];
  if (!kb) throw new Error(`no RSS figure from /usr/bin/time: ${r.stderr.slice(0, 500)}`);
  return { status: r.status, ms, maxRss: Number(kb) * 1024 };
}

async function speed(root: string): Promise<void> {
  const dir = path.join(root, '100k');
  const t = performance.now();
  await buildLargeTranscript(dir, 100_000);
  const file = path.join(dir, 'transcript.jsonl');
  console.log(`built 100,000 entries (${(statSync(file).size / 1e6).toFixed(1)} MB, 100 signed checkpoints) in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  readAndParse(file);
  await verifyTranscript(dir);
  const ratios: number[] = [];
  const cpuRatios: number[] = [];
  const parse: number[] = [];
  const verify: number[] = [];
  let valid = true;
  const cpuMs = (since: NodeJS.CpuUsage): number => {
    const u = process.cpuUsage(since);
    return (u.user + u.system) / 1000;
  };
  for (let i = 0; i < ROUNDS; i++) {
    let s = performance.now();
    let c = process.cpuUsage();
    readAndParse(file);
    parse.push(performance.now() - s);
    const parseCpu = cpuMs(c);
    s = performance.now();
    c = process.cpuUsage();
    valid &&= (await verifyTranscript(dir)).valid;
    verify.push(performance.now() - s);
    cpuRatios.push(cpuMs(c) / parseCpu);
    ratios.push((verify.at(-1) as number) / (parse.at(-1) as number));
  }
  console.log(`read + JSON.parse (floor):  ${summary(parse, 0)} ms`);
  console.log(`verifyTranscript:           ${summary(verify, 0)} ms, valid=${valid}`);
  console.log(`load average: ${os.loadavg().map((x) => x.toFixed(1)).join(' ')}`);
  console.log(`ROW verify 100k time / floor time (min / median / max of ${ROUNDS}): ${summary(ratios)}x  (target <= 2x); CPU time ${summary(cpuRatios)}x`);
}

async function memory(root: string, entries: number, runs: number): Promise<void> {
  const dir = path.join(root, String(entries));
  const t = performance.now();
  await buildLargeTranscript(dir, entries);
  const size = statSync(path.join(dir, 'transcript.jsonl')).size;
  console.log(`built ${entries.toLocaleString('en')} entries (${(size / 1e6).toFixed(1)} MB) in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  const rows = Array.from({ length: runs }, () => verifyChild(dir));
  const rss = rows.map((r) => r.maxRss);
  console.log(`keyrite verify (${entries.toLocaleString('en')}): exit ${rows.map((r) => r.status).join(', ')}; wall ${summary(rows.map((r) => r.ms / 1000), 1)} s`);
  console.log(`ROW peak RSS at ${entries.toLocaleString('en')} entries: ${summary(rss.map((b) => b / MiB), 0)} MiB (target <= 200); vs the file's size ${summary(rss.map((b) => b / size))}x`);
  rmSync(dir, { recursive: true, force: true });
}

export async function run(): Promise<void> {
  ensureBuilt();
  const root = mkdtempSync(path.join(os.tmpdir(), 'keyrite-bench-transcript-'));
  try {
    await speed(root);
    if (process.env.KEYRITE_BENCH_RSS !== '0') {
      await memory(root, 1_000_000, RSS_RUNS);
      if (process.env.KEYRITE_BENCH_2M !== '0') await memory(root, 2_000_000, 1);
    }

    const jdir = path.join(root, 'append');
    const journal = await Journal.create(path.join(jdir, 'transcript.jsonl'), { ceremonyId: 'bench-append' });
    const N = 300;
    const t = performance.now();
    for (let i = 0; i < N; i++) await journal.append({ kind: 'step.note', step: 's', actor: { role: 'system', name: 'bench' }, data: { i } });
    const appendMs = performance.now() - t;
    await journal.close();
    console.log(`durable append (fsync each): ${(appendMs / N).toFixed(2)} ms per entry (${Math.round(N / (appendMs / 1000))} entries/s)`);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}
