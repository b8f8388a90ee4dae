import { describe, expect, it } from 'vitest';
import { load, noKeyRuleTests, requiredStepTests, templateData } from './helpers';

describe('destroy', () => {
  requiredStepTests('destroy', 'destroy', ['air-gap-check', 'login', 'destroy-keys', 'seal'], ['otherTokens']);
  noKeyRuleTests('destroy');

  it('takes the other tokens that hold copies of the key', () => {
    const data = { ...templateData('destroy'), otherTokens: [{ module: 'softhsm', label: 'keyrite-recovery' }] };
    expect(load(data).script.otherTokens).toEqual([{ module: 'softhsm', label: 'keyrite-recovery' }]);
  });
});
