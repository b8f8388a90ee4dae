/** sign-artifact: the key signs a file's digest (a release manifest). */
import { defineCeremonyType, scriptObject, SIGNS_WITH_EARLIER_KEY } from './define';

export const signArtifact = defineCeremonyType({
  type: 'sign-artifact', schema: scriptObject('sign-artifact', ['signing']), ...SIGNS_WITH_EARLIER_KEY,
  steps: ['air-gap-check', 'login', 'sign-artifact', 'seal'],
});
