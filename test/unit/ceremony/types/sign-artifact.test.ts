import { describe, expect, it } from 'vitest';
import { load, noKeyRuleTests, refusal, requiredStepTests, templateData } from './helpers';

describe('sign-artifact', () => {
  requiredStepTests('sign-artifact', 'sign-artifact', ['air-gap-check', 'login', 'sign-artifact', 'seal'], ['signing']);
  noKeyRuleTests('sign-artifact');

  it('needs the artifact to sign (MISSING_SECTION at signing)', () => {
    const data = templateData('sign-artifact');
    delete (data.signing as Record<string, unknown>).artifact;
    expect(refusal(() => load(data)).issues).toEqual([expect.objectContaining({ path: 'signing', code: 'MISSING_SECTION', message: 'sign-artifact needs signing.artifact' })]);
  });
});
