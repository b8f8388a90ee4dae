/**
 * `ceremony check` (and every load) runs the certificate and CRL profile rules on the script's own
 * data, so a profile the Baseline Requirements forbid is refused before the day, naming the field
 * and the rule. The same rules run again on the draft and on the signed output (x509/presign.ts).
 */
import { parseDate } from '../x509/certificates';
import { crlProblems, crlSpecFacts } from '../x509/crl-profile';
import { profileSpecProblems, type ProfileProblem, type ProfileSpec } from '../x509/lint';
import type { CertProfileKind } from '../x509/profile-schema';
import type { KeyAlgorithm } from '../token/types';
import type { CeremonyScript, CertificateProfile } from './script-schema';

export interface ProfileIssue {
  path: (string | number)[];
  message: string;
}

/** The script key that holds what a rule's field comes from. */
const CERT_FIELD: Record<string, string> = {
  certificatePolicies: 'policies', cRLDistributionPoints: 'crlDistributionPoints', authorityInformationAccess: 'authorityInfoAccess',
  extKeyUsage: 'extendedKeyUsage', validity: 'notAfter', subject: 'subject', serialNumber: 'serial', 'basicConstraints.pathLenConstraint': 'pathLen',
  nameConstraints: 'nameConstraints', signatureAlgorithm: 'signature', extensions: 'profile',
};
const CRL_FIELD: Record<string, string> = {
  nextUpdate: 'nextUpdateDays', cRLNumber: 'crlNumber', issuingDistributionPoint: 'crlProfile', signatureAlgorithm: 'digest',
  'revokedCertificates.reasonCode': 'revoked', 'revokedCertificates.userCertificate': 'revoked', 'revokedCertificates.revocationDate': 'revoked',
};

function at(section: 'certificate' | 'signing', fields: Record<string, string>, p: ProfileProblem, what: string, present: object): ProfileIssue {
  const key = fields[p.field];
  const path: (string | number)[] = key && key in present ? [section, key] : [section];
  return { path, message: `${what}: ${p.field} ${p.message} (${p.rule})` };
}

function spec(c: CertificateProfile, kind: CertProfileKind): ProfileSpec {
  return { ...c, kind, notBefore: parseDate(c.notBefore), notAfter: parseDate(c.notAfter) };
}

export function profileIssues(script: CeremonyScript): ProfileIssue[] {
  const actions = new Set(script.steps.map((s) => s.action));
  const issues: ProfileIssue[] = [];
  const c = script.certificate;
  const cert = (kind: CertProfileKind, fields: CertificateProfile, issuer: KeyAlgorithm, subject: KeyAlgorithm | undefined, what: string) => {
    for (const p of profileSpecProblems(spec(fields, kind), { issuer, subject })) issues.push(at('certificate', CERT_FIELD, p, what, fields));
  };
  try {
    if (c && actions.has('self-sign-root')) {
      const kind = c.profile ?? 'root';
      const key = script.successor ?? script.key;
      if (kind !== 'root' && kind !== 'private') issues.push({ path: ['certificate', 'profile'], message: `self-sign-root makes a root certificate: profile ${kind} is not a root profile (root or private)` });
      else cert(kind, c, key.algorithm as KeyAlgorithm, key.algorithm as KeyAlgorithm, 'root certificate');
    }
    if (c && actions.has('sign-certificate')) {
      const kind = c.profile ?? 'tls-subordinate';
      cert(kind, c, script.key.algorithm as KeyAlgorithm, undefined, kind === 'ocsp-responder' ? 'OCSP responder certificate' : 'subordinate certificate');
    }
    if (c && actions.has('cross-sign')) {
      const fields = { ...c, ...c.cross, profile: 'cross' as const };
      cert('cross', fields, script.key.algorithm as KeyAlgorithm, script.successor?.algorithm as KeyAlgorithm | undefined, 'cross-certificate');
    }
    const s = script.signing;
    if (s && actions.has('sign-crl')) {
      const facts = crlSpecFacts({ kind: s.crlProfile, nextUpdateDays: s.nextUpdateDays, crlNumber: BigInt(s.crlNumber), distributionPoint: s.distributionPoint, digest: s.digest, revoked: s.revoked }, script.key.algorithm as KeyAlgorithm);
      for (const p of crlProblems(facts)) issues.push(at('signing', CRL_FIELD, p, s.crlProfile.toUpperCase(), s));
    }
  } catch (e) {
    issues.push({ path: ['certificate'], message: `the profile cannot be checked: ${(e as Error).message}` });
  }
  return issues;
}
