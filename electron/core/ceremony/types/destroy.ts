/** destroy: the key (and its copies on `otherTokens`) destroyed at the end of its life. */
import { defineCeremonyType, scriptObject } from './define';

export const destroy = defineCeremonyType({
  type: 'destroy',
  schema: scriptObject('destroy', ['otherTokens']),
  steps: ['air-gap-check', 'login', 'destroy-keys', 'seal'],
  needsPriorRun: true,
});
