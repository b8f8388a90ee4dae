/**
 * If the hashing thread of the streaming verifier (leaf-hasher.ts WorkerLeaves) fails in the middle
 * of a file, the verification stops with that error: it neither waits for ever for hashes that will
 * not come nor leaves a rejected promise unhandled, and the file is closed. The failure is simulated
 * by a Worker that reports an error after its first message (the second chunk's hashes are asked for and never come) (a real one needs the thread to crash).
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type * as WorkerThreads from 'node:worker_threads';
import { afterAll, expect, it, vi } from 'vitest';
import { encodeEntry, hex, ZERO_HASH } from '../../../electron/core/transcript/entry-codec';
import { leafHash } from '../../../electron/core/transcript/merkle';
import { streamTranscript } from '../../../electron/core/transcript/verify-stream';
import { tempDir } from '../../helpers/softhsm';

/** Messages a hashing thread takes before it fails (0: it never fails). */
const failAfter = { messages: 0, exitInstead: false };
/** Every hashing thread started, and whether it has exited. */
const started: Array<{ exited: boolean }> = [];
vi.mock('node:worker_threads', async (importOriginal) => {
  const real = await importOriginal<typeof WorkerThreads>();
  class FailingWorker extends real.Worker {
    private seen = 0;
    constructor(...args: ConstructorParameters<typeof real.Worker>) {
      super(...args);
      const record = { exited: false };
      started.push(record);
      this.once('exit', () => (record.exited = true));
    }
    override postMessage(message: unknown): void {
      this.seen++;
      if (failAfter.messages > 0 && this.seen === failAfter.messages) {
        if (failAfter.exitInstead) void this.terminate();
        else setImmediate(() => this.emit('error', new Error('the hashing thread ran out of memory')));
        return;
      }
      super.postMessage(message);
    }
  }
  return { ...real, Worker: FailingWorker, default: { ...real, Worker: FailingWorker } };
});

const tmp = tempDir('keyrite-hashing-failure-');
afterAll(() => tmp.cleanup());

/** 4,000 chained entries, about 160 bytes each: three hashing batches or more. */
function transcript(): string {
  let prev = ZERO_HASH;
  const lines = Array.from({ length: 4000 }, (_, seq) => {
    const line = encodeEntry({ v: 1, seq, time: '2026-01-01T00:00:00.000Z', ceremony: 'c-fail', kind: 'step.note', step: 's', actor: { role: 'r', name: 'n' }, data: { seq }, prev });
    prev = hex(leafHash(Buffer.from(line)));
    return `${line}\n`;
  });
  const f = path.join(tmp.dir, 'transcript.jsonl');
  writeFileSync(f, lines.join(''));
  return f;
}

const opts = { sizes: new Set<number>(), offsetSeqs: new Set<number>(), onEntry: () => undefined, workerFrom: 0, chunkSize: 128 * 1024 };

it.each([
  ['reports an error', false, /the hashing thread ran out of memory/],
  ['stops', true, /the hashing thread stopped \(exit \d+\)/],
])('when the hashing thread %s mid-file, the verification fails with that error, nothing left unhandled, the file closed', async (_name, exitInstead, message) => {
  const f = transcript();
  const unhandled: unknown[] = [];
  const onUnhandled = (e: unknown) => unhandled.push(e);
  process.on('unhandledRejection', onUnhandled);
  const fds = () => readdirSync('/proc/self/fd').length;
  const before = fds();
  try {
    // It works when the thread does not fail.
    failAfter.messages = 0;
    expect((await streamTranscript(f, opts)).count).toBe(4000);
    failAfter.messages = 2;
    failAfter.exitInstead = exitInstead;
    await expect(streamTranscript(f, opts)).rejects.toThrow(message);
    await new Promise((r) => setTimeout(r, 50));
    expect(unhandled).toEqual([]);
    expect(fds()).toBe(before);
  } finally {
    process.off('unhandledRejection', onUnhandled);
    failAfter.messages = 0;
  }
});

it('lets its hashing thread go when the pass ends: at the end, at a bad line, or past the memory budget', async () => {
  const f = transcript();
  const bad = path.join(tmp.dir, 'bad.jsonl');
  writeFileSync(bad, `${readFileSync(f, 'utf8').slice(0, 200_000)}not an entry\n`);
  started.length = 0;
  expect((await streamTranscript(f, opts)).count).toBe(4000);
  expect((await streamTranscript(bad, opts)).failure).toMatchObject({ code: 'ENTRY_MALFORMED' });
  await expect(streamTranscript(f, { ...opts, budget: 100 })).rejects.toMatchObject({ code: 'INPUT_TOO_LARGE' });
  await new Promise((r) => setTimeout(r, 50));
  expect(started).toEqual([{ exited: true }, { exited: true }, { exited: true }]);
});
