/** reshare: the backup handed to a new set of custodians; the old shares become void. */
import { defineCeremonyType, scriptObject } from './define';

export const reshare = defineCeremonyType({
  type: 'reshare',
  schema: scriptObject('reshare', ['backup']),
  steps: ['air-gap-check', 'reshare', 'seal'],
  needsPriorRun: true,
});
