import { describe } from 'vitest';
import { missingSectionTest, noKeyRuleTests, requiredStepTests } from './helpers';

describe('sign-crl', () => {
  requiredStepTests('sign-crl', 'sign-crl', ['air-gap-check', 'login', 'sign-crl', 'seal'], ['signing']);
  noKeyRuleTests('sign-crl');
  missingSectionTest('sign-crl', 'signing');
});
