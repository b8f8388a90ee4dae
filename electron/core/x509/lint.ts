/**
 * Profile checks at the three points they run: on the script (`ceremony check`), on the draft
 * built with a throwaway software key before the token is touched, and on the signed result.
 */
import { KeyriteError } from '../util/errors';
import { certificateFacts, extensionFacts, type CertFacts } from './cert-facts';
import { certificateProblems, type ProfileProblem } from './cert-rules';
import { keyFactsOfAlgorithm } from './key-facts';
import { profileExtensions, type ProfileData } from './profile-extensions';
import type { HashName } from './token-crypto';
import type { KeyAlgorithm } from '../token/types';

export type { ProfileProblem } from './cert-rules';

export function lintCertificate(der: Uint8Array, kind: ProfileData['kind'], issuer: { spki: Uint8Array; keyId?: string | undefined }): ProfileProblem[] {
  return certificateProblems(certificateFacts(der, kind, issuer));
}

export interface ProfileSpec extends ProfileData {
  subject: { commonName: string; organization?: string | undefined; organizationalUnit?: string | undefined; country?: string | undefined };
  notBefore: Date;
  notAfter: Date;
  signature: HashName;
  serial?: string | undefined;
}

/** The facts a script's profile leads to, before any key exists: the same extensions issuance writes. */
export function profileSpecProblems(spec: ProfileSpec, keys: { issuer: KeyAlgorithm; subject?: KeyAlgorithm | undefined }): ProfileProblem[] {
  const placeholder = '00'.repeat(20);
  const subject: CertFacts['subject'] = { CN: [spec.subject.commonName] };
  if (spec.subject.organization) subject.O = [spec.subject.organization];
  if (spec.subject.country) subject.C = [spec.subject.country];
  const facts: CertFacts = {
    kind: spec.kind,
    serialFromScript: spec.serial !== undefined,
    issuerKey: keyFactsOfAlgorithm(keys.issuer),
    subjectKey: keys.subject ? keyFactsOfAlgorithm(keys.subject) : undefined,
    hash: keys.issuer === 'ed25519' ? undefined : spec.signature,
    notBefore: spec.notBefore,
    notAfter: spec.notAfter,
    subject,
    ...extensionFacts(profileExtensions(spec, { subjectKeyId: placeholder, authorityKeyId: placeholder })),
  };
  return certificateProblems(facts);
}

export function describeProblems(problems: ProfileProblem[]): string {
  return problems.map((p) => `${p.field}: ${p.message} (${p.rule})`).join('\n');
}

/** Refuses a certificate or CRL that breaks its profile, naming each field and rule. */
export function assertConformant(problems: ProfileProblem[], what: string, stage: 'draft' | 'signed'): void {
  if (problems.length === 0) return;
  throw new KeyriteError('PROFILE_VIOLATION', `The ${stage === 'draft' ? 'draft of the ' : 'signed '}${what} breaks its profile:\n${describeProblems(problems)}`, {
    action: stage === 'draft' ? 'Nothing was signed. Fix the profile in the script (ceremony check names the same rules), then run again.' : 'Do not use this output; record a deviation and check the token and the script.',
    details: { problems },
  });
}
