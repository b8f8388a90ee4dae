/**
 * The certificate and CRL profile fields of a ceremony script, as data. Which fields a profile
 * must, may and must not carry is in profile-rules.ts (the CA/B Forum Baseline Requirements), so
 * `keyrite ceremony check` refuses a profile the BRs forbid before the day, naming the rule.
 */
import { z } from 'zod';

/**
 * root: BR 7.1.2.1. tls-subordinate: BR 7.1.2.6. code-signing-subordinate: Code Signing BRs 7.1.2.2.
 * cross: BR 7.1.2.2 (rotation's cross-certificates). private: RFC 5280 only, for a PKI outside the
 * Web PKI (an Ed25519 root, say); the BR rules are not applied and the report says so.
 * ocsp-responder: BR 7.1.2.8, a delegated OCSP responder (not a CA: keyUsage digitalSignature,
 * extKeyUsage id-kp-OCSPSigning, id-pkix-ocsp-nocheck).
 */
export const CERT_PROFILES = ['root', 'tls-subordinate', 'code-signing-subordinate', 'cross', 'private', 'ocsp-responder'] as const;
export type CertProfileKind = (typeof CERT_PROFILES)[number];

/**
 * crl: a CRL of subscriber or subordinate certificates (BR 4.9.7, 10 days). arl: a root's CRL of CA
 * certificates (12 months, IDP onlyContainsCACerts). private: RFC 5280 rules only.
 */
export const CRL_PROFILES = ['crl', 'arl', 'private'] as const;
export type CrlProfileKind = (typeof CRL_PROFILES)[number];

export const EKU_OIDS = {
  serverAuth: '1.3.6.1.5.5.7.3.1',
  clientAuth: '1.3.6.1.5.5.7.3.2',
  codeSigning: '1.3.6.1.5.5.7.3.3',
  emailProtection: '1.3.6.1.5.5.7.3.4',
  timeStamping: '1.3.6.1.5.5.7.3.8',
  ocspSigning: '1.3.6.1.5.5.7.3.9',
  anyExtendedKeyUsage: '2.5.29.37.0',
} as const;
export type EkuName = keyof typeof EKU_OIDS;

const oid = z.string().regex(/^[0-2](\.(0|[1-9]\d*))+$/, 'expected a dotted OID like 2.23.140.1.2.2');
/** BR 7.1.2.10.3 and 7.1.2.11.2: the URIs relying parties fetch are plain HTTP. */
const httpUrl = z.string().regex(/^http:\/\/[^\s/?#]+[^\s]*$/, 'expected an http:// URL (BR 7.1.2.11.2 and 7.1.2.10.3: HTTP, not HTTPS or LDAP)');
const dnsName = z.string().regex(/^(\.?[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*$/, 'expected a DNS name like example.org');

/** Spread into the script's certificate section. */
export const certificateProfileFields = {
  /** What the certificate is; omitted: root for self-sign-root, tls-subordinate for sign-certificate, cross for cross-sign. */
  profile: z.enum(CERT_PROFILES).optional(),
  /** certificatePolicies OIDs (e.g. 2.23.140.1.2.2 OV, 2.23.140.1.4.1 code signing, 2.5.29.32.0 anyPolicy). */
  policies: z.array(oid).min(1).optional(),
  /** crlDistributionPoints: where the issuer's CRL (or ARL) is published. */
  crlDistributionPoints: z.array(httpUrl).min(1).optional(),
  /** authorityInformationAccess: the issuer's certificate (caIssuers) and OCSP responder. */
  authorityInfoAccess: z.strictObject({ caIssuers: z.array(httpUrl).default([]), ocsp: z.array(httpUrl).default([]) }).optional(),
  extendedKeyUsage: z.array(z.enum(Object.keys(EKU_OIDS) as [EkuName, ...EkuName[]])).min(1).optional(),
  /** nameConstraints on dNSName (critical, RFC 5280 4.2.1.10). */
  nameConstraints: z.strictObject({ permittedDns: z.array(dnsName).default([]), excludedDns: z.array(dnsName).default([]) }).optional(),
};

/** Spread into the script's signing section (sign-crl). */
export const crlProfileFields = {
  crlProfile: z.enum(CRL_PROFILES).default('crl'),
  /** issuingDistributionPoint fullName: the URL this CRL is published at (required for an ARL). */
  distributionPoint: httpUrl.optional(),
};

/** A CRL number: an integer, or a decimal string for numbers past 2^53 (up to 20 octets, RFC 5280 5.2.3). */
export const crlNumberSchema = z.union([z.number().int().min(0), z.string().regex(/^(0|[1-9]\d{0,48})$/, 'expected a decimal CRL number')]);

export interface CertProfileFields {
  profile?: CertProfileKind | undefined;
  policies?: string[] | undefined;
  crlDistributionPoints?: string[] | undefined;
  authorityInfoAccess?: { caIssuers: string[]; ocsp: string[] } | undefined;
  extendedKeyUsage?: EkuName[] | undefined;
  nameConstraints?: { permittedDns: string[]; excludedDns: string[] } | undefined;
}
