/** check-up: each custodian shows their share of the key's backup is intact; the token is not used. */
import { defineCeremonyType, scriptObject } from './define';

export const checkUp = defineCeremonyType({
  type: 'check-up',
  schema: scriptObject('check-up', []),
  steps: ['air-gap-check', 'check-up', 'seal'],
  needsPriorRun: true,
});
