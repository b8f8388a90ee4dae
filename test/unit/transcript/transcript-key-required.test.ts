/**
 * A transcript is held to its own transcript key: ceremony.start records it, and every checkpoint
 * must carry its signature. A ceremony.start that records none (absent, or not text) is INVALID,
 * naming entry 0, even when its checkpoints are signed by another key it records (a witness's, a
 * generated key's): without the transcript key any recorded key would vouch for the entries, and
 * the auditor would have no key to compare with the signed paper report. Found by a surviving
 * mutant (verify-keys.ts, the transcript key's lookup by role): such a transcript was VALID.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { generateNoteKey, keyFileSigner } from '../../../electron/core/transcript/note';
import { verifyTranscript } from '../../../electron/core/transcript/verify';
import { tempDir } from '../../helpers/softhsm';
import { admin, okSteps, smallTranscript, type Row } from './small-transcript';

const tmp = tempDir('keyrite-transcript-key-required-');
afterAll(() => tmp.cleanup());

const EMPTY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
const NO_KEY = 'Entry 0 (ceremony.start) records no transcript key: nothing ties the signed checkpoints to this ceremony.';

describe('the transcript key ceremony.start must record', () => {
  const wendy = generateNoteKey('witness/wendy');
  const withWitness = { participants: [admin, { role: 'witness', name: 'Wendy', verifierKey: wendy.verifierKey }] };

  for (const [what, transcriptKey] of [['absent', undefined], ['not text', 42], ['null', null]] as const) {
    it(`${what}: INVALID at entry 0, though a recorded witness key signs every checkpoint`, async () => {
      const t = await smallTranscript(tmp.dir, okSteps, { start: { ...withWitness, transcriptKey }, extraSigners: [keyFileSigner(wendy.signerKey)] });
      const r = await verifyTranscript(t.dir, { files: false });
      expect(r.valid).toBe(false);
      expect(r.failure).toEqual({ code: 'ENTRY_MALFORMED', seq: 0, offset: 0, message: NO_KEY });
      expect(r.transcriptKeys).toEqual([]);
      // The witness's signatures were still checked and counted: only the missing key fails.
      expect(r.signers.map((s) => [s.role, s.checkpointsSigned])).toEqual([['witness', 1]]);
    });
  }

  it('absent, with the checkpoints signed by a generated key instead: INVALID at entry 0', async () => {
    const root = generateNoteKey('keyrite.root/k');
    const keyRow: Row = ['key.generated', 'a', { label: 'k', id: '01', algorithm: 'ed25519', spki: '', fingerprint: EMPTY_SHA256, fingerprintWords: [], proof: {}, noteVerifierKey: root.verifierKey }];
    const t = await smallTranscript(tmp.dir, [okSteps[0] as Row, keyRow, ...okSteps.slice(1)], { start: { transcriptKey: undefined }, extraSigners: [keyFileSigner(root.signerKey)] });
    const r = await verifyTranscript(t.dir, { files: false });
    expect(r.failure).toEqual({ code: 'ENTRY_MALFORMED', seq: 0, offset: 0, message: NO_KEY });
  });

  it('an unusable one is named as such, once (not also as missing)', async () => {
    const t = await smallTranscript(tmp.dir, okSteps, { start: { ...withWitness, transcriptKey: 'keyrite.transcript/x+garbage' }, extraSigners: [keyFileSigner(wendy.signerKey)] });
    const r = await verifyTranscript(t.dir, { files: false });
    expect(r.failure).toMatchObject({ code: 'ENTRY_MALFORMED', seq: 0, offset: 0, message: expect.stringMatching(/^Entry 0 records an unusable verifier key: \S/) as unknown });
    expect(r.transcriptKeys).toEqual([{ key: 'keyrite.transcript/x+garbage', source: 'file', fromSeq: 0, inForce: true }]);
  });

  it('recorded, the same transcript is VALID (the witness cosigns, the transcript key signs)', async () => {
    const t = await smallTranscript(tmp.dir, okSteps, { start: withWitness, extraSigners: [keyFileSigner(wendy.signerKey)] });
    const r = await verifyTranscript(t.dir, { files: false });
    expect(r.failure).toBeUndefined();
    expect(r.valid).toBe(true);
    expect(r.signers.map((s) => s.role)).toEqual(['transcript', 'witness']);
  });
});
