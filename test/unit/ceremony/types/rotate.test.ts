import { describe, expect, it } from 'vitest';
import { generatedKeyRuleTests, load, missingSectionTest, policyRefusal, requiredStepTests, rootPolicy, templateData } from './helpers';

describe('rotate', () => {
  requiredStepTests('rotate', 'rotate', ['air-gap-check', 'login', 'generate-key', 'cross-sign', 'deactivate', 'seal'], ['successor', 'targetToken', 'backup', 'certificate']);
  generatedKeyRuleTests('rotate');
  missingSectionTest('rotate', 'successor');

  it('the successor\'s algorithm must be one the class allows (POLICY_ALGORITHM at successor.algorithm)', () => {
    const data = templateData('rotate');
    data.successor = { ...(data.successor as object), algorithm: 'ec-p256' };
    // The certificate profile also refuses P-256 with SHA-384; the policy's own rule is the one pinned here.
    expect(policyRefusal(data, rootPolicy()).issues.filter((i) => i.code.startsWith('POLICY_'))).toEqual([expect.objectContaining({ path: 'successor.algorithm', code: 'POLICY_ALGORITHM' })]);
    expect(() => load(data)).not.toThrow();
  });
});
