/**
 * The extensions a profile writes, built once from the script's data; issuance and the
 * `ceremony check` facts both come from here, so what is checked is what is signed.
 */
import { createHash } from 'node:crypto';
import { AsnConvert } from '@peculiar/asn1-schema';
import { GeneralName as AsnGeneralName, GeneralSubtree, GeneralSubtrees, NameConstraints, SubjectPublicKeyInfo } from '@peculiar/asn1-x509';
import * as x509 from './lib';
import { EKU_OIDS, type CertProfileFields, type CertProfileKind } from './profile-schema';

export interface ProfileData extends CertProfileFields {
  kind: CertProfileKind;
  pathLen?: number | undefined;
}

/** RFC 5280 4.2.1.2 method 1: SHA-1 of the subjectPublicKey BIT STRING's bytes. */
export function keyIdOf(spki: Uint8Array): string {
  const info = AsnConvert.parse(new Uint8Array(spki), SubjectPublicKeyInfo);
  return createHash('sha1').update(new Uint8Array(info.subjectPublicKey)).digest('hex');
}

function nameConstraints(nc: NonNullable<CertProfileFields['nameConstraints']>): x509.Extension {
  const subtrees = (names: string[]) => names.length ? new GeneralSubtrees(names.map((d) => new GeneralSubtree({ base: new AsnGeneralName({ dNSName: d }) }))) : undefined;
  const value = new NameConstraints({ permittedSubtrees: subtrees(nc.permittedDns), excludedSubtrees: subtrees(nc.excludedDns) });
  return new x509.Extension('2.5.29.30', true, AsnConvert.serialize(value));
}

/** The extensions a script asks for by name, after the ones the profile kind fixes. */
function scriptExtensions(p: ProfileData): x509.Extension[] {
  const exts: x509.Extension[] = [];
  if (p.policies) exts.push(new x509.CertificatePolicyExtension(p.policies, false));
  if (p.crlDistributionPoints) exts.push(new x509.CRLDistributionPointsExtension(p.crlDistributionPoints, false));
  const aia = p.authorityInfoAccess;
  if (aia && (aia.caIssuers.length || aia.ocsp.length)) {
    exts.push(new x509.AuthorityInfoAccessExtension({
      ...(aia.ocsp.length ? { ocsp: aia.ocsp.map((u) => new x509.GeneralName('url', u)) } : {}),
      ...(aia.caIssuers.length ? { caIssuers: aia.caIssuers.map((u) => new x509.GeneralName('url', u)) } : {}),
    }, false));
  }
  if (p.extendedKeyUsage) exts.push(new x509.ExtendedKeyUsageExtension(p.extendedKeyUsage.map((n) => EKU_OIDS[n]), false));
  if (p.nameConstraints) exts.push(nameConstraints(p.nameConstraints));
  return exts;
}

/** id-pkix-ocsp-nocheck (RFC 6960 4.2.2.2.1): extnValue is the DER NULL. */
const OCSP_NOCHECK = '1.3.6.1.5.5.7.48.1.5';

/**
 * In the order CAs commonly write them. keyUsage is keyCertSign and cRLSign (BR 7.1.2.10.7); a
 * self-signed root's AKI repeats its SKI (BR 7.1.2.1.3). An OCSP responder (BR 7.1.2.8) gets
 * keyUsage digitalSignature and id-pkix-ocsp-nocheck, and no basicConstraints unless the script
 * sets pathLen (then cA FALSE with it, so the rules refuse it by name rather than it vanishing).
 */
export function profileExtensions(p: ProfileData, ids: { subjectKeyId: string; authorityKeyId: string }): x509.Extension[] {
  const ocsp = p.kind === 'ocsp-responder';
  const exts: x509.Extension[] = [];
  if (!ocsp || p.pathLen !== undefined) exts.push(new x509.BasicConstraintsExtension(!ocsp, p.pathLen, true));
  exts.push(
    new x509.KeyUsagesExtension(ocsp ? x509.KeyUsageFlags.digitalSignature : x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
    new x509.SubjectKeyIdentifierExtension(ids.subjectKeyId, false),
    new x509.AuthorityKeyIdentifierExtension(ids.authorityKeyId, false),
  );
  if (ocsp) exts.push(new x509.Extension(OCSP_NOCHECK, false, new Uint8Array([0x05, 0x00])));
  return [...exts, ...scriptExtensions(p)];
}
