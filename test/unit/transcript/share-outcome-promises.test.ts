/**
 * What became of a share, as the CLI, report.html and the Audit screen all say it: the LAST check
 * decides, earlier failed checks are counted (never hidden), and a rejected share is never called
 * verified. The file the custodian took away is the last one written for that share.
 */
import { describe, expect, it } from 'vitest';
import { describeShareOutcome, shareOutcome } from '../../../electron/core/transcript/share-outcome';
import type { ShareFact } from '../../../electron/core/transcript/verify-types';

const split = (over: Partial<ShareFact> = {}): ShareFact => ({
  seq: 5, splitId: 'ab12', k: 2, n: 3,
  shares: [
    { custodian: 'Carol', index: 1, fingerprint: 'f1', medium: 'file' },
    { custodian: 'Dan', index: 2, fingerprint: 'f2' },
    { custodian: 'Erin', index: 3, fingerprint: 'f3', medium: 'paper' },
  ] as ShareFact['shares'],
  verified: [], delivered: [], ...over,
});
const check = (index: number, ok: boolean, method?: string) => ({ custodian: 'x', index, ok, ...(method ? { method } : {}) });

describe('shareOutcome: the last check decides', () => {
  it('a share never checked is "not verified"', () => {
    const o = shareOutcome(split({ verified: [check(2, true, 'words')] }), 1);
    expect(o).toEqual({ status: 'not verified', failedChecks: 0, medium: 'file' });
    expect(describeShareOutcome(o)).toBe('not verified');
  });

  it('failed, then passed: verified, by the passing method, the failure counted', () => {
    const o = shareOutcome(split({ verified: [check(1, false, 'words'), check(1, true, 'file'), check(2, false)] }), 1);
    expect(o).toEqual({ status: 'verified', method: 'file', failedChecks: 1, medium: 'file' });
    expect(describeShareOutcome(o)).toBe('verified (file opened with the passphrase; 1 failed check before)');
  });

  it('passed, then failed: rejected, and no method is claimed', () => {
    const o = shareOutcome(split({ verified: [check(3, true, 'words'), check(3, false, 'words')] }), 3);
    expect(o).toEqual({ status: 'rejected', failedChecks: 1, medium: 'paper' });
    expect(describeShareOutcome(o)).toBe('REJECTED at verification');
  });

  it('the file is the last one written for that share; a share with no recorded medium has none', () => {
    const delivered = [
      { custodian: 'Dan', index: 2, medium: 'file', fileName: 'dan-1.age', sha256: 'aa' },
      { custodian: 'Carol', index: 1, medium: 'file', fileName: 'carol.age', sha256: 'cc' },
      { custodian: 'Dan', index: 2, medium: 'file', fileName: 'dan-2.age', sha256: 'bb' },
    ];
    const o = shareOutcome(split({ delivered, verified: [check(2, true)] }), 2);
    expect(o).toEqual({ status: 'verified', failedChecks: 0, file: { name: 'dan-2.age', sha256: 'bb' } });
    expect(describeShareOutcome(o)).toBe('verified');
  });
});

describe('describeShareOutcome', () => {
  const verified = (method: string | undefined, failedChecks: number) => describeShareOutcome({ status: 'verified', failedChecks, ...(method ? { method } : {}) });
  it('names how the share was checked, and an unknown method as recorded', () => {
    expect(verified('words', 0)).toBe('verified (words re-entered)');
    expect(verified('token', 0)).toBe('verified (opened on the custodian\'s token)');
    expect(verified('qr', 0)).toBe('verified (qr)');
  });

  it('counts failed checks before the passing one, singular and plural', () => {
    expect(verified(undefined, 1)).toBe('verified (1 failed check before)');
    expect(verified('words', 2)).toBe('verified (words re-entered; 2 failed checks before)');
  });

  it('a rejected share says how many checks failed when more than one', () => {
    expect(describeShareOutcome({ status: 'rejected', failedChecks: 1 })).toBe('REJECTED at verification');
    expect(describeShareOutcome({ status: 'rejected', failedChecks: 3, method: 'words' })).toBe('REJECTED at verification (3 failed checks)');
  });
});

describe('a share the split does not list', () => {
  it('has no medium and is not verified (nothing is made up for it)', () => {
    expect(shareOutcome(split(), 9)).toEqual({ status: 'not verified', failedChecks: 0 });
  });
});
