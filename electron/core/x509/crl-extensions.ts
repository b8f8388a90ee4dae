/** The extensions of a CRL or ARL, encoded by @peculiar/asn1-x509 (the CRL number may be 20 octets, so it is a BigInt). */
import { AsnConvert } from '@peculiar/asn1-schema';
import { Integer } from 'asn1js';
import { DistributionPointName, GeneralName, IssuingDistributionPoint } from '@peculiar/asn1-x509';
import * as x509 from './lib';
import type { CrlProfileKind } from './profile-schema';

export function crlExtensions(o: { crlNumber: bigint; issuerKeyId: string; kind: CrlProfileKind; distributionPoint?: string | undefined }): x509.Extension[] {
  const exts: x509.Extension[] = [
    new x509.AuthorityKeyIdentifierExtension(o.issuerKeyId, false),
    // asn1-x509's CRLNumber reads big numbers but writes through a JS number; asn1js writes the BigInt exactly.
    new x509.Extension('2.5.29.20', false, Integer.fromBigInt(o.crlNumber).toBER()),
  ];
  if (o.kind === 'arl' || o.distributionPoint) {
    const idp = new IssuingDistributionPoint({
      onlyContainsCACerts: o.kind === 'arl',
      ...(o.distributionPoint ? { distributionPoint: new DistributionPointName({ fullName: [new GeneralName({ uniformResourceIdentifier: o.distributionPoint })] }) } : {}),
    });
    exts.push(new x509.Extension('2.5.29.28', true, AsnConvert.serialize(idp)));
  }
  return exts;
}
