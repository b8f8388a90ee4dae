/** rotate: a successor key generated and certified, cross-signed with the old key, which is then deactivated. */
import { defineCeremonyType, scriptObject } from './define';
import { generatedKeyRules, keyAlgorithmRule } from './key-rules';

export const rotate = defineCeremonyType({
  type: 'rotate',
  schema: scriptObject('rotate', ['successor', 'targetToken', 'backup', 'certificate']),
  steps: ['air-gap-check', 'login', 'generate-key', 'cross-sign', 'deactivate', 'seal'],
  needsPriorRun: true,
  newKey: { field: 'successor', how: 'generated' },
  scriptRules: [(script) => (script.successor ? [] : [{ path: [], message: 'a rotate ceremony needs the "successor" key section', code: 'MISSING_SECTION' }])],
  policyRules: [keyAlgorithmRule('successor'), ...generatedKeyRules],
});
