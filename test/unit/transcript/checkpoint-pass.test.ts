/**
 * The verifier's checkpoint pass (verify-checkpoints.ts), through verifyTranscript: every
 * checkpoints/<size>.note and checkpoint.note is read, held to the ceremony's origin, to the entries'
 * root at its size and to the transcript key; what is wrong names the file and, where it can, the
 * entry. Checkpoints here are signed with the ceremony's own transcript key, so a refusal comes from
 * what they say, not from a bad signature (except where that is the point).
 */
import { cpSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkpointBody, checkpointFileName, originFor, parseCheckpoint } from '../../../electron/core/transcript/checkpoint';
import { cosignNote, generateNoteKey, keyFileSigner, parseNote, parseVerifierKey, signNote, hashHex } from '../../../electron/core/transcript/note';
import { verifyTranscript } from '../../../electron/core/transcript/verify';
import { tempDir } from '../../helpers/softhsm';
import { smallTranscript, type Row, type SmallTranscript } from './small-transcript';

const tmp = tempDir('keyrite-checkpoint-pass-');
afterAll(() => tmp.cleanup());

/** Checkpoints at sizes 2, 3, 4 and 5 (the last also checkpoint.note). */
const rows: Row[] = [['step.start', 'a'], 'checkpoint', ['step.result', 'a', { outcome: 'ok' }], 'checkpoint', ['step.start', 'b'], 'checkpoint', ['step.result', 'b', { outcome: 'ok' }]];
const cpFile = (t: SmallTranscript, size: number) => path.join(t.dir, 'checkpoints', checkpointFileName(size));
const rootAt = (t: SmallTranscript, size: number) => parseCheckpoint(parseNote(readFileSync(cpFile(t, size), 'utf8')).text).root;
const signer = (t: SmallTranscript) => keyFileSigner(t.transcriptKey.signerKey);
const verify = (t: SmallTranscript) => verifyTranscript(t.dir, { files: false });
let copies = 0;
function copyOf(t: SmallTranscript): SmallTranscript {
  const dir = path.join(tmp.dir, `copy-${copies++}`);
  cpSync(t.dir, dir, { recursive: true });
  return { ...t, dir };
}

describe('checkpoint files', () => {
  it('reports every checkpoint in checkpoints/ with its size, root and signers (checkpoint.note is the newest, not counted again)', async () => {
    const t = await smallTranscript(tmp.dir, rows);
    const r = await verify(t);
    expect(r.failure).toBeUndefined();
    const id = parseVerifierKey(t.transcriptKey.verifierKey);
    const me = `${id.name}+${hashHex(id.keyHash)}`;
    expect(r.checkpoints).toEqual([2, 3, 4, 5].map((size) => ({
      file: path.join('checkpoints', checkpointFileName(size)), size, root: Buffer.from(rootAt(t, size)).toString('hex'), signedBy: [me], unknownSigners: [],
    })));
    expect(r.signers[0]?.checkpointsSigned).toBe(4);
  });

  it('reads only .note files in checkpoints/, in order of size whatever their names', async () => {
    const t = await smallTranscript(tmp.dir, rows);
    writeFileSync(path.join(t.dir, 'checkpoints', 'README.txt'), 'not a note\n');
    // A copy of the size-2 checkpoint under a name that sorts after every other.
    writeFileSync(path.join(t.dir, 'checkpoints', 'zz-copy.note'), readFileSync(cpFile(t, 2)));
    writeFileSync(path.join(t.dir, 'checkpoints', '000002-copy.note'), readFileSync(cpFile(t, 2)));
    const r = await verify(t);
    expect(r.failure).toBeUndefined();
    expect(r.checkpoints.map((c) => c.size)).toEqual([2, 2, 2, 3, 4, 5]);
    // Same size: in name order, whatever order the folder lists them in.
    expect(r.checkpoints.map((c) => c.file)).toEqual(['000002-copy', '000002', 'zz-copy', '000003', '000004', '000005'].map((n) => path.join('checkpoints', `${n}.note`)));
  });

  it('a second copy of a checkpoint with another root is refused, naming the last entry it covers', async () => {
    const t = await smallTranscript(tmp.dir, rows);
    writeFileSync(path.join(t.dir, 'checkpoints', 'zz-copy.note'), await signNote(checkpointBody(originFor(t.ceremonyId), 4, new Uint8Array(32).fill(3)), [signer(t)]));
    expect((await verify(t)).failure).toMatchObject({ code: 'CHECKPOINT_ROOT', checkpoint: path.join(t.dir, 'checkpoints', 'zz-copy.note'), seq: 3, offset: t.offsetOf(3) });
  });

  it('names a checkpoint in checkpoints/ that cannot be read (CHECKPOINT_MALFORMED)', async () => {
    const t = await smallTranscript(tmp.dir, rows);
    writeFileSync(cpFile(t, 3), 'keyrite.transcript/x\nnot a size\n');
    const r = await verify(t);
    expect(r.failure).toMatchObject({ code: 'CHECKPOINT_MALFORMED', checkpoint: cpFile(t, 3), message: expect.stringMatching(/^checkpoints\/000003\.note: \S/) });
  });

  it('names a checkpoint.note that cannot be read (CHECKPOINT_MALFORMED)', async () => {
    const t = await smallTranscript(tmp.dir, rows);
    writeFileSync(path.join(t.dir, 'checkpoint.note'), 'garbage');
    const r = await verify(t);
    expect(r.failure).toMatchObject({ code: 'CHECKPOINT_MALFORMED', checkpoint: path.join(t.dir, 'checkpoint.note'), message: expect.stringMatching(/^checkpoint\.note: \S/) });
  });

  it('refuses a checkpoint.note with no checkpoints/ beside it', async () => {
    const t = await smallTranscript(tmp.dir, rows);
    rmSync(path.join(t.dir, 'checkpoints'), { recursive: true });
    expect((await verify(t)).failure).toEqual({
      code: 'CHECKPOINT_LATEST_MISMATCH', checkpoint: path.join(t.dir, 'checkpoint.note'),
      message: 'checkpoint.note (size 5) is not the newest checkpoint in checkpoints/ (none).',
    });
  });

  it('refuses a checkpoint.note of the newest size whose content differs from checkpoints/ (both signed by the transcript key)', async () => {
    const t = await smallTranscript(tmp.dir, rows);
    const other = await signNote(checkpointBody(originFor(t.ceremonyId), 5, new Uint8Array(32).fill(7)), [signer(t)]);
    writeFileSync(path.join(t.dir, 'checkpoint.note'), other);
    expect((await verify(t)).failure).toMatchObject({ code: 'CHECKPOINT_LATEST_MISMATCH', message: 'checkpoint.note (size 5) is not the newest checkpoint in checkpoints/ (size 5).' });
  });

  it('a checkpoint.note that is an older checkpoint is CHECKPOINT_LATEST_MISMATCH; the entries checkpoints/ vouches for are not called unvouched', async () => {
    const t = await smallTranscript(tmp.dir, rows);
    writeFileSync(path.join(t.dir, 'checkpoint.note'), readFileSync(cpFile(t, 4)));
    const r = await verify(t);
    expect(r.valid).toBe(false);
    expect(r.failure).toEqual({ code: 'CHECKPOINT_LATEST_MISMATCH', checkpoint: path.join(t.dir, 'checkpoint.note'), message: 'checkpoint.note (size 4) is not the newest checkpoint in checkpoints/ (size 5).' });
  });

  it('with the newest checkpoint gone from checkpoints/ too, the last entry is unvouched for and named (ENTRIES_NOT_CHECKPOINTED), before the file', async () => {
    const t = await smallTranscript(tmp.dir, rows);
    writeFileSync(path.join(t.dir, 'checkpoint.note'), readFileSync(cpFile(t, 4)));
    rmSync(cpFile(t, 5));
    expect((await verify(t)).failure).toEqual({ code: 'ENTRIES_NOT_CHECKPOINTED', seq: 4, offset: t.offsetOf(4), message: 'Entries from seq 4 to 4 are not covered by any signed checkpoint.' });
  });

  it('refuses a checkpoint for another ceremony (CHECKPOINT_ORIGIN), even with the right root and signer', async () => {
    const t = await smallTranscript(tmp.dir, rows);
    writeFileSync(cpFile(t, 3), await signNote(checkpointBody('keyrite.transcript/another', 3, rootAt(t, 3)), [signer(t)]));
    expect((await verify(t)).failure).toEqual({
      code: 'CHECKPOINT_ORIGIN', checkpoint: cpFile(t, 3), expected: originFor(t.ceremonyId), actual: 'keyrite.transcript/another',
      message: `checkpoints/000003.note is for "keyrite.transcript/another", not "${originFor(t.ceremonyId)}".`,
    });
  });

  it('refuses checkpoints covering more entries than the transcript holds, naming the first missing entry', async () => {
    const t = await smallTranscript(tmp.dir, rows);
    t.writeLines(t.lines().slice(0, 3));
    expect((await verify(t)).failure).toEqual({
      code: 'CHECKPOINT_BEYOND_END', checkpoint: cpFile(t, 4), seq: 3,
      message: 'checkpoints/000004.note covers 4 entries but the transcript has 3: entries from seq 3 were removed.',
    });
  });

  it('a checkpoint whose root is not the entries\' names the first entry it may blame: the one after the last good checkpoint', async () => {
    const t = await smallTranscript(tmp.dir, rows);
    const wrong = new Uint8Array(32).fill(9);
    const right = rootAt(t, 4);
    writeFileSync(cpFile(t, 4), await signNote(checkpointBody(originFor(t.ceremonyId), 4, wrong), [signer(t)]));
    expect((await verify(t)).failure).toEqual({
      code: 'CHECKPOINT_ROOT', checkpoint: cpFile(t, 4), seq: 3, offset: t.offsetOf(3),
      expected: Buffer.from(wrong).toString('hex'), actual: Buffer.from(right).toString('hex'),
      message: 'The entries do not match checkpoints/000004.note (signed root over 4 entries): entry 3 was changed.',
    });
    // With no good checkpoint before it, any entry up to the checkpoint's last may be the changed one.
    const first = await smallTranscript(tmp.dir, [...rows.filter((x) => x !== 'checkpoint')]);
    writeFileSync(cpFile(first, 5), await signNote(checkpointBody(originFor(first.ceremonyId), 5, wrong), [signer(first)]));
    writeFileSync(path.join(first.dir, 'checkpoint.note'), readFileSync(cpFile(first, 5)));
    expect((await verify(first)).failure).toMatchObject({
      code: 'CHECKPOINT_ROOT', seq: 0, offset: 0,
      message: 'The entries do not match checkpoints/000005.note (signed root over 5 entries): entry 0 (or one after it, up to 4) was changed.',
    });
  });

  it('a checkpoint over no entries is held to the empty tree\'s root', async () => {
    const t = await smallTranscript(tmp.dir, rows);
    writeFileSync(cpFile(t, 0), await signNote(checkpointBody(originFor(t.ceremonyId), 0, new Uint8Array(32).fill(9)), [signer(t)]));
    expect((await verify(t)).failure).toMatchObject({ code: 'CHECKPOINT_ROOT', seq: 0, offset: 0, message: 'The entries do not match checkpoints/000000.note (signed root over 0 entries): entry 0 was changed.' });
  });

  it('checks no signature once the entries fail, even where every checkpoint still matches them', async () => {
    const t = await smallTranscript(tmp.dir, rows);
    t.writeLines([...t.lines(), '{"not":"an entry"}']);
    const r = await verify(t);
    expect(r.failure).toMatchObject({ code: 'ENTRY_MALFORMED', seq: 5 });
    expect(r.checkpoints).toEqual([]);
    expect(r.signers[0]?.checkpointsSigned).toBe(0);
  });

  it('checks no signature once the entries fail, and lists no checkpoint as vouching for them', async () => {
    const t = await smallTranscript(tmp.dir, rows);
    const l = t.lines();
    t.writeLines([l[0] as string, (l[1] as string).replace('"step":"a"', '"step":"b"'), ...l.slice(2)]);
    const r = await verify(t);
    expect(r.failure?.code).toBe('ENTRY_CHAIN');
    expect(r.checkpoints).toEqual([]);
  });
});

describe('checkpoint signatures', () => {
  it('the newest checkpoint\'s signers are checkpoint.note\'s: a witness cosignature there alone is enough for the newest', async () => {
    const w = generateNoteKey('witness/wendy');
    const t = await smallTranscript(tmp.dir, rows, { start: { participants: [{ role: 'witness', name: 'Wendy', verifierKey: w.verifierKey }] }, extraSigners: [keyFileSigner(w.signerKey)] });
    const latest = path.join(t.dir, 'checkpoint.note');
    // checkpoints/000005.note without the witness; checkpoint.note with it.
    writeFileSync(cpFile(t, 5), await signNote(parseNote(readFileSync(latest, 'utf8')).text, [signer(t)]));
    const r = await verify(t);
    expect(r.failure).toBeUndefined();
    expect(r.witnesses).toEqual([expect.objectContaining({ name: 'Wendy', checkpointsCosigned: 3 })]);
  });

  it('a damaged signature by a known key is CHECKPOINT_SIGNATURE_INVALID naming the file', async () => {
    const t = await smallTranscript(tmp.dir, rows);
    const text = readFileSync(cpFile(t, 3), 'utf8');
    const damaged = text.replace(/(\u2014 \S+ )(\S+)\n$/u, (_m, head: string, sig: string) => {
      const b = Buffer.from(sig, 'base64');
      b[b.length - 1] = (b[b.length - 1] as number) ^ 1;
      return `${head}${b.toString('base64')}\n`;
    });
    writeFileSync(cpFile(t, 3), damaged);
    expect((await verify(t)).failure).toMatchObject({ code: 'CHECKPOINT_SIGNATURE_INVALID', checkpoint: cpFile(t, 3), message: expect.stringMatching(/^checkpoints\/000003\.note: The signature by /) });
  });

  it('a checkpoint signed by no known key is refused, naming the file', async () => {
    const t = await smallTranscript(tmp.dir, rows);
    const stranger = keyFileSigner(generateNoteKey(`keyrite.transcript/${t.ceremonyId}`).signerKey);
    writeFileSync(cpFile(t, 3), await signNote(checkpointBody(originFor(t.ceremonyId), 3, rootAt(t, 3)), [stranger]));
    expect((await verify(t)).failure).toEqual({
      code: 'CHECKPOINT_NOT_SIGNED_BY_TRANSCRIPT_KEY', checkpoint: cpFile(t, 3),
      message: 'checkpoints/000003.note carries no signature from any known key (not even the transcript key).',
    });
  });

  it('a checkpoint signed by a recorded key but not the transcript key is refused, naming the file and the key', async () => {
    const w = generateNoteKey('witness/wendy');
    const t = await smallTranscript(tmp.dir, rows, { start: { participants: [{ role: 'witness', name: 'Wendy', verifierKey: w.verifierKey }] }, extraSigners: [keyFileSigner(w.signerKey)] });
    expect((await verify(t)).failure).toBeUndefined();
    writeFileSync(cpFile(t, 3), await signNote(checkpointBody(originFor(t.ceremonyId), 3, rootAt(t, 3)), [keyFileSigner(w.signerKey)]));
    expect((await verify(t)).failure).toEqual({
      code: 'CHECKPOINT_NOT_SIGNED_BY_TRANSCRIPT_KEY', checkpoint: cpFile(t, 3),
      message: `checkpoints/000003.note is not signed by the transcript key keyrite.transcript/${t.ceremonyId}.`,
    });
  });

  it('an unknown signer on a checkpoint in checkpoints/ is reported on that checkpoint and in the report, never as a signer', async () => {
    const t = await smallTranscript(tmp.dir, rows);
    const mallory = generateNoteKey('witness/mallory');
    writeFileSync(cpFile(t, 3), await cosignNote(readFileSync(cpFile(t, 3), 'utf8'), [keyFileSigner(mallory.signerKey)]));
    const r = await verify(copyOf(t));
    const m = parseVerifierKey(mallory.verifierKey);
    const id = `${m.name}+${hashHex(m.keyHash)}`;
    expect(r.unknownSigners).toEqual([id]);
    expect(r.checkpoints.map((c) => c.unknownSigners)).toEqual([[], [id], [], []]);
    expect(r.signers.map((s) => s.name)).not.toContain(m.name);
  });
});
