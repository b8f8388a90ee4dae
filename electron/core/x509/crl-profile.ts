/**
 * CRL and ARL profiles (BR 7.2 and 4.9.7). A CRL is valid 10 days at most; an ARL (a root's CRL of
 * CA certificates) 12 months, and says it covers CA certificates only (issuingDistributionPoint with
 * onlyContainsCACerts), so a relying party can tell. Same facts from a script and from a CRL.
 */
import { AsnConvert } from '@peculiar/asn1-schema';
import { CRLNumber, IssuingDistributionPoint } from '@peculiar/asn1-x509';
import * as x509 from './lib';
import { isHttpUrl, type ProfileProblem } from './cert-rules';
import { describeKey, keyFactsOfAlgorithm, keyFactsOfSpki, type KeyFacts } from './key-facts';
import type { CrlProfileKind } from './profile-schema';
import type { KeyAlgorithm } from '../token/types';

export interface CrlFacts {
  kind: CrlProfileKind;
  built?: { version: number; akiKeyId?: string | undefined; issuerKeyId?: string | undefined } | undefined;
  issuerKey: KeyFacts;
  hash: string | undefined;
  thisUpdate: Date;
  nextUpdate: Date | undefined;
  crlNumber?: { critical: boolean; value: bigint } | undefined;
  idp?: { critical: boolean; caOnly: boolean; userOnly: boolean; other: boolean; uris: string[] } | undefined;
  entries: { serialHex: string; reason?: number | undefined; date: Date }[];
}

const DAY = 86_400_000;
/** RFC 5280 5.3.1 reason codes BR 7.2.2.1 forbids in every CRL: unspecified, certificateHold, removeFromCRL, aACompromise. */
const FORBIDDEN_REASONS = new Set([0, 6, 8, 10]);
const CA_COMPROMISE = 2;

/** asn1-x509 gives a CRL number as a JS number when short and as a decimal string when long. */
function crlNumberValue(value: number | string): bigint {
  return BigInt(value);
}

/** The facts of a built CRL, read back from its DER. */
export function crlFacts(der: Uint8Array, kind: CrlProfileKind, issuer: { spki: Uint8Array; keyId?: string | undefined }): CrlFacts {
  const crl = new x509.X509Crl(new Uint8Array(der).buffer as ArrayBuffer);
  const facts: CrlFacts = {
    kind, issuerKey: keyFactsOfSpki(issuer.spki), thisUpdate: crl.thisUpdate, nextUpdate: crl.nextUpdate,
    hash: typeof crl.signatureAlgorithm.hash === 'object' ? crl.signatureAlgorithm.hash.name.toLowerCase().replace('-', '') : undefined,
    built: { version: (crl.version ?? 0) + 1, issuerKeyId: issuer.keyId },
    entries: crl.entries.map((e) => ({ serialHex: e.serialNumber, reason: e.reason, date: e.revocationDate })),
  };
  for (const e of crl.extensions) {
    if (e.type === '2.5.29.20') facts.crlNumber = { critical: e.critical, value: crlNumberValue(AsnConvert.parse(e.value, CRLNumber).value as number | string) };
    if (e.type === '2.5.29.35' && facts.built) facts.built.akiKeyId = new x509.AuthorityKeyIdentifierExtension(e.rawData).keyId;
    if (e.type === '2.5.29.28') {
      const idp = AsnConvert.parse(e.value, IssuingDistributionPoint);
      facts.idp = {
        critical: e.critical, caOnly: idp.onlyContainsCACerts, userOnly: idp.onlyContainsUserCerts,
        other: idp.indirectCRL || idp.onlyContainsAttributeCerts || idp.onlySomeReasons !== undefined,
        uris: (idp.distributionPoint?.fullName ?? []).map((g) => g.uniformResourceIdentifier ?? '').filter(Boolean),
      };
    }
  }
  return facts;
}

export interface CrlSpec {
  kind: CrlProfileKind;
  nextUpdateDays: number;
  crlNumber: bigint;
  distributionPoint?: string | undefined;
  digest: string;
  revoked: { serial: string; date: string; reason?: string | undefined }[];
}

export const REASON_CODES: Record<string, number> = {
  unspecified: 0, keyCompromise: 1, cACompromise: 2, affiliationChanged: 3, superseded: 4, cessationOfOperation: 5, certificateHold: 6, privilegeWithdrawn: 9,
};

/** The facts a script's CRL section leads to (the CRL issuance writes from it), checked at `ceremony check`. */
export function crlSpecFacts(spec: CrlSpec, issuer: KeyAlgorithm, thisUpdate = new Date()): CrlFacts {
  return {
    kind: spec.kind, issuerKey: keyFactsOfAlgorithm(issuer), hash: issuer === 'ed25519' ? undefined : spec.digest, thisUpdate,
    nextUpdate: new Date(thisUpdate.getTime() + spec.nextUpdateDays * DAY), crlNumber: { critical: false, value: spec.crlNumber },
    idp: spec.kind === 'arl' || spec.distributionPoint ? { critical: true, caOnly: spec.kind === 'arl', userOnly: false, other: false, uris: spec.distributionPoint ? [spec.distributionPoint] : [] } : undefined,
    entries: spec.revoked.map((r) => ({ serialHex: positiveHex(r.serial), reason: r.reason === undefined ? undefined : REASON_CODES[r.reason] ?? -1, date: thisUpdate })),
  };
}

/** A script's serial is a magnitude: as a DER INTEGER it gains a 00 octet when its top bit is set. */
export function positiveHex(hex: string): string {
  const even = hex.length % 2 ? `0${hex}` : hex;
  return parseInt(even.slice(0, 2), 16) >= 0x80 ? `00${even}` : even;
}

const EC_HASH: Record<string, string> = { 'P-256': 'sha256', 'P-384': 'sha384', 'P-521': 'sha512' };

type CrlRule = { field: string; rule: string; /** Omitted: every profile; BR rules skip `private`. */ br?: true; check(f: CrlFacts): string | undefined };

export const CRL_RULES: readonly CrlRule[] = [
  { field: 'version', rule: 'RFC 5280 5.1.2.1', check: (f) => f.built && f.built.version !== 2 ? `v${f.built.version}; a CRL with extensions is v2` : undefined },
  { field: 'nextUpdate', rule: 'BR 4.9.7', br: true, check: (f) => {
    if (!f.nextUpdate) return 'absent; a BR CRL carries nextUpdate';
    const days = (f.nextUpdate.getTime() - f.thisUpdate.getTime()) / DAY;
    if (f.kind === 'crl' && days > 10) return `${days} days after thisUpdate; a CRL is valid 10 days at most (a root's CRL of CA certificates is an ARL: crlProfile arl, up to 12 months)`;
    return f.kind === 'arl' && days > 365 ? `${days} days after thisUpdate; an ARL is valid 12 months at most` : undefined;
  } },
  { field: 'signatureAlgorithm', rule: 'BR 7.1.3.2', br: true, check: (f) => {
    const k = f.issuerKey;
    if (k.type === 'ec') return EC_HASH[k.curve ?? ''] === f.hash ? undefined : `${describeKey(k)} signs with ${EC_HASH[k.curve ?? ''] ?? 'no allowed hash'}, not ${f.hash ?? 'none'}`;
    return k.type === 'rsa' && (k.bits ?? 0) >= 2048 ? undefined : `${describeKey(k)} may not sign a BR CRL (RSA or ECDSA only)`;
  } },
  { field: 'cRLNumber', rule: 'BR 7.2.2 / RFC 5280 5.2.3', check: (f) => {
    if (!f.crlNumber) return 'absent; it is required';
    if (f.crlNumber.critical) return 'marked critical';
    return f.crlNumber.value < 0n || f.crlNumber.value >= 1n << 159n ? `${f.crlNumber.value} is outside 0 to 2^159-1 (at most 20 octets)` : undefined;
  } },
  { field: 'authorityKeyIdentifier', rule: 'BR 7.2.2', check: (f) => {
    if (!f.built) return undefined;
    if (!f.built.akiKeyId) return 'absent or without keyIdentifier';
    return f.built.issuerKeyId && f.built.akiKeyId !== f.built.issuerKeyId ? `keyIdentifier ${f.built.akiKeyId} is not the issuer's ${f.built.issuerKeyId}` : undefined;
  } },
  { field: 'issuingDistributionPoint', rule: 'BR 7.2.2', check: (f) => {
    if (f.kind === 'arl' && !f.idp?.caOnly) return 'an ARL carries issuingDistributionPoint with onlyContainsCACerts';
    if (!f.idp) return undefined;
    if (!f.idp.critical) return 'not marked critical (RFC 5280 5.2.5)';
    if (f.idp.other) return 'carries onlySomeReasons, indirectCRL or onlyContainsAttributeCerts';
    if (f.kind === 'crl' && f.idp.caOnly) return 'onlyContainsCACerts on a CRL; that is an ARL (crlProfile arl)';
    return f.idp.uris.length === 0 ? 'has no distributionPoint URL' : f.idp.uris.some((u) => !isHttpUrl(u)) ? 'has a URL that is not http://' : undefined;
  } },
  { field: 'revokedCertificates.reasonCode', rule: 'BR 7.2.2.1', br: true, check: (f) => {
    const bad = f.entries.find((e) => e.reason !== undefined && (e.reason < 0 || FORBIDDEN_REASONS.has(e.reason) || (e.reason === CA_COMPROMISE && f.kind !== 'arl')));
    return bad ? `serial ${bad.serialHex} has reason ${Object.entries(REASON_CODES).find(([, c]) => c === bad.reason)?.[0] ?? bad.reason}; allowed: keyCompromise, affiliationChanged, superseded, cessationOfOperation, privilegeWithdrawn (cACompromise on an ARL); leave the reason out when unspecified` : undefined;
  } },
  { field: 'revokedCertificates.userCertificate', rule: 'RFC 5280 4.1.2.2', check: (f) => {
    const bad = f.entries.find((e) => { const h = e.serialHex.replace(/^(00)+(?=[0-9a-f]{2})/i, ''); return h.length > 40 || /^0*$/.test(h) || parseInt(h.slice(0, 2), 16) >= 0x80; });
    return bad ? `serial ${bad.serialHex} is not a positive integer of at most 20 octets` : undefined;
  } },
  { field: 'revokedCertificates.revocationDate', rule: 'RFC 5280 5.3.2', check: (f) => {
    const late = f.entries.find((e) => e.date.getTime() > f.thisUpdate.getTime());
    return late ? `serial ${late.serialHex} is revoked at ${late.date.toISOString()}, after thisUpdate` : undefined;
  } },
];

export function crlProblems(f: CrlFacts): ProfileProblem[] {
  return CRL_RULES.filter((r) => !r.br || f.kind !== 'private').flatMap((r) => { const m = r.check(f); return m ? [{ field: r.field, rule: r.rule, message: m }] : []; });
}
