import { promises as fsp, readFileSync, writeFileSync, appendFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Journal } from '../../../electron/core/transcript/journal';
import { leafHash, merkleRoot } from '../../../electron/core/transcript/merkle';
import { tempDir } from '../../helpers/softhsm';

const actor = { role: 'administrator', name: 'Ada' };
let tmp: { dir: string; cleanup: () => void };
let file: string;
beforeEach(() => {
  tmp = tempDir('keyrite-journal-');
  file = path.join(tmp.dir, 'c', 'transcript.jsonl');
});
afterEach(() => {
  vi.restoreAllMocks();
  tmp.cleanup();
});

async function codeOf(p: Promise<unknown>): Promise<{ code?: string; message?: string; details?: Record<string, unknown> }> {
  try {
    await p;
  } catch (e) {
    return e as { code?: string };
  }
  return {};
}

async function threeEntries(): Promise<Journal> {
  const j = await Journal.create(file, { ceremonyId: 'c-1' });
  await j.append({ kind: 'step.start', step: 's1', actor, data: { title: 'One' } });
  await j.append({ kind: 'step.result', step: 's1', actor, data: { outcome: 'ok', note: 'é\u2028"' } });
  await j.append({ kind: 'custom.thing', step: 's2', actor, data: [1, 2.5, null] });
  return j;
}

describe('Journal', () => {
  it('writes canonical, hash-chained lines whose leaf hashes build the tree', async () => {
    const j = await threeEntries();
    const lines = readFileSync(file, 'utf8').split('\n');
    expect(lines).toHaveLength(4);
    expect(lines[3]).toBe('');
    const e0 = JSON.parse(lines[0] as string);
    expect(Object.keys(e0)).toEqual(['actor', 'ceremony', 'data', 'kind', 'prev', 'seq', 'step', 'time', 'v']);
    expect(e0.prev).toBe('0'.repeat(64));
    const leaves = lines.slice(0, 3).map((l) => leafHash(Buffer.from(l)));
    expect(JSON.parse(lines[1] as string).prev).toBe(Buffer.from(leaves[0] as Uint8Array).toString('hex'));
    expect(JSON.parse(lines[2] as string).prev).toBe(Buffer.from(leaves[1] as Uint8Array).toString('hex'));
    expect(j.leafHashes().map((l) => Buffer.from(l).toString('hex'))).toEqual(leaves.map((l) => Buffer.from(l).toString('hex')));
    expect(Buffer.from(j.root())).toEqual(Buffer.from(merkleRoot(leaves)));
    expect(j.entries().map((e) => e.seq)).toEqual([0, 1, 2]);
    await j.close();
  });

  it('refuses to overwrite an existing transcript', async () => {
    const j = await threeEntries();
    await j.close();
    expect((await codeOf(Journal.create(file, { ceremonyId: 'c-1' }))).code).toBe('JOURNAL_EXISTS');
    expect(readFileSync(file, 'utf8').split('\n')).toHaveLength(4);
  });

  it('reopens and continues the chain', async () => {
    (await threeEntries()).close();
    const { journal, repaired } = await Journal.open(file);
    expect(repaired).toBeUndefined();
    expect(journal.ceremonyId).toBe('c-1');
    const e = await journal.append({ kind: 'step.start', step: 's3', actor, data: {} });
    expect(e.seq).toBe(3);
    expect(e.prev).toBe(Buffer.from(journal.leafHashes()[2] as Uint8Array).toString('hex'));
    await journal.close();
  });

  it('cuts off a torn final record and says so', async () => {
    await (await threeEntries()).close();
    const good = readFileSync(file);
    appendFileSync(file, '{"actor":{"role":"adm');
    const { journal, repaired } = await Journal.open(file);
    expect(repaired?.truncatedBytes).toBe(21);
    expect(repaired?.message).toMatch(/torn/);
    expect(journal.size).toBe(3);
    expect(readFileSync(file)).toEqual(good);
    await journal.close();
  });

  it('refuses damage anywhere but the final record, naming byte offset and seq', async () => {
    await (await threeEntries()).close();
    const text = readFileSync(file, 'utf8');
    const offset1 = text.indexOf('\n') + 1;
    writeFileSync(file, text.replace('"One"', '"Two"'));
    let err = await codeOf(Journal.open(file));
    expect(err.code).toBe('JOURNAL_CORRUPT');
    expect(err.details).toEqual({ offset: offset1, seq: 1 });
    writeFileSync(file, text.replace('"seq":0', '"seq":7') + 'torn');
    err = await codeOf(Journal.open(file));
    expect(err.code).toBe('JOURNAL_CORRUPT');
    expect(err.message).toContain('byte 0 (entry seq 0)');
  });

  it('an fsync failure aborts the append, is not retried, and refuses every later append', async () => {
    const realOpen = fsp.open.bind(fsp);
    let failSync = false;
    vi.spyOn(fsp, 'open').mockImplementation(async (...args: Parameters<typeof fsp.open>) => {
      const fh = await realOpen(...args);
      const realSync = fh.sync.bind(fh);
      let calls = 0;
      fh.sync = async () => {
        calls++;
        if (failSync) throw Object.assign(new Error('EIO: i/o error, fsync'), { code: 'EIO', calls });
        return realSync();
      };
      return fh;
    });
    const j = await Journal.create(file, { ceremonyId: 'c-1' });
    await j.append({ kind: 'step.start', step: 's1', actor, data: {} });
    failSync = true;
    expect((await codeOf(j.append({ kind: 'step.result', step: 's1', actor, data: { outcome: 'ok' } }))).code).toBe('JOURNAL_WRITE_FAILED');
    failSync = false;
    expect((await codeOf(j.append({ kind: 'step.result', step: 's1', actor, data: { outcome: 'ok' } }))).code).toBe('JOURNAL_FAILED');
    expect(j.size).toBe(1);
    await j.close();
  });

  it('refuses data that has no stable JSON form', async () => {
    const j = await Journal.create(file, { ceremonyId: 'c-1' });
    expect((await codeOf(j.append({ kind: 'x', step: 's', actor, data: { n: Number.NaN } }))).code).toBe('ENTRY_NOT_JSON');
    expect((await codeOf(j.append({ kind: 'x', step: 's', actor, data: { u: undefined } }))).code).toBe('ENTRY_NOT_JSON');
    expect(j.size).toBe(0);
    const e = await j.append({ kind: 'x', step: 's', actor, data: {} });
    expect(e.seq).toBe(0);
    await j.close();
  });
});
