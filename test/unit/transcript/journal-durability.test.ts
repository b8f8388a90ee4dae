/**
 * The journal's durability promises, seen through the file handles it opens (node:fs promises,
 * spied): `append` writes the line, then fsyncs it, and resolves only after the fsync has finished;
 * `create` fsyncs the new file and its folder before it returns (so the file's name survives a power
 * cut too). And a transcript of one ceremony is never opened for another: the runner refuses to
 * resume in a folder whose transcript belongs to another ceremony, and leaves the file as it was.
 */
import { promises as fsp, readFileSync } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Journal } from '../../../electron/core/transcript/journal';
import { openCeremonyRun } from '../../../electron/core/ceremony/runner';
import { parsePolicy, parseScript } from '../../../electron/core/ceremony/load';
import type { TokenApi } from '../../../electron/core/token/types';
import { tempDir } from '../../helpers/softhsm';

const ROOT = path.resolve(__dirname, '../../..');
const actor = { role: 'administrator', name: 'Ada' };
let tmp: { dir: string; cleanup: () => void };
beforeEach(() => { tmp = tempDir('keyrite-journal-durable-'); });
afterEach(() => {
  vi.restoreAllMocks();
  tmp.cleanup();
});

interface Spy {
  log: string[];
  /** While set, every fsync waits for this promise before it runs. */
  hold: Promise<void> | null;
  /** Called when an fsync starts (after the log line). */
  onSync: () => void;
}

/** Wraps every handle fsp.open returns: logs writes and fsyncs by file name, and can hold fsyncs. */
function spyOnHandles(): Spy {
  const spy: Spy = { log: [], hold: null, onSync: () => undefined };
  const realOpen = fsp.open.bind(fsp);
  vi.spyOn(fsp, 'open').mockImplementation(async (...args: Parameters<typeof fsp.open>) => {
    const fh: FileHandle = await realOpen(...args);
    const name = path.basename(String(args[0]));
    const realSync = fh.sync.bind(fh);
    const realWrite = fh.write.bind(fh) as (...a: unknown[]) => Promise<unknown>;
    fh.sync = async () => {
      spy.log.push(`sync-called ${name}`);
      spy.onSync();
      if (spy.hold) await spy.hold;
      await realSync();
      spy.log.push(`sync-done ${name}`);
    };
    (fh as unknown as { write: (...a: unknown[]) => Promise<unknown> }).write = async (...a: unknown[]) => {
      const r = await realWrite(...a);
      spy.log.push(`write ${name}`);
      return r;
    };
    return fh;
  });
  return spy;
}

describe('journal durability', () => {
  it('create fsyncs the new file and then its folder before it returns', async () => {
    const spy = spyOnHandles();
    const dir = path.join(tmp.dir, 'ceremony-folder');
    const j = await Journal.create(path.join(dir, 'transcript.jsonl'), { ceremonyId: 'c-1' });
    expect(spy.log).toEqual(['sync-called transcript.jsonl', 'sync-done transcript.jsonl', 'sync-called ceremony-folder', 'sync-done ceremony-folder']);
    await j.close();
  });

  it('append resolves only after the line is written and its fsync has finished', async () => {
    const spy = spyOnHandles();
    const file = path.join(tmp.dir, 'transcript.jsonl');
    const j = await Journal.create(file, { ceremonyId: 'c-1' });
    spy.log.length = 0;
    let release!: () => void;
    spy.hold = new Promise((r) => { release = r; });
    const syncStarted = new Promise<void>((r) => { spy.onSync = r; });
    let resolved = false;
    const appended = j.append({ kind: 'step.start', step: 's1', actor, data: { title: 'One' } }).then((e) => { resolved = true; return e; });
    // Resolves once an fsync starts, or once the append resolves without one (the broken case).
    await Promise.race([syncStarted, appended]);
    expect(spy.log).toEqual(['write transcript.jsonl', 'sync-called transcript.jsonl']);
    // Let every other queued callback run: the append is still waiting on its fsync.
    for (let i = 0; i < 20; i++) await new Promise((r) => setImmediate(r));
    expect(resolved).toBe(false);
    expect(readFileSync(file, 'utf8')).toContain('"kind":"step.start"');
    release();
    const entry = await appended;
    expect(entry.seq).toBe(0);
    expect(spy.log).toEqual(['write transcript.jsonl', 'sync-called transcript.jsonl', 'sync-done transcript.jsonl']);
    await j.close();
  });
});

describe('a transcript of another ceremony', () => {
  it('is refused by the journal and by the runner, and left as it was', async () => {
    const outDir = path.join(tmp.dir, 'other');
    const file = path.join(outDir, 'transcript.jsonl');
    const other = await Journal.create(file, { ceremonyId: 'other-ceremony' });
    await other.append({ kind: 'step.start', step: 's1', actor, data: { title: 'One' } });
    await other.close();
    const before = readFileSync(file);

    await expect(Journal.open(file, { ceremonyId: 'root-2026' })).rejects.toMatchObject({
      code: 'JOURNAL_CEREMONY_MISMATCH', details: { found: 'other-ceremony', expected: 'root-2026' },
    });
    const same = await Journal.open(file, { ceremonyId: 'other-ceremony' });
    expect(same.journal.size).toBe(1);
    await same.journal.close();

    const policyText = readFileSync(path.join(ROOT, 'resources/policy/default.yaml'), 'utf8');
    const noToken = new Proxy({}, { get: () => () => { throw new Error('the token must not be used'); } }) as TokenApi;
    await expect(openCeremonyRun({
      script: parseScript(readFileSync(path.join(ROOT, 'resources/ceremonies/root-keygen.yaml'), 'utf8'), 'root-keygen.yaml'),
      policy: parsePolicy(policyText).policy, policyText, outDir, tokens: noToken, rehearsal: true, airGapProbe: async () => [],
    })).rejects.toMatchObject({ code: 'JOURNAL_CEREMONY_MISMATCH' });
    expect(readFileSync(file)).toEqual(before);
  });
});
