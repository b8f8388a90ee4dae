/**
 * An entry's fields have their JSON types, not just text that looks right: a time or a prev that is
 * an array holding a well-formed time or hash is refused by the line reader (JSON.parse would give
 * `["…Z"]`, which a regular expression test or Date.parse would take as its text), also when the
 * prev equals the hash the caller knows. A value whose prototype chain has no constructor is refused
 * by the writer as not plain JSON, with the same typed error as any other (ENTRY_NOT_JSON), not a
 * TypeError. And the journal's leaf hashes are handed out as a copy: changing the list a caller got
 * does not change the journal's.
 */
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { encodeEntry, parseEntryLine } from '../../../electron/core/transcript/entry-codec';
import type { JournalEntry } from '../../../electron/core/transcript/entry-kinds';
import { Journal } from '../../../electron/core/transcript/journal';
import { tempDir } from '../../helpers/softhsm';

const HASH = 'cd'.repeat(32);
const TIME = '2026-12-07T10:00:00.123Z';
const entry = (over: Record<string, unknown> = {}) => ({
  v: 1, seq: 3, time: TIME, ceremony: 'c-1', kind: 'step.start', step: 's1', actor: { name: 'Ada', role: 'administrator' }, data: {}, prev: HASH, ...over,
});
/** The canonical line (keys sorted) of the entry, written by hand. */
const line = (o: Record<string, unknown>) => Buffer.from(JSON.stringify(Object.fromEntries(Object.keys(o).sort().map((k) => [k, o[k]]))));

const tmp = tempDir('keyrite-entry-field-types-');
afterAll(() => tmp.cleanup());

describe('the line reader', () => {
  it('reads the entry with its fields as text', () => {
    expect(parseEntryLine(line(entry()))).toMatchObject({ ok: true, entry: { time: TIME, prev: HASH } });
  });

  it('refuses a time that is an array holding a well-formed time', () => {
    expect(parseEntryLine(line(entry({ time: [TIME] })))).toEqual({ ok: false, why: 'time is not a UTC ISO 8601 time' });
  });

  it('refuses a prev that is an array holding a well-formed hash, known to the caller or not', () => {
    const bad = line(entry({ prev: [HASH] }));
    expect(parseEntryLine(bad)).toEqual({ ok: false, why: 'prev is not a 64-digit hex hash' });
    expect(parseEntryLine(bad, HASH)).toEqual({ ok: false, why: 'prev is not a 64-digit hex hash' });
  });
});

describe('the writer', () => {
  it('refuses a value whose prototype chain has no constructor: ENTRY_NOT_JSON naming it', () => {
    const odd = Object.create(Object.create(null) as object) as object;
    expect(() => encodeEntry(entry({ data: { x: odd } }) as unknown as JournalEntry)).toThrow(expect.objectContaining({
      code: 'ENTRY_NOT_JSON', message: 'Entry data cannot be written as JSON: entry.data.x is a object, not plain JSON.',
    }));
  });
});

describe('the journal\'s leaf hashes', () => {
  it('are a copy: emptying the list a caller got leaves the journal\'s as it was', async () => {
    const j = await Journal.create(path.join(tmp.dir, 'leaves', 'transcript.jsonl'), { ceremonyId: 'c-1' });
    for (const step of ['a', 'b']) await j.append({ kind: 'step.start', step, actor: { role: 'administrator', name: 'Ada' }, data: {} });
    const first = j.leafHashes();
    const copy = first.map((l) => Buffer.from(l).toString('hex'));
    first.length = 0;
    expect(j.leafHashes().map((l) => Buffer.from(l).toString('hex'))).toEqual(copy);
    expect(copy).toHaveLength(2);
    await j.close();
  });
});
