/**
 * The signer keys a transcript records (verify-keys.ts), as keyrite verify reports them: the
 * transcript key of ceremony.start and the one it is handed over to, each witness's key, each
 * generated key, and the auditor's --trusted-key. Each is listed once, with where it was recorded;
 * a recorded key that cannot be read fails the entry that records it.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { generateNoteKey, keyFileSigner } from '../../../electron/core/transcript/note';
import { verifyTranscript } from '../../../electron/core/transcript/verify';
import { tempDir } from '../../helpers/softhsm';
import { admin, okSteps, smallTranscript, type Row } from './small-transcript';

const tmp = tempDir('keyrite-recorded-keys-');
afterAll(() => tmp.cleanup());

/** SHA-256 of no bytes: the fingerprint of the empty SPKI the key rows below record. */
const EMPTY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
const keyRow = (noteVerifierKey: unknown): Row => ['key.generated', 'a', { label: 'k', id: '01', algorithm: 'ed25519', spki: '', fingerprint: EMPTY_SHA256, fingerprintWords: [], proof: {}, noteVerifierKey }];
const withKey = (row: Row): Row[] => [okSteps[0] as Row, row, ...okSteps.slice(1)];

describe('the keys a transcript records', () => {
  it('lists the transcript key, a witness key and a generated key once each, with role and the entry that recorded it', async () => {
    const w = generateNoteKey('witness/wendy');
    const root = generateNoteKey('keyrite.root/k');
    // The same generated key recorded twice (a retried step): one signer, not two.
    const t = await smallTranscript(tmp.dir, [okSteps[0] as Row, keyRow(root.verifierKey), keyRow(root.verifierKey), ...okSteps.slice(1)], {
      start: { participants: [admin, { role: 'witness', name: 'Wendy', verifierKey: w.verifierKey }] },
      extraSigners: [keyFileSigner(w.signerKey), keyFileSigner(root.signerKey)],
    });
    const r = await verifyTranscript(t.dir, { files: false });
    expect(r.failure).toBeUndefined();
    expect(r.signers.map(({ name, key, role, source, trustedByAuditor, checkpointsSigned }) => ({ name, key, role, source, trustedByAuditor, checkpointsSigned }))).toEqual([
      { name: `keyrite.transcript/${t.ceremonyId}`, key: t.transcriptKey.verifierKey, role: 'transcript', source: 'entry 0 (ceremony.start)', trustedByAuditor: false, checkpointsSigned: 1 },
      { name: 'witness/wendy', key: w.verifierKey, role: 'witness', source: 'entry 0 (ceremony.start)', trustedByAuditor: false, checkpointsSigned: 1 },
      { name: 'keyrite.root/k', key: root.verifierKey, role: 'root', source: 'entry 2 (key.generated)', trustedByAuditor: false, checkpointsSigned: 1 },
    ]);
    expect(r.transcriptKeys).toEqual([{ key: t.transcriptKey.verifierKey, source: 'file', fromSeq: 0, inForce: true }]);
  });

  it('reports a transcript key held on the token as such, and any other source as a file', async () => {
    const token = await smallTranscript(tmp.dir, okSteps, { start: { transcriptKeySource: 'token' } });
    expect((await verifyTranscript(token.dir, { files: false })).transcriptKeys).toEqual([{ key: token.transcriptKey.verifierKey, source: 'token', fromSeq: 0, inForce: true }]);
    const other = await smallTranscript(tmp.dir, okSteps, { start: { transcriptKeySource: 'usb-stick' } });
    expect((await verifyTranscript(other.dir, { files: false })).transcriptKeys).toEqual([{ key: other.transcriptKey.verifierKey, source: 'file', fromSeq: 0, inForce: true }]);
  });

  it('reads a ceremony.start with no participants (only the transcript key is recorded)', async () => {
    const t = await smallTranscript(tmp.dir, okSteps, { start: { participants: undefined } });
    const r = await verifyTranscript(t.dir, { files: false });
    expect(r.participants).toEqual([]);
    expect(r.signers.map((s) => s.role)).toEqual(['transcript']);
  });

  it('marks a recorded key the auditor trusts, and lists a trusted key the transcript does not record as the auditor\'s own', async () => {
    const t = await smallTranscript(tmp.dir, okSteps);
    const recorded = await verifyTranscript(t.dir, { files: false, trustedKeys: [t.transcriptKey.verifierKey] });
    expect(recorded.failure).toBeUndefined();
    expect(recorded.signers).toEqual([expect.objectContaining({ role: 'transcript', trustedByAuditor: true, source: 'entry 0 (ceremony.start)' })]);
    const stranger = generateNoteKey('auditor/own');
    const r = await verifyTranscript(t.dir, { files: false, trustedKeys: [stranger.verifierKey] });
    expect(r.signers).toEqual([
      expect.objectContaining({ role: 'transcript', trustedByAuditor: false }),
      { name: 'auditor/own', keyHash: expect.any(String), key: stranger.verifierKey, role: 'trusted', source: '--trusted-key', trustedByAuditor: true, checkpointsSigned: 0 },
    ]);
    expect(r.failure).toMatchObject({ code: 'TRUSTED_KEY_NOT_USED', actual: stranger.verifierKey });
  });

  it('fails the entry that records an unusable verifier key: a witness\'s at ceremony start', async () => {
    const t = await smallTranscript(tmp.dir, okSteps, { start: { participants: [admin, { role: 'witness', name: 'Wendy', verifierKey: 'witness/wendy+00000000+garbage' }] } });
    const r = await verifyTranscript(t.dir, { files: false });
    expect(r.failure).toMatchObject({ code: 'ENTRY_MALFORMED', seq: 0, offset: 0 });
    expect(r.failure?.message).toMatch(/^Entry 0 records an unusable verifier key: \S/);
    expect(r.signers.map((s) => s.role)).toEqual(['transcript']);
  });

  it('fails the entry that records an unusable verifier key: a generated key\'s, at its own seq and byte offset', async () => {
    const t = await smallTranscript(tmp.dir, withKey(keyRow('keyrite.root/k+not-a-key')));
    const r = await verifyTranscript(t.dir, { files: false });
    expect(r.failure).toMatchObject({ code: 'ENTRY_MALFORMED', seq: 2, offset: t.offsetOf(2) });
    expect(r.failure?.message).toMatch(/^Entry 2 records an unusable verifier key: /);
  });

  it('passes over a recorded verifier key that is not text (nothing to check it with), failing nothing for it', async () => {
    const t = await smallTranscript(tmp.dir, withKey(keyRow(42)));
    const r = await verifyTranscript(t.dir, { files: false });
    expect(r.failure).toBeUndefined();
    expect(r.signers.map((s) => s.role)).toEqual(['transcript']);
  });

  it('fails a handover to an unusable key at the handover entry, and keeps the key of ceremony start in force for the checkpoints', async () => {
    const t = await smallTranscript(tmp.dir, [
      ['step.start', 'a'], ['transcript.key-handover', 'a', { verifierKey: 'garbage', ckaId: 'c0ffee', label: 'keyrite-transcript', algorithm: 'ed25519' }],
      ...okSteps.slice(1),
    ]);
    const r = await verifyTranscript(t.dir, { files: false });
    expect(r.failure).toMatchObject({ code: 'ENTRY_MALFORMED', seq: 2, offset: t.offsetOf(2) });
    expect(r.transcriptKeys?.map((k) => k.key)).toEqual([t.transcriptKey.verifierKey, 'garbage']);
  });

  it('reports the handed-over key with its label, CKA_ID and token, and the first key until the handover', async () => {
    const next = generateNoteKey(`keyrite.transcript/next`);
    const token = { label: 'rehearsal', serial: '01' };
    const rows = (withToken: boolean): Row[] => [
      ['step.start', 'a'], 'checkpoint',
      ['transcript.key-handover', 'a', { verifierKey: next.verifierKey, ckaId: 'c0ffee', label: 'keyrite-transcript-x', algorithm: 'ed25519', ...(withToken ? { token } : {}) }],
      ...okSteps.slice(1),
    ];
    for (const withToken of [true, false]) {
      const t = await smallTranscript(tmp.dir, rows(withToken), { extraSigners: [keyFileSigner(next.signerKey)] });
      const r = await verifyTranscript(t.dir, { files: false });
      expect(r.failure).toBeUndefined();
      expect(r.transcriptKeys).toEqual([
        { key: t.transcriptKey.verifierKey, source: 'file', fromSeq: 0, inForce: false, untilSeq: 2 },
        { key: next.verifierKey, source: 'token', fromSeq: 2, inForce: true, label: 'keyrite-transcript-x', ckaId: 'c0ffee', ...(withToken ? { token } : {}) },
      ]);
      expect(r.signers.map((s) => [s.role, s.source])).toEqual([['transcript', 'entry 0 (ceremony.start)'], ['transcript', 'entry 2 (transcript.key-handover)']]);
    }
  });

  it('names both entries of a second handover', async () => {
    const next = generateNoteKey(`keyrite.transcript/next`);
    const handover: Row = ['transcript.key-handover', 'a', { verifierKey: next.verifierKey, ckaId: 'c0ffee', label: 'l', algorithm: 'ed25519' }];
    const t = await smallTranscript(tmp.dir, [['step.start', 'a'], handover, handover, ...okSteps.slice(1)], { extraSigners: [keyFileSigner(next.signerKey)] });
    const r = await verifyTranscript(t.dir, { files: false });
    expect(r.failure).toMatchObject({ code: 'TRANSCRIPT_KEY_HANDOVER_REPEATED', seq: 3, offset: t.offsetOf(3) });
    expect(r.failure?.message).toBe('Entry 3 hands the transcript key over a second time (the first handover is entry 2).');
  });

  it('records no transcript key when ceremony.start names none: nothing signs for the ceremony', async () => {
    const t = await smallTranscript(tmp.dir, okSteps, { start: { transcriptKey: undefined } });
    const r = await verifyTranscript(t.dir, { files: false });
    expect(r.transcriptKeys).toEqual([]);
    // Entry 0 is named (transcript-key-required.test.ts): before, only the checkpoints' signatures failed.
    expect(r.failure).toMatchObject({ code: 'ENTRY_MALFORMED', seq: 0, offset: 0 });
  });

  it('takes the transcript key from entry 0 only: a later ceremony.start does not add one', async () => {
    const other = generateNoteKey('keyrite.transcript/other');
    const t = await smallTranscript(tmp.dir, [...okSteps, ['ceremony.start', '-', { transcriptKey: other.verifierKey, participants: [] }]], { extraSigners: [keyFileSigner(other.signerKey)] });
    const r = await verifyTranscript(t.dir, { files: false });
    expect(r.transcriptKeys?.map((k) => k.key)).toEqual([t.transcriptKey.verifierKey]);
    expect(r.signers.map((s) => s.key)).toEqual([t.transcriptKey.verifierKey]);
  });

  it('asks proof of possession of generated keys only: a verifier key in another kind of entry is not one', async () => {
    const stranger = generateNoteKey('keyrite.root/stranger');
    const t = await smallTranscript(tmp.dir, withKey(['certificate.issued', 'a', { subject: 'CN=x', serial: '01', sha256: '12'.repeat(32), noteVerifierKey: stranger.verifierKey }]));
    const r = await verifyTranscript(t.dir, { files: false });
    expect(r.failure).toBeUndefined();
    expect(r.signers.map((s) => s.role)).toEqual(['transcript']);
  });
});
