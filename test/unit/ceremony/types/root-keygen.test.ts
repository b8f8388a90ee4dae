import { describe } from 'vitest';
import { generatedKeyRuleTests, requiredStepTests } from './helpers';

describe('root-keygen', () => {
  requiredStepTests('root-keygen', 'root-keygen', ['air-gap-check', 'login', 'generate-key', 'read-proof', 'export-public-key', 'seal'], ['backup', 'certificate']);
  generatedKeyRuleTests('root-keygen');
});
