/**
 * readCertificates: the X.509 certificate objects matching a CKA_ID and/or CKA_LABEL, with their
 * CKA_VALUE. Only reads: nothing is created, changed or destroyed, and no key is touched.
 */
import { pkcs11, type Template } from '../pkcs11js';
import type { CertificateObjectView, CertificateQuery } from '../certificate-objects';
import type { SessionId } from '../types';
import { bool, validHexId, type AdapterContext } from './context';

export function readCertificates(ctx: AdapterContext, id: SessionId, query: CertificateQuery): CertificateObjectView[] {
  const s = ctx.session(id);
  const template: Template = [
    { type: pkcs11.CKA_CLASS, value: pkcs11.CKO_CERTIFICATE },
    { type: pkcs11.CKA_CERTIFICATE_TYPE, value: pkcs11.CKC_X_509 },
  ];
  if (query.id !== undefined) {
    validHexId(query.id);
    template.push({ type: pkcs11.CKA_ID, value: Buffer.from(query.id, 'hex') });
  }
  if (query.label !== undefined) template.push({ type: pkcs11.CKA_LABEL, value: query.label });
  return ctx.findObjects(s.handle, template).map((h) => {
    const v = ctx.readAttributes(s.handle, h, [pkcs11.CKA_ID, pkcs11.CKA_LABEL, pkcs11.CKA_TOKEN, pkcs11.CKA_VALUE]);
    return {
      id: (v.get(pkcs11.CKA_ID) ?? Buffer.alloc(0)).toString('hex'),
      label: (v.get(pkcs11.CKA_LABEL) ?? Buffer.alloc(0)).toString('utf8'),
      onToken: bool(v.get(pkcs11.CKA_TOKEN)),
      der: new Uint8Array(v.get(pkcs11.CKA_VALUE) ?? Buffer.alloc(0)),
    };
  });
}
