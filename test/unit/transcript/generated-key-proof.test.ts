/**
 * Proof of possession is asked of generated keys only (verify-keys.ts -> verify.ts): the newest
 * checkpoint must carry the signature of each key a key.generated entry records, and of no other
 * key on that account. A key.generated whose verifier key is not text records nothing to prove, so
 * what fails is what really failed: a witness who did not cosign is named as that witness
 * (WITNESS_COSIGNATURE_MISSING), never as an unproven generated key; a transcript that does not
 * begin with ceremony.start is START_MISSING, whatever its first entry holds.
 */
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Journal } from '../../../electron/core/transcript/journal';
import { writeCheckpoint } from '../../../electron/core/transcript/checkpoint';
import { generateNoteKey, keyFileSigner } from '../../../electron/core/transcript/note';
import { verifyTranscript } from '../../../electron/core/transcript/verify';
import { tempDir } from '../../helpers/softhsm';
import { admin, okSteps, smallTranscript, type Row } from './small-transcript';

const tmp = tempDir('keyrite-generated-key-proof-');
afterAll(() => tmp.cleanup());

const EMPTY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
const keyRow = (noteVerifierKey: unknown): Row => ['key.generated', 'a', { label: 'k', id: '01', algorithm: 'ed25519', spki: '', fingerprint: EMPTY_SHA256, fingerprintWords: [], proof: {}, noteVerifierKey }];

describe('proof of possession', () => {
  const wendy = generateNoteKey('witness/wendy');
  const participants = [admin, { role: 'witness', name: 'Wendy', verifierKey: wendy.verifierKey }];

  it('a key.generated with no usable key asks none: the witness who did not cosign is the failure named', async () => {
    for (const noteVerifierKey of [42, null]) {
      // The witness's key is the last one recorded before the key.generated entry; Wendy signs nothing.
      const t = await smallTranscript(tmp.dir, [okSteps[0] as Row, keyRow(noteVerifierKey), ...okSteps.slice(1)], { start: { participants } });
      const r = await verifyTranscript(t.dir, { files: false });
      expect(r.failure).toEqual({
        code: 'WITNESS_COSIGNATURE_MISSING', checkpoint: 'checkpoint.note', actual: wendy.verifierKey,
        message: 'The latest checkpoint carries no cosignature by witness Wendy (witness/wendy), whose key is recorded at ceremony start.',
      });
      expect(r.signers.map((s) => s.role)).toEqual(['transcript', 'witness']);
    }
  });
});

describe('the first entry', () => {
  it('a transcript that begins with another kind of entry is START_MISSING at entry 0, whatever that entry holds', async () => {
    const ceremonyId = `not-started-${process.pid}`;
    const dir = path.join(tmp.dir, ceremonyId);
    const t = generateNoteKey(`keyrite.transcript/${ceremonyId}`);
    const j = await Journal.create(path.join(dir, 'transcript.jsonl'), { ceremonyId });
    // It even looks like a start (participants, steps) but records no transcript key.
    await j.append({ kind: 'step.start', step: 'a', actor: admin, data: { steps: ['a'], participants: [admin] } });
    await j.append({ kind: 'ceremony.start', step: '-', actor: admin, data: { script: { id: 's', title: 'S', type: 'test', sha256: '00'.repeat(32) }, steps: ['a'], participants: [admin], transcriptKey: t.verifierKey, transcriptKeySource: 'file' } });
    await writeCheckpoint(dir, j, [keyFileSigner(t.signerKey)]);
    await j.close();
    const r = await verifyTranscript(dir, { files: false });
    expect(r.valid).toBe(false);
    expect(r.failure).toEqual({ code: 'START_MISSING', seq: 0, offset: 0, message: 'The transcript does not begin with a ceremony.start entry.' });
  });
});
