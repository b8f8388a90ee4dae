/** sign-crl: the key signs a CRL (or an ARL) with the revocations the script lists. */
import { defineCeremonyType, scriptObject, SIGNS_WITH_EARLIER_KEY } from './define';

export const signCrl = defineCeremonyType({
  type: 'sign-crl', schema: scriptObject('sign-crl', ['signing']), ...SIGNS_WITH_EARLIER_KEY,
  steps: ['air-gap-check', 'login', 'sign-crl', 'seal'],
});
