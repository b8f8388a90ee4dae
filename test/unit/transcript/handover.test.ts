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
    const r = await verifyTranscript((await build('retired', { after: 'old' })).dir);
    expect(r.valid).toBe(false);
    expect(r.failure?.code).toBe('CHECKPOINT_SIGNED_BY_RETIRED_TRANSCRIPT_KEY');
  });

  it('refuses a handover checkpoint that the old key does not sign', async () => {
    const b = await build('uncosigned', { at: 'new' });
    const r = await verifyTranscript(b.dir);
    expect(r.failure).toMatchObject({ code: 'CHECKPOINT_HANDOVER_NOT_COSIGNED', seq: b.handoverSeq });
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
});
