/**
 * The auditor's policy (VerifyOptions.policy) must be something a hash can be taken of: the policy
 * file's text or bytes, or the parsed policy (hashed as RFC 8785 JSON). A value with no JSON form (a
 * function, a symbol, a BigInt, an object that contains itself) is unusable input, refused with
 * INPUT_POLICY_INVALID naming what was given, not hashed as an empty text and reported as a policy
 * mismatch, and not an untyped TypeError or stack overflow. A parsed null is JSON: it is compared.
 */
import { createHash } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { verifyTranscript } from '../../../electron/core/transcript/verify';
import { tempDir } from '../../helpers/softhsm';
import { okSteps, smallTranscript } from './small-transcript';

const tmp = tempDir('keyrite-policy-input-');
afterAll(() => tmp.cleanup());

const sha = (t: string) => createHash('sha256').update(t).digest('hex');

describe('a policy with no JSON form', () => {
  const cyclic: Record<string, unknown> = { id: 'p' };
  cyclic.self = cyclic;
  const cases: [string, unknown, string][] = [
    ['a function', () => 'policy', 'function'],
    ['a symbol', Symbol('policy'), 'symbol'],
    ['a BigInt', 3n, 'bigint'],
    ['an object that contains itself', cyclic, 'object'],
  ];
  for (const [what, policy, type] of cases) {
    it(`${what} is refused: INPUT_POLICY_INVALID, naming the type`, async () => {
      // Recorded: the hash of the empty text, which the refused value must not be taken for.
      const t = await smallTranscript(tmp.dir, okSteps, { start: { policy: { id: 'p', sha256: sha('') } } });
      const err = await verifyTranscript(t.dir, { files: false, policy }).then(() => null, (e: unknown) => e);
      expect(err).toMatchObject({ code: 'INPUT_POLICY_INVALID', action: 'Pass the policy file the ceremony ran under (its bytes).' });
      expect((err as Error).message).toBe(`The policy given is a ${type}, not the policy file's text, bytes or parsed JSON.`);
    });
  }

  it('a parsed null is JSON ("null"): held to the recorded hash like any other policy', async () => {
    const t = await smallTranscript(tmp.dir, okSteps, { start: { policy: { id: 'p', sha256: sha('null') } } });
    expect((await verifyTranscript(t.dir, { files: false, policy: null })).failure).toBeUndefined();
    expect((await verifyTranscript(t.dir, { files: false, policy: {} })).failure).toMatchObject({ code: 'POLICY_MISMATCH', expected: sha('{}'), actual: sha('null') });
  });
});
