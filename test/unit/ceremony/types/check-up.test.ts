import { describe } from 'vitest';
import { noKeyRuleTests, requiredStepTests } from './helpers';

describe('check-up', () => {
  requiredStepTests('check-up', 'check-up', ['air-gap-check', 'check-up', 'seal'], []);
  noKeyRuleTests('check-up');
});
