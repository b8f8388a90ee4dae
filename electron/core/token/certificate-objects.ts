/**
 * Certificate objects a token holds (CKO_CERTIFICATE, X.509), as `readCertificates` returns them:
 * what a vendor's module exposes read-only, such as ykcs11's PIV attestation certificates. Plain
 * data; the certificate's bytes are public (CKA_VALUE of a public object), never a secret.
 */

/** Which certificate objects: by CKA_ID (lowercase hex), by CKA_LABEL, or both; neither lists them all. */
export interface CertificateQuery {
  id?: string;
  label?: string;
}

export interface CertificateObjectView {
  /** CKA_ID as lowercase hex ('' when the object has none). */
  id: string;
  label: string;
  /** CKA_TOKEN: false for a session object (ykcs11 makes each slot's attestation when the session opens). */
  onToken: boolean;
  /** CKA_VALUE: the certificate, DER. */
  der: Uint8Array;
}
