/**
 * What verifyTranscript reports besides the verdict (verify.ts): where it looks for the transcript,
 * what it reads from ceremony.start, the auditor's options (--trusted-key, --policy), which of
 * several failures it names (the one at the earliest entry), and the signer and witness checks on
 * the newest checkpoint.
 */
import { createHash } from 'node:crypto';
import { closeSync, ftruncateSync, mkdirSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import canonicalize from 'canonicalize';
import { afterAll, describe, expect, it } from 'vitest';
import { generateNoteKey, hashHex, keyFileSigner, parseNote, parseVerifierKey, signNote } from '../../../electron/core/transcript/note';
import { verifyTranscript } from '../../../electron/core/transcript/verify';
import { checkpointBody, checkpointFileName, originFor, parseCheckpoint } from '../../../electron/core/transcript/checkpoint';
import { transcriptSizeLimit } from '../../../electron/core/transcript/verify-entries';
import { writeExports } from '../../../electron/core/transcript/exports';
import { tempDir } from '../../helpers/softhsm';
import { admin, okSteps, smallTranscript, type Row } from './small-transcript';

const tmp = tempDir('keyrite-verify-report-');
afterAll(() => tmp.cleanup());

const EMPTY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
const NO_TRUSTED_KEY = 'No --trusted-key given: signatures were checked against keys recorded in the transcript itself. Compare the transcript key below with the one on the signed paper report.';
const sealed: Row = ['ceremony.sealed', '-', { entries: 0, outcome: 'completed' }];
const idOf = (verifierKey: string) => {
  const v = parseVerifierKey(verifierKey);
  return `${v.name}+${hashHex(v.keyHash)}`;
};

describe('where the transcript is', () => {
  it('takes the folder or the transcript.jsonl in it, and reports the folder', async () => {
    const t = await smallTranscript(tmp.dir, [...okSteps, sealed]);
    const byDir = await verifyTranscript(t.dir, { files: false });
    const byFile = await verifyTranscript(path.join(t.dir, 'transcript.jsonl'), { files: false });
    expect(byDir).toMatchObject({ valid: true, dir: t.dir, entries: 6 });
    expect(byFile).toEqual(byDir);
  });

  it('refuses a folder with no transcript in it, saying what to give', async () => {
    const dir = path.join(tmp.dir, 'no-transcript');
    mkdirSync(path.join(dir, 'transcript.jsonl'), { recursive: true });
    await expect(verifyTranscript(dir)).rejects.toMatchObject({
      code: 'INPUT_NO_TRANSCRIPT', message: `${dir} holds no transcript.jsonl.`, action: 'Give the ceremony folder exported by Keyrite.',
    });
    const empty = path.join(tmp.dir, 'empty-folder');
    mkdirSync(empty);
    await expect(verifyTranscript(empty)).rejects.toMatchObject({ code: 'INPUT_NO_TRANSCRIPT' });
    const missing = path.join(tmp.dir, 'nowhere');
    await expect(verifyTranscript(missing)).rejects.toMatchObject({
      code: 'INPUT_NOT_FOUND', message: `${missing} does not exist.`, action: 'Give the ceremony folder (the one holding transcript.jsonl).',
    });
  });

  it('refuses a transcript larger than this machine can verify, before reading it, saying both sizes in MiB', async () => {
    const dir = path.join(tmp.dir, 'huge');
    mkdirSync(dir);
    const file = path.join(dir, 'transcript.jsonl');
    // A sparse file: past the limit, yet it takes no disk and is never read.
    const fd = openSync(file, 'w');
    ftruncateSync(fd, transcriptSizeLimit() + 2 ** 20);
    closeSync(fd);
    const mib = (n: number) => (n / 2 ** 20).toFixed(0);
    await expect(verifyTranscript(dir)).rejects.toMatchObject({
      code: 'INPUT_TOO_LARGE', action: 'Verify it on a machine with more memory.',
      message: `${file} is ${mib(transcriptSizeLimit() + 2 ** 20)} MiB, more than this machine can verify (at most ${mib(transcriptSizeLimit())} MiB for its memory).`,
    });
  });

  it('refuses a --trusted-key that is not a verifier key, quoting it, and takes one with spaces around it', async () => {
    const t = await smallTranscript(tmp.dir, okSteps);
    await expect(verifyTranscript(t.dir, { trustedKeys: ['nope'] })).rejects.toMatchObject({
      code: 'INPUT_TRUSTED_KEY_INVALID', message: expect.stringMatching(/^Trusted key "nope" is not a signed-note verifier key: \S/),
      action: 'Pass the key exactly as printed on the signed report (name+keyid+base64).',
    });
    const r = await verifyTranscript(t.dir, { files: false, trustedKeys: [`  ${t.transcriptKey.verifierKey}\n`] });
    expect(r.failure).toBeUndefined();
    expect(r.signers[0]?.trustedByAuditor).toBe(true);
    expect(r.warnings).not.toContain(NO_TRUSTED_KEY);
  });
});

describe('what ceremony.start says', () => {
  it('is reported: ceremony, script, participants, policy hash, rehearsal, provenance, times, root', async () => {
    const provenance = { keyrite: { version: '1.2.3' } };
    const t = await smallTranscript(tmp.dir, [...okSteps, sealed], {
      start: { participants: [admin, { role: 'witness', name: 'Wendy' }], policy: { id: 'p', sha256: 'cd'.repeat(32) }, rehearsal: true, provenance },
    });
    const r = await verifyTranscript(t.dir, { files: false });
    const entries = t.lines().map((l) => JSON.parse(l) as { time: string });
    expect(r).toMatchObject({
      valid: true, ceremonyId: t.ceremonyId, rehearsal: true, entries: 6,
      script: { id: 's', title: 'S', type: 'test', sha256: '00'.repeat(32) },
      participants: [{ role: 'administrator', name: 'Ada' }, { role: 'witness', name: 'Wendy' }],
      policySha256: 'cd'.repeat(32), provenance, started: entries[0]?.time, ended: entries[5]?.time,
    });
    expect(r.root).toMatch(/^[0-9a-f]{64}$/);
    expect(r.warnings).toEqual([NO_TRUSTED_KEY]);
  });

  it('a ceremony that is not a rehearsal is not reported as one, and a script with fields missing is reported with empty ones', async () => {
    const t = await smallTranscript(tmp.dir, okSteps, { start: { rehearsal: 'yes', script: {} } });
    const r = await verifyTranscript(t.dir, { files: false });
    expect(r.rehearsal).toBeUndefined();
    expect(r.script).toEqual({ id: '', title: '', type: '', sha256: '' });
    expect(r).not.toHaveProperty('policySha256');
    expect(r).not.toHaveProperty('provenance');
    expect(r.warnings).toContain('The ceremony was not sealed (no ceremony.sealed entry).');
    expect(r.warnings).toContain(NO_TRUSTED_KEY);
  });

  it('a ceremony.start with no script is reported with an empty one', async () => {
    const t = await smallTranscript(tmp.dir, okSteps, { start: { script: undefined, policy: { id: 'p' } } });
    const r = await verifyTranscript(t.dir, { files: false });
    expect(r.script).toEqual({ id: '', title: '', type: '', sha256: '' });
    expect(r).not.toHaveProperty('policySha256');
  });

  it('a checkpoint whose origin is not a Keyrite transcript\'s blames the checkpoint, not entry 0', async () => {
    const t = await smallTranscript(tmp.dir, okSteps);
    const latest = path.join(t.dir, 'checkpoint.note');
    const cp = parseCheckpoint(parseNote(readFileSync(latest, 'utf8')).text);
    const foreign = await signNote(checkpointBody(`example.org/log/${t.ceremonyId}`, cp.size, cp.root), [keyFileSigner(t.transcriptKey.signerKey)]);
    writeFileSync(latest, foreign);
    writeFileSync(path.join(t.dir, 'checkpoints', checkpointFileName(cp.size)), foreign);
    expect((await verifyTranscript(t.dir, { files: false })).failure).toMatchObject({ code: 'CHECKPOINT_ORIGIN', expected: originFor(t.ceremonyId), actual: `example.org/log/${t.ceremonyId}` });
  });

  it('a changed ceremony id in entry 0 blames entry 0, by the origin the checkpoint signed', async () => {
    const t = await smallTranscript(tmp.dir, okSteps);
    const l = t.lines();
    t.writeLines([(l[0] as string).replace(`"ceremony":"${t.ceremonyId}"`, '"ceremony":"forged"'), ...l.slice(1)]);
    const r = await verifyTranscript(t.dir, { files: false });
    expect(r.failure).toMatchObject({ code: 'ENTRY_CEREMONY', seq: 0, expected: t.ceremonyId, actual: 'forged' });
    expect(r.ceremonyId).toBe(t.ceremonyId);
  });
});

describe('the auditor\'s policy', () => {
  it('is held to the hash recorded at ceremony start, as text, as bytes, or as the parsed policy (canonical JSON)', async () => {
    const policy = { id: 'p', minN: 3 };
    const text = 'policy: strict\n';
    const byText = await smallTranscript(tmp.dir, okSteps, { start: { policy: { id: 'p', sha256: createHash('sha256').update(text).digest('hex') } } });
    expect((await verifyTranscript(byText.dir, { files: false, policy: text })).failure).toBeUndefined();
    expect((await verifyTranscript(byText.dir, { files: false, policy: Buffer.from(text) })).failure).toBeUndefined();
    const byObject = await smallTranscript(tmp.dir, okSteps, { start: { policy: { id: 'p', sha256: createHash('sha256').update(canonicalize(policy) as string).digest('hex') } } });
    expect((await verifyTranscript(byObject.dir, { files: false, policy: { minN: 3, id: 'p' } })).failure).toBeUndefined();
    const other = createHash('sha256').update('policy: lax\n').digest('hex');
    expect((await verifyTranscript(byText.dir, { files: false, policy: 'policy: lax\n' })).failure).toEqual({
      code: 'POLICY_MISMATCH', seq: 0, offset: 0, expected: other, actual: createHash('sha256').update(text).digest('hex'),
      message: `The ceremony ran under policy ${createHash('sha256').update(text).digest('hex')}, not the given policy (${other}).`,
    });
  });

  it('a transcript that records no policy does not match any given one', async () => {
    const t = await smallTranscript(tmp.dir, okSteps);
    const h = createHash('sha256').update('').digest('hex');
    expect((await verifyTranscript(t.dir, { files: false, policy: '' })).failure).toEqual({
      code: 'POLICY_MISMATCH', seq: 0, offset: 0, expected: h, actual: '(none recorded)', message: `The ceremony ran under policy (none recorded), not the given policy (${h}).`,
    });
  });
});

describe('the newest checkpoint\'s signers', () => {
  it('a generated key that does not sign it: ROOT_KEY_NOT_PROVEN, naming the key', async () => {
    const root = generateNoteKey('keyrite.root/k');
    const t = await smallTranscript(tmp.dir, [okSteps[0] as Row, ['key.generated', 'a', { label: 'k', id: '01', algorithm: 'ed25519', spki: '', fingerprint: EMPTY_SHA256, fingerprintWords: [], proof: {}, noteVerifierKey: root.verifierKey }], ...okSteps.slice(1)]);
    expect((await verifyTranscript(t.dir, { files: false })).failure).toEqual({
      code: 'ROOT_KEY_NOT_PROVEN', checkpoint: 'checkpoint.note', message: 'The latest checkpoint is not signed by the generated key keyrite.root/k: possession of the key is not proven.',
    });
  });

  it('a witness who does not cosign it: WITNESS_COSIGNATURE_MISSING, naming the witness and the key; an earlier cosignature is counted', async () => {
    const w = generateNoteKey('witness/wendy');
    const participants = [admin, { role: 'witness', name: 'Wendy', verifierKey: w.verifierKey }];
    const t = await smallTranscript(tmp.dir, [...okSteps.slice(0, 2), 'checkpoint', ...okSteps.slice(2)], { start: { participants }, extraSigners: [keyFileSigner(w.signerKey)] });
    const good = await verifyTranscript(t.dir, { files: false });
    expect(good.failure).toBeUndefined();
    expect(good.witnesses).toEqual([expect.objectContaining({ name: 'Wendy', checkpointsCosigned: 2 })]);
    // Re-sign the newest checkpoint (both copies) without the witness.
    const latest = path.join(t.dir, 'checkpoint.note');
    const resigned = await signNote(parseNote(readFileSync(latest, 'utf8')).text, [keyFileSigner(t.transcriptKey.signerKey)]);
    writeFileSync(latest, resigned);
    writeFileSync(path.join(t.dir, 'checkpoints', '000005.note'), resigned);
    const r = await verifyTranscript(t.dir, { files: false });
    expect(r.failure).toEqual({
      code: 'WITNESS_COSIGNATURE_MISSING', checkpoint: 'checkpoint.note', actual: w.verifierKey,
      message: 'The latest checkpoint carries no cosignature by witness Wendy (witness/wendy), whose key is recorded at ceremony start.',
    });
    expect(r.witnesses).toEqual([expect.objectContaining({ name: 'Wendy', checkpointsCosigned: 1 })]);
  });

  it('a trusted key that signs no checkpoint: TRUSTED_KEY_NOT_USED, naming it', async () => {
    const t = await smallTranscript(tmp.dir, okSteps);
    const k = generateNoteKey(`keyrite.transcript/${t.ceremonyId}`);
    expect((await verifyTranscript(t.dir, { files: false, trustedKeys: [k.verifierKey] })).failure).toEqual({
      code: 'TRUSTED_KEY_NOT_USED', checkpoint: 'checkpoint.note', actual: k.verifierKey, message: `The latest checkpoint carries no valid signature by the trusted key ${idOf(k.verifierKey)}.`,
    });
  });
});

describe('of several failures, the one at the earliest entry is named', () => {
  it('a failure at an entry comes before one tied to no entry, whatever the order they were found in', async () => {
    const t = await smallTranscript(tmp.dir, [okSteps[0] as Row, ['key.generated', 'a', { label: 'k', id: '01', algorithm: 'ed25519', spki: '', fingerprint: `0${EMPTY_SHA256.slice(1)}`, fingerprintWords: [], proof: {} }], ...okSteps.slice(1)], { noFinalCheckpoint: true });
    // No checkpoint at all (no entry), and a fingerprint that is not the key's (entry 2).
    expect((await verifyTranscript(t.dir, { files: false })).failure).toMatchObject({ code: 'KEY_FINGERPRINT_MISMATCH', seq: 2 });
  });

  it('a later-found failure at an earlier entry is named', async () => {
    const t = await smallTranscript(tmp.dir, [...okSteps.slice(0, 2), 'checkpoint', okSteps[2] as Row, ['key.generated', 'b', { label: 'k', id: '01', algorithm: 'ed25519', spki: '', fingerprint: `0${EMPTY_SHA256.slice(1)}`, fingerprintWords: [], proof: {} }], okSteps[3] as Row], { noFinalCheckpoint: true });
    // Entries 3.. are not checkpointed (found first, seq 3); the fingerprint (found later) is at entry 4: entry 3 is named.
    expect((await verifyTranscript(t.dir, { files: false })).failure).toMatchObject({ code: 'ENTRIES_NOT_CHECKPOINTED', seq: 3 });
    const p = await smallTranscript(tmp.dir, okSteps, { start: { participants: [admin, { role: 'witness', name: 'W', verifierKey: 'w+00+bad' }] } });
    // Two failures at entry 0: the first found (the unusable key) is named, not the policy found after it.
    expect((await verifyTranscript(p.dir, { files: false, policy: 'x' })).failure).toMatchObject({ code: 'ENTRY_MALFORMED', seq: 0 });
  });
});


describe('report.html beside the transcript', () => {
  it('is derived again as the seal rendered it (without the auditor\'s options), so it matches with --trusted-key and --policy too', async () => {
    const text = 'policy: strict\n';
    const t = await smallTranscript(tmp.dir, [...okSteps, sealed], { start: { policy: { id: 'p', sha256: createHash('sha256').update(text).digest('hex') } } });
    await writeExports(t.dir, { generatedAt: new Date('2026-01-02T03:04:05Z') });
    for (const opts of [{}, { trustedKeys: [t.transcriptKey.verifierKey] }, { policy: text }]) {
      const r = await verifyTranscript(t.dir, opts);
      expect(r.failure, JSON.stringify(opts)).toBeUndefined();
      expect(r.files?.find((f) => f.file === 'report.html')?.status, JSON.stringify(opts)).toBe('report-matches');
      expect(r.filesAllChecked).toBe(true);
    }
    const html = path.join(t.dir, 'report.html');
    writeFileSync(html, readFileSync(html, 'utf8').replace('VALID', 'VALlD'));
    expect((await verifyTranscript(t.dir)).files?.find((f) => f.file === 'report.html')?.status).toBe('report-differs');
  });

  it('a sealed folder without it was not all checked', async () => {
    const t = await smallTranscript(tmp.dir, [...okSteps, sealed]);
    const r = await verifyTranscript(t.dir);
    expect(r.valid).toBe(true);
    expect(r.filesAllChecked).toBe(false);
    expect(r.files?.find((f) => f.file === 'report.html')?.status).toBe('not-present');
  });
});

describe('recorded attestations', () => {
  it('an attestation of a key the transcript did not generate makes it INVALID, naming the entry', async () => {
    const t = await smallTranscript(tmp.dir, [okSteps[0] as Row, ['attestation.verified', 'a', { key: { fingerprint: 'ab'.repeat(32) }, keyCert: '', deviceCert: '' }], ...okSteps.slice(1)]);
    const r = await verifyTranscript(t.dir, { files: false });
    expect(r.failure).toMatchObject({ code: 'ATTESTATION_INVALID', seq: 2, offset: t.offsetOf(2), message: expect.stringContaining('which no earlier key.generated entry made') });
  });
});
