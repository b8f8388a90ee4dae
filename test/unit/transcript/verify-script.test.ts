/**
 * The verifier's script and signer rules, on small transcripts signed correctly: what is checked
 * here is what the entries say, not tampering.
 */
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Journal } from '../../../electron/core/transcript/journal';
import { writeCheckpoint } from '../../../electron/core/transcript/checkpoint';
import { generateNoteKey, keyFileSigner } from '../../../electron/core/transcript/note';
import { verifyTranscript } from '../../../electron/core/transcript/verify';
import { tempDir } from '../../helpers/softhsm';

const tmp = tempDir('keyrite-verify-script-');
afterAll(() => tmp.cleanup());
const admin = { role: 'administrator', name: 'Ada' };
type Row = [kind: string, step: string, data?: unknown];
let n = 0;

async function transcript(rows: Row[], opts: { witnessKey?: string; extraSigners?: ReturnType<typeof keyFileSigner>[] } = {}): Promise<string> {
  const dir = path.join(tmp.dir, `t${n++}`);
  const id = `c-${n}`;
  const t = generateNoteKey(`keyrite.transcript/${id}`);
  const j = await Journal.create(path.join(dir, 'transcript.jsonl'), { ceremonyId: id });
  await j.append({
    kind: 'ceremony.start', step: '-', actor: admin,
    data: {
      script: { id: 's', title: 'S', type: 'test', sha256: '00'.repeat(32) }, steps: ['a', 'b'], transcriptKey: t.verifierKey, transcriptKeySource: 'file',
      participants: [admin, { role: 'witness', name: 'Wendy', ...(opts.witnessKey ? { verifierKey: opts.witnessKey } : {}) }],
    },
  });
  for (const [kind, step, data] of rows) await j.append({ kind, step, actor: admin, data: data ?? {} });
  await writeCheckpoint(dir, j, [keyFileSigner(t.signerKey), ...(opts.extraSigners ?? [])]);
  await j.close();
  return dir;
}

/** SHA-256 of no bytes: the fingerprint of the empty SPKI the key rows below record. */
const EMPTY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
const ok: Row[] = [['step.start', 'a'], ['step.result', 'a', { outcome: 'ok' }], ['step.start', 'b'], ['step.result', 'b', { outcome: 'ok' }]];

describe('verifier script rules', () => {
  it('accepts the steps in order, with a failed attempt retried and an attestation after the step', async () => {
    const r = await verifyTranscript(await transcript([
      ['step.start', 'a'], ['step.result', 'a', { outcome: 'failed', error: { code: 'X', message: 'card removed' } }], ['step.start', 'a'],
      ['step.result', 'a', { outcome: 'ok' }], ['step.attest', 'a', { witness: 'Wendy', statement: 'seen' }], ['step.start', 'b'], ['step.result', 'b', { outcome: 'ok' }],
      ['ceremony.sealed', '-', { entries: 8, outcome: 'completed' }],
    ]));
    expect(r.failure).toBeUndefined();
    expect(r.exceptions.map((x) => x.kind)).toEqual(['failed']);
  });

  const cases: [string, Row[], string, number][] = [
    ['step b before a', [['step.start', 'b'], ...ok], 'STEP_OUT_OF_ORDER', 1],
    ['unknown step', [...ok.slice(0, 2), ['step.note', 'zz'], ...ok.slice(2)], 'STEP_UNKNOWN', 3],
    ['attestation before its step', [['step.attest', 'b', { witness: 'W', statement: 's' }], ...ok], 'STEP_OUT_OF_ORDER', 1],
    ['sealed early', [...ok.slice(0, 2), ['ceremony.sealed', '-', { entries: 3, outcome: 'completed' }]], 'STEPS_INCOMPLETE', 3],
    ['never finished', ok.slice(0, 3), 'STEPS_INCOMPLETE', 4],
    ['intent without result', [['step.start', 'a'], ['step.intent', 'a', { opId: 'op1', operation: 'generateKeyPair', ckaId: 'aa' }], ...ok.slice(1)], 'INTENT_WITHOUT_RESULT', 2],
    ['attestation by someone the script does not list as a witness', [...ok.slice(0, 2), ['step.attest', 'a', { witness: 'Mallory', statement: 'seen' }], ...ok.slice(2)], 'ATTESTER_NOT_IN_SCRIPT', 3],
    ['attestation by the administrator, who is not a witness', [...ok.slice(0, 2), ['step.attest', 'a', { witness: 'Ada', statement: 'seen' }], ...ok.slice(2)], 'ATTESTER_NOT_IN_SCRIPT', 3],
    ['a recorded fingerprint that is not the recorded key\'s', [ok[0] as Row, ['key.generated', 'a', { label: 'k', id: '01', algorithm: 'ed25519', spki: '', fingerprint: `0${EMPTY_SHA256.slice(1)}`, fingerprintWords: [], proof: {} }], ...ok.slice(1)], 'KEY_FINGERPRINT_MISMATCH', 2],
    ['entry after seal', [...ok, ['ceremony.sealed', '-', { entries: 5, outcome: 'completed' }], ['step.note', '-']], 'ENTRY_AFTER_SEAL', 6],
  ];
  for (const [what, rows, code, seq] of cases) {
    it(`${what}: ${code} at entry ${seq}`, async () => {
      const r = await verifyTranscript(await transcript(rows));
      expect(r.failure).toMatchObject({ code, seq });
    });
  }

  it('a generated key must sign the newest checkpoint, and so must a registered witness', async () => {
    const root = generateNoteKey('keyrite.root/k');
    const keyRow: Row = ['key.generated', 'a', { label: 'k', id: '01', algorithm: 'ed25519', spki: '', fingerprint: EMPTY_SHA256, fingerprintWords: [], proof: {}, noteVerifierKey: root.verifierKey }];
    const rows: Row[] = [ok[0] as Row, keyRow, ...ok.slice(1)];
    expect((await verifyTranscript(await transcript(rows))).failure?.code).toBe('ROOT_KEY_NOT_PROVEN');
    expect((await verifyTranscript(await transcript(rows, { extraSigners: [keyFileSigner(root.signerKey)] }))).failure).toBeUndefined();
    const w = generateNoteKey('witness/wendy');
    expect((await verifyTranscript(await transcript(ok, { witnessKey: w.verifierKey }))).failure?.code).toBe('WITNESS_COSIGNATURE_MISSING');
    const cosigned = await verifyTranscript(await transcript(ok, { witnessKey: w.verifierKey, extraSigners: [keyFileSigner(w.signerKey)] }));
    expect(cosigned.failure).toBeUndefined();
    expect(cosigned.witnesses[0]).toMatchObject({ name: 'Wendy', checkpointsCosigned: 1 });
  });
});
