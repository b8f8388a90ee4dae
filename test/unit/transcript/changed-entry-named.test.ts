/**
 * The first bad entry is named, with what is wrong with it (verify-entries.ts: the prev links and
 * each line's problem). A changed entry breaks the link after it; an entry whose prev was edited
 * breaks the links on both sides; a broken last link is decided by a checkpoint when one covers the
 * entry before it. Checked through verifyTranscript (the streaming verifier) and scanTranscript
 * (the whole-buffer scan), which must agree.
 */
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { verifyTranscript } from '../../../electron/core/transcript/verify';
import { factBudget, scanTranscript, transcriptSizeLimit, MIN_ENTRY_LINE } from '../../../electron/core/transcript/verify-entries';
import { tempDir } from '../../helpers/softhsm';
import { smallTranscript, type Row, type SmallTranscript } from './small-transcript';

const tmp = tempDir('keyrite-changed-entry-');
afterAll(() => tmp.cleanup());

const ZEROS = '0'.repeat(64);
const notes = (count: number): Row[] => Array.from({ length: count }, (_, i): Row => ['step.note', '-', { text: `note ${i}` }]);
/** The leaf hash a line's successor links to (RFC 6962: SHA-256 of 0x00 and the line without its newline). */
const leafHex = (line: string) => createHash('sha256').update(Buffer.concat([Buffer.from([0]), Buffer.from(line)])).digest('hex');
const prevOf = (line: string) => (JSON.parse(line) as { prev: string }).prev;
/** The same line with one hex digit of its prev field changed (still canonical). */
const editPrev = (line: string) => line.replace(/"prev":"(.)/, (_m, c: string) => `"prev":"${c === '0' ? '1' : '0'}`);

async function failures(t: SmallTranscript) {
  const report = await verifyTranscript(t.dir, { files: false });
  const scanned = scanTranscript(readFileSync(path.join(t.dir, 'transcript.jsonl')), undefined);
  return { report, scanned };
}

describe('a changed entry is named', () => {
  it('the leaf hash used below is the one the journal links with', async () => {
    const t = await smallTranscript(tmp.dir, notes(2));
    const l = t.lines();
    expect(prevOf(l[1] as string)).toBe(leafHex(l[0] as string));
  });

  it('an entry whose content changed is the one named: its hash no longer matches the next prev', async () => {
    const t = await smallTranscript(tmp.dir, notes(5));
    const l = t.lines();
    const changed = (l[2] as string).replace('note 1', 'note X');
    t.writeLines([...l.slice(0, 2), changed, ...l.slice(3)]);
    const { report, scanned } = await failures(t);
    const expected = {
      code: 'ENTRY_CHAIN', seq: 2, offset: t.offsetOf(2), expected: leafHex(changed), actual: prevOf(l[3] as string),
      message: 'Entry 2 was changed: its hash no longer matches the prev recorded in entry 3.',
    };
    expect(report.failure).toEqual(expected);
    expect(report.valid).toBe(false);
    expect(scanned.failure).toEqual(expected);
    expect(scanned.ambiguousLink).toBeUndefined();
  });

  it('an entry whose prev was edited is the one named, not the one before it', async () => {
    const t = await smallTranscript(tmp.dir, notes(5));
    const l = t.lines();
    const edited = editPrev(l[3] as string);
    t.writeLines([...l.slice(0, 3), edited, ...l.slice(4)]);
    const { report, scanned } = await failures(t);
    const expected = {
      code: 'ENTRY_CHAIN', seq: 3, offset: t.offsetOf(3), expected: leafHex(l[2] as string), actual: prevOf(edited),
      message: 'Entry 3 was changed: its prev does not match entry 2, and its own hash does not match entry 4\'s prev.',
    };
    expect(report.failure).toEqual(expected);
    expect(scanned.failure).toEqual(expected);
  });

  it('entry 0 must link to 64 zeros', async () => {
    const t = await smallTranscript(tmp.dir, notes(3));
    const l = t.lines();
    const edited = editPrev(l[0] as string);
    t.writeLines([edited, ...l.slice(1)]);
    const { report, scanned } = await failures(t);
    const expected = { code: 'ENTRY_CHAIN', seq: 0, offset: 0, expected: ZEROS, actual: prevOf(edited), message: 'Entry 0 must link to 64 zeros; its prev was changed.' };
    expect(report.failure).toEqual(expected);
    expect(scanned.failure).toEqual(expected);
  });

  it('of two changed entries, the first is named', async () => {
    const t = await smallTranscript(tmp.dir, notes(6));
    const l = t.lines();
    t.writeLines([l[0] as string, (l[1] as string).replace('note 0', 'note X'), ...l.slice(2, 4), (l[4] as string).replace('note 3', 'note Y'), ...l.slice(5)]);
    const { report, scanned } = await failures(t);
    expect(report.failure).toMatchObject({ code: 'ENTRY_CHAIN', seq: 1 });
    expect(scanned.failure).toMatchObject({ code: 'ENTRY_CHAIN', seq: 1 });
    // prev edited in entry 2, content changed in entry 4: entry 2 is named.
    t.writeLines([...l.slice(0, 2), editPrev(l[2] as string), l[3] as string, (l[4] as string).replace('note 3', 'note Y'), ...l.slice(5)]);
    expect((await failures(t)).report.failure).toMatchObject({ code: 'ENTRY_CHAIN', seq: 2, message: expect.stringContaining('its prev does not match entry 1') });
  });

  it('a broken last link with no checkpoint to decide it blames the entry before (it cannot tell), and says which two are in doubt', async () => {
    const t = await smallTranscript(tmp.dir, notes(4));
    const l = t.lines();
    const n = l.length;
    const edited = editPrev(l[n - 1] as string);
    t.writeLines([...l.slice(0, -1), edited]);
    const { report, scanned } = await failures(t);
    const expected = {
      code: 'ENTRY_CHAIN', seq: n - 2, offset: t.offsetOf(n - 2), expected: leafHex(l[n - 2] as string), actual: prevOf(edited),
      message: `Entry ${n - 2} was changed: its hash no longer matches the prev recorded in entry ${n - 1}.`,
    };
    expect(report.failure).toEqual(expected);
    expect(scanned.failure).toEqual(expected);
    expect(scanned.ambiguousLink).toEqual({ earlier: n - 2, later: n - 1 });
    expect(report.warnings).toContain('Checkpoint signatures were not checked: the entries themselves already fail.');
  });

  it('a broken last link is the last entry\'s when a signed checkpoint still vouches for the entry before it', async () => {
    const t = await smallTranscript(tmp.dir, [...notes(4), 'checkpoint', ['step.note', '-', { text: 'last' }]]);
    const l = t.lines();
    const n = l.length;
    t.writeLines([...l.slice(0, -1), editPrev(l[n - 1] as string)]);
    const { report } = await failures(t);
    expect(report.failure).toMatchObject({
      code: 'ENTRY_CHAIN', seq: n - 1, offset: t.offsetOf(n - 1),
      message: `Entry ${n - 1} was changed: its prev no longer links to entry ${n - 2}, which a signed checkpoint still vouches for.`,
    });
  });

  it('a changed last entry (nothing links to it) is found by the checkpoint over it, which names it', async () => {
    const t = await smallTranscript(tmp.dir, [...notes(4), 'checkpoint', ['step.note', '-', { text: 'last' }]]);
    const l = t.lines();
    const n = l.length;
    t.writeLines([...l.slice(0, -1), (l[n - 1] as string).replace('last', 'LAST')]);
    const { report } = await failures(t);
    expect(report.failure).toMatchObject({ code: 'CHECKPOINT_ROOT', seq: n - 1, offset: t.offsetOf(n - 1), message: expect.stringMatching(new RegExp(`^The entries do not match checkpoints/0+${n}\\.note \\(signed root over ${n} entries\\): entry ${n - 1} was changed\\.$`)) });
  });
});

describe('a bad line is named with its problem', () => {
  it('a line cut off before its newline (ENTRY_TORN)', async () => {
    const t = await smallTranscript(tmp.dir, notes(2));
    const l = t.lines();
    const n = l.length;
    const buf = Buffer.from(l.map((x) => x + '\n').join('').slice(0, -1));
    writeFileSync(path.join(t.dir, 'transcript.jsonl'), buf);
    const { report, scanned } = await failures(t);
    const expected = { code: 'ENTRY_TORN', seq: n - 1, offset: t.offsetOf(n - 1), message: `Entry ${n - 1} (byte ${t.offsetOf(n - 1)}) does not end with a newline: the transcript was cut off or its last byte changed.` };
    expect(report.failure).toEqual(expected);
    expect(scanned.failure).toEqual(expected);
  });

  it('a line that is not an entry (ENTRY_MALFORMED), with why', async () => {
    const t = await smallTranscript(tmp.dir, notes(3));
    const l = t.lines();
    t.writeLines([...l.slice(0, 2), '{"not":"an entry"}', ...l.slice(3)]);
    const { report, scanned } = await failures(t);
    expect(report.failure).toMatchObject({ code: 'ENTRY_MALFORMED', seq: 2, offset: t.offsetOf(2), message: expect.stringMatching(/^Entry 2 \(byte \d+\) is \S.*\.$/) });
    expect(report.failure?.message).toContain(`(byte ${t.offsetOf(2)})`);
    expect(scanned.failure).toEqual(report.failure);
  });

  it('an entry out of place (ENTRY_SEQ), with the position and the seq found', async () => {
    const t = await smallTranscript(tmp.dir, notes(4));
    const l = t.lines();
    t.writeLines([...l.slice(0, 2), ...l.slice(3)]);
    const { report, scanned } = await failures(t);
    const expected = {
      code: 'ENTRY_SEQ', seq: 2, offset: t.offsetOf(2), expected: '2', actual: '3',
      message: `Entry at position 2 (byte ${t.offsetOf(2)}) has seq 3: an entry was removed, duplicated, inserted or moved here.`,
    };
    expect(report.failure).toEqual(expected);
    expect(scanned.failure).toEqual(expected);
  });

  it('an entry of another ceremony (ENTRY_CEREMONY), naming both ceremonies', async () => {
    const t = await smallTranscript(tmp.dir, notes(4));
    const other = await smallTranscript(tmp.dir, notes(4));
    const l = t.lines();
    t.writeLines([...l.slice(0, 2), other.lines()[2] as string, ...l.slice(3)]);
    const { report } = await failures(t);
    expect(report.failure).toEqual({
      code: 'ENTRY_CEREMONY', seq: 2, offset: t.offsetOf(2), expected: t.ceremonyId, actual: other.ceremonyId,
      message: `Entry 2 (byte ${t.offsetOf(2)}) belongs to ceremony "${other.ceremonyId}", not "${t.ceremonyId}": it was spliced in from another transcript.`,
    });
    const scanned = scanTranscript(readFileSync(path.join(t.dir, 'transcript.jsonl')), t.ceremonyId);
    expect(scanned.failure).toEqual(report.failure);
    // Held to the ceremony asked for from entry 0 on (the signed origin names it).
    expect(scanTranscript(readFileSync(path.join(other.dir, 'transcript.jsonl')), t.ceremonyId).failure).toMatchObject({ code: 'ENTRY_CEREMONY', seq: 0, expected: t.ceremonyId, actual: other.ceremonyId });
  });
});

describe('the verifier\'s memory bounds', () => {
  it('keeps the facts to a sixth of the machine\'s memory, and takes a transcript of that many smallest entries per leaf hash', () => {
    const gib = 2 ** 30;
    expect(factBudget(6 * gib)).toBe(gib);
    expect(factBudget(6 * gib + 5)).toBe(gib);
    expect(transcriptSizeLimit(6 * 32 + 5)).toBe(MIN_ENTRY_LINE);
  });
});
