/**
 * The key-locked promise (verify-promises.ts) at its edges, on small transcripts: a restored key is
 * held to it as a generated one is, the lock must come before the seal and name the last key made,
 * and the failure names the seal's entry, the key and where it was made.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { verifyTranscript } from '../../../electron/core/transcript/verify';
import { tempDir } from '../../helpers/softhsm';
import { smallTranscript, type Row } from './small-transcript';

const tmp = tempDir('keyrite-key-locked-');
afterAll(() => tmp.cleanup());

const EMPTY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
const generated = (id: string): Row => ['key.generated', 'a', { label: 'k', id, algorithm: 'ed25519', spki: '', fingerprint: EMPTY_SHA256, fingerprintWords: [], proof: {} }];
const restored = (id: string): Row => ['key.restored', 'a', { label: 'k', id, fingerprint: EMPTY_SHA256 }];
const locked = (id: string, extractable: unknown = false): Row => ['key.locked', 'b', { id, label: 'k', proof: { extractable }, lock: [], required: [] }];
const sealed = (outcome = 'completed'): Row => ['ceremony.sealed', '-', { entries: 0, outcome }];
/** step a makes keys, step b holds the lock rows, then the seal and anything after it. */
const rows = (made: Row[], inB: Row[], after: Row[] = []): Row[] => [
  ['step.start', 'a'], ...made, ['step.result', 'a', { outcome: 'ok' }], ['step.start', 'b'], ...inB, ['step.result', 'b', { outcome: 'ok' }], sealed(), ...after,
];
const promising = { start: { promises: ['key-locked'] } };

async function verdict(r: Row[], opts: { start?: Record<string, unknown> } = promising) {
  const t = await smallTranscript(tmp.dir, r, opts);
  const sealSeq = t.lines().findIndex((l) => l.includes('"kind":"ceremony.sealed"'));
  return { report: await verifyTranscript(t.dir, { files: false }), sealSeq, sealOffset: t.offsetOf(sealSeq) };
}

describe('the key-locked promise, held against the transcript', () => {
  it('a restored key (recovery) is held to it: locked before the seal is VALID', async () => {
    const { report } = await verdict(rows([restored('beef')], [locked('beef')]));
    expect(report.failure).toBeUndefined();
  });

  it('a restored key not locked is KEY_NOT_LOCKED at the seal, naming the key and the entry that restored it', async () => {
    const { report, sealSeq, sealOffset } = await verdict(rows([restored('beef')], []));
    expect(report.failure).toEqual({
      code: 'KEY_NOT_LOCKED', seq: sealSeq, offset: sealOffset,
      message: 'The transcript promises the key ends locked in the token, but the ceremony sealed with no key.locked entry showing key beef (entry 2) read back not extractable: it may still be exported.',
    });
  });

  it('a lock written after the seal does not keep the promise', async () => {
    const { report, sealSeq } = await verdict(rows([generated('beef')], [], [locked('beef')]));
    expect(report.failure).toMatchObject({ code: 'KEY_NOT_LOCKED', seq: sealSeq });
  });

  it('the lock must be of the last key made: locking only an earlier one is KEY_NOT_LOCKED naming the last', async () => {
    const { report } = await verdict(rows([generated('0001'), generated('0002')], [locked('0001')]));
    expect(report.failure?.code).toBe('KEY_NOT_LOCKED');
    expect(report.failure?.message).toContain('key 0002 (entry 3)');
    const last = await verdict(rows([generated('0001'), generated('0002')], [locked('0002')]));
    expect(last.report.failure).toBeUndefined();
  });

  it('only a read-back of exactly false counts: a "false" string or a 0 is not a lock', async () => {
    for (const extractable of ['false', 0, null]) {
      const { report } = await verdict(rows([generated('beef')], [locked('beef', extractable)]));
      expect(report.failure?.code, String(extractable)).toBe('KEY_NOT_LOCKED');
    }
  });

  it('a sealed ceremony that promised a lock but made no key fails, saying no key was made', async () => {
    const { report, sealSeq, sealOffset } = await verdict(rows([], []));
    expect(report.failure).toEqual({
      code: 'KEY_NOT_LOCKED', seq: sealSeq, offset: sealOffset,
      message: 'The transcript promises the key ends locked in the token, but it records no key made or restored, and no lock.',
    });
  });

  it('is not held when ceremony.start promises other things only, or before the seal', async () => {
    expect((await verdict(rows([generated('beef')], []), { start: { promises: ['something-else'] } })).report.failure).toBeUndefined();
    expect((await verdict(rows([generated('beef')], []), { start: {} })).report.failure).toBeUndefined();
    const aborted: Row[] = [['step.start', 'a'], generated('beef'), ['step.result', 'a', { outcome: 'ok' }], sealed('aborted')];
    expect((await verdict(aborted)).report.failure?.code).not.toBe('KEY_NOT_LOCKED');
  });

  it('a ceremony that destroyed its key before the seal is not held to it', async () => {
    const destroyed: Row = ['key.destroyed', 'b', { id: 'beef', label: 'k' }];
    expect((await verdict(rows([generated('beef')], [destroyed]))).report.failure).toBeUndefined();
  });

  it('a key.locked entry with no read-back at all does not count', async () => {
    const { report } = await verdict(rows([generated('beef')], [['key.locked', 'b', { id: 'beef', label: 'k' }]]));
    expect(report.failure?.code).toBe('KEY_NOT_LOCKED');
  });

  it('only a ceremony.sealed entry seals: an unsealed ceremony is not held to it, whatever other entries say', async () => {
    const open: Row[] = [['step.start', 'a'], generated('beef'), ['step.result', 'a', { outcome: 'ok' }], ['certificate.issued', 'a', { subject: 'CN=x', serial: '01', sha256: '12'.repeat(32), outcome: 'completed' }]];
    expect((await verdict(open)).report.failure?.code).not.toBe('KEY_NOT_LOCKED');
  });
});
