import { describe } from 'vitest';
import { missingSectionTest, noKeyRuleTests, requiredStepTests } from './helpers';

describe('reshare', () => {
  requiredStepTests('reshare', 'reshare', ['air-gap-check', 'reshare', 'seal'], ['backup']);
  noKeyRuleTests('reshare');
  missingSectionTest('reshare', 'backup');
});
