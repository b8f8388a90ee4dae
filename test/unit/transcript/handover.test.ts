/**
 * The verifier's rules for the transcript key's handover to the token (transcript.key-handover):
 * the key recorded at ceremony start signs until the handover, the first checkpoint covering the
 * handover carries both keys, and every later checkpoint the handed-over key. Transcripts are built
 * through the transcript API with key-file signers standing in for the token key.
 */
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Journal } from '../../../electron/core/transcript/journal';
import { writeCheckpoint } from '../../../electron/core/transcript/checkpoint';
import { generateNoteKey, keyFileSigner, type NoteSigner } from '../../../electron/core/transcript/note-keys';
import { verifyTranscript } from '../../../electron/core/transcript/verify';
import { tempDir } from '../../helpers/softhsm';
import { readFileSync, writeFileSync } from 'node:fs';
import { checkpointBody, originFor, parseCheckpoint } from '../../../electron/core/transcript/checkpoint';
import { parseNote, signNote } from '../../../electron/core/transcript/note';
import { admin as smallAdmin, smallTranscript } from './small-transcript';

const tmp = tempDir('keyrite-handover-');
afterAll(() => tmp.cleanup());
const ID = 'root-2026';
const NAME = `keyrite.transcript/${ID}`;
const admin = { role: 'administrator', name: 'Ada' };

type Who = 'old' | 'new' | 'both';
interface Plan {
  /** Signers of the checkpoints: before the handover, the handover checkpoint, and after it. */
  before?: Who;
  at?: Who;
  after?: Who;
  handovers?: number;
  /** A checkpoint just before the handover entry (its size is the handover's seq), signed by these. */
  justBefore?: Who;
}

async function build(name: string, plan: Plan = {}) {
  const dir = path.join(tmp.dir, name);
  const oldKey = generateNoteKey(NAME);
  const newKey = generateNoteKey(NAME);
  const pick = (w: Who = 'old'): NoteSigner[] => {
    const o = keyFileSigner(oldKey.signerKey), n = keyFileSigner(newKey.signerKey);
    return w === 'old' ? [o] : w === 'new' ? [n] : [o, n];
  };
  const j = await Journal.create(path.join(dir, 'transcript.jsonl'), { ceremonyId: ID });
  await j.append({ kind: 'ceremony.start', step: '-', actor: admin, data: {
    script: { id: ID, title: 'Root', type: 'root-keygen', sha256: 'ab'.repeat(32) }, steps: ['room', 'login', 'generate'],
    participants: [admin], transcriptKey: oldKey.verifierKey, transcriptKeySource: 'file',
  } });
  await writeCheckpoint(dir, j, pick(plan.before ?? 'old'));
  const step = async (id: string, inside?: () => Promise<void>) => {
    await j.append({ kind: 'step.start', step: id, actor: admin, data: {} });
    if (inside) await inside();
    await j.append({ kind: 'step.result', step: id, actor: admin, data: { outcome: 'ok' } });
  };
  await step('room');
  await writeCheckpoint(dir, j, pick(plan.before ?? 'old'));
  let handoverSeq = -1;
  await step('login', async () => {
    if (plan.justBefore) await writeCheckpoint(dir, j, pick(plan.justBefore));
    for (let i = 0; i < (plan.handovers ?? 1); i++) {
      const e = await j.append({ kind: 'transcript.key-handover', step: 'login', actor: admin, data: {
        verifierKey: newKey.verifierKey, ckaId: 'c0ffee', label: `keyrite-transcript-${ID}`, algorithm: 'ed25519', token: { label: 'rehearsal', serial: '01' },
      } });
      if (handoverSeq < 0) handoverSeq = e.seq;
    }
  });
  await writeCheckpoint(dir, j, pick(plan.at ?? 'both'));
  await step('generate');
  await writeCheckpoint(dir, j, pick(plan.after ?? 'new'));
  await j.append({ kind: 'ceremony.sealed', step: '-', actor: admin, data: { entries: j.size, outcome: 'completed' } });
  await writeCheckpoint(dir, j, pick(plan.after ?? 'new'));
  await j.close();
  return { dir, oldKey: oldKey.verifierKey, newKey: newKey.verifierKey, handoverSeq };
}

describe('transcript key handover', () => {
  it('is valid when the handover checkpoint carries both keys and the later ones the token key; both keys are reported', async () => {
    const b = await build('valid');
    const r = await verifyTranscript(b.dir);
    expect(r.failure).toBeUndefined();
    expect(r.transcriptKeys).toEqual([
      expect.objectContaining({ key: b.oldKey, source: 'file', fromSeq: 0, untilSeq: b.handoverSeq, inForce: false }),
      expect.objectContaining({ key: b.newKey, source: 'token', fromSeq: b.handoverSeq, inForce: true, ckaId: 'c0ffee' }),
    ]);
    expect((await verifyTranscript(b.dir, { trustedKeys: [b.newKey] })).failure).toBeUndefined();
  });

  it('refuses a checkpoint after the handover signed only by the old key', async () => {
    const b = await build('retired', { after: 'old' });
    const r = await verifyTranscript(b.dir);
    expect(r.valid).toBe(false);
    expect(r.failure?.code).toBe('CHECKPOINT_SIGNED_BY_RETIRED_TRANSCRIPT_KEY');
    const [oldId, newId] = [b.oldKey, b.newKey].map((k) => k.split('+').slice(0, 2).join('+'));
    expect(r.failure?.message).toBe(`checkpoints/000008.note is signed by the transcript key ${oldId}, which was handed over to the token at entry ${b.handoverSeq} and destroyed; it lacks the token's transcript key ${newId}.`);
  });

  it('refuses a handover checkpoint that the old key does not sign', async () => {
    const b = await build('uncosigned', { at: 'new' });
    const r = await verifyTranscript(b.dir);
    expect(r.failure).toMatchObject({ code: 'CHECKPOINT_HANDOVER_NOT_COSIGNED', seq: b.handoverSeq });
    expect(r.failure?.message).toBe(`checkpoints/000006.note is the first checkpoint after the transcript key's handover (entry ${b.handoverSeq}) and lacks the signature of the key recorded at ceremony start (${b.oldKey.split('+').slice(0, 2).join('+')}): the handover is not vouched for.`);
  });

  it('holds a checkpoint that ends just before the handover entry to the old key alone', async () => {
    const b = await build('just-before', { justBefore: 'old' });
    expect((await verifyTranscript(b.dir)).failure).toBeUndefined();
    // The checkpoint just before is not the handover's: the first one covering the handover must still carry the old key.
    const uncosigned = await build('just-before-uncosigned', { justBefore: 'old', at: 'new' });
    expect((await verifyTranscript(uncosigned.dir)).failure).toMatchObject({ code: 'CHECKPOINT_HANDOVER_NOT_COSIGNED', seq: uncosigned.handoverSeq });
    const r = await verifyTranscript((await build('just-before-new', { justBefore: 'new' })).dir);
    expect(r.failure).toMatchObject({ code: 'CHECKPOINT_NOT_SIGNED_BY_TRANSCRIPT_KEY', message: expect.stringContaining('000004.note is not signed by the transcript key keyrite.transcript/root-2026.') });
  });

  it('refuses a checkpoint before the handover signed only by the token key', async () => {
    const r = await verifyTranscript((await build('early', { before: 'new' })).dir);
    expect(r.failure?.code).toBe('CHECKPOINT_NOT_SIGNED_BY_TRANSCRIPT_KEY');
  });

  it('refuses a second handover', async () => {
    const b = await build('twice', { handovers: 2 });
    const r = await verifyTranscript(b.dir);
    expect(r.failure).toMatchObject({ code: 'TRANSCRIPT_KEY_HANDOVER_REPEATED', seq: b.handoverSeq + 1 });
  });

  it('keeps the old rule without a handover: every checkpoint signed by the key from ceremony start', async () => {
    const b = await build('none', { handovers: 0, at: 'old', after: 'old' });
    const r = await verifyTranscript(b.dir);
    expect(r.failure).toBeUndefined();
    expect(r.transcriptKeys).toEqual([expect.objectContaining({ key: b.oldKey, source: 'file', inForce: true })]);
  });

  it('refuses a later checkpoint signed by another recorded key but by neither transcript key, naming the key in force', async () => {
    const next = generateNoteKey('keyrite.transcript/next');
    const w = generateNoteKey('witness/wendy');
    const t = await smallTranscript(tmp.dir, [
      ['step.start', 'a'], ['transcript.key-handover', 'a', { verifierKey: next.verifierKey, ckaId: 'c0ffee', label: 'l', algorithm: 'ed25519' }],
      ['step.result', 'a', { outcome: 'ok' }], 'checkpoint', ['step.start', 'b'], ['step.result', 'b', { outcome: 'ok' }],
    ], { start: { participants: [smallAdmin, { role: 'witness', name: 'Wendy', verifierKey: w.verifierKey }] }, extraSigners: [keyFileSigner(next.signerKey), keyFileSigner(w.signerKey)] });
    expect((await verifyTranscript(t.dir, { files: false })).failure).toBeUndefined();
    const latest = path.join(t.dir, 'checkpoint.note');
    const cp = parseCheckpoint(parseNote(readFileSync(latest, 'utf8')).text);
    const byWitness = await signNote(checkpointBody(originFor(t.ceremonyId), cp.size, cp.root), [keyFileSigner(w.signerKey)]);
    writeFileSync(latest, byWitness);
    const file = path.join(t.dir, 'checkpoints', '000006.note');
    writeFileSync(file, byWitness);
    expect((await verifyTranscript(t.dir, { files: false })).failure).toEqual({
      code: 'CHECKPOINT_NOT_SIGNED_BY_TRANSCRIPT_KEY', checkpoint: file,
      message: `checkpoints/000006.note is not signed by the transcript key in force (${next.verifierKey.split('+').slice(0, 2).join('+')}, handed over at entry 2).`,
    });
  });
});
