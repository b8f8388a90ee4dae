/**
 * sign-intermediate: the key certifies a CSR (a subordinate CA, or with `profile: ocsp-responder`
 * an OCSP responder: resources/ceremonies/sign-ocsp-responder.yaml is a template of this type).
 */
import { defineCeremonyType, scriptObject, SIGNS_WITH_EARLIER_KEY } from './define';

export const signIntermediate = defineCeremonyType({
  type: 'sign-intermediate', schema: scriptObject('sign-intermediate', ['certificate', 'signing']), ...SIGNS_WITH_EARLIER_KEY,
  steps: ['air-gap-check', 'login', 'sign-certificate', 'seal'],
});
