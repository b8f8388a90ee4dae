import { describe } from 'vitest';
import { missingSectionTest, noKeyRuleTests, requiredStepTests } from './helpers';

describe('sign-dnskey', () => {
  requiredStepTests('sign-dnskey', 'sign-dnskey', ['air-gap-check', 'login', 'sign-dnskey', 'seal'], ['dnssec']);
  noKeyRuleTests('sign-dnskey');
  missingSectionTest('sign-dnskey', 'dnssec');
});
