/** root-keygen: a new root key generated on the token, proven, certified by itself and backed up. */
import { defineCeremonyType, scriptObject } from './define';
import { generatedKeyRules } from './key-rules';

export const rootKeygen = defineCeremonyType({
  type: 'root-keygen',
  schema: scriptObject('root-keygen', ['backup', 'certificate']),
  steps: ['air-gap-check', 'login', 'generate-key', 'read-proof', 'export-public-key', 'seal'],
  needsPriorRun: false,
  newKey: { field: 'key', how: 'generated' },
  policyRules: generatedKeyRules,
});
