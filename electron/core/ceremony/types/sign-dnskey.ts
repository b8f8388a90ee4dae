/** sign-dnskey: the KSK signs the zone's DNSKEY RRset for each validity window. */
import { defineCeremonyType, scriptObject, SIGNS_WITH_EARLIER_KEY } from './define';

export const signDnskey = defineCeremonyType({
  type: 'sign-dnskey', schema: scriptObject('sign-dnskey', ['dnssec']), ...SIGNS_WITH_EARLIER_KEY,
  steps: ['air-gap-check', 'login', 'sign-dnskey', 'seal'],
});
