/**
 * Where ykcs11, Yubico's PKCS#11 module (yubico-piv-tool, ykcs11/objects.c and ykcs11.c), shows a
 * YubiKey's PIV attestation. When a session opens it asks the device to attest each slot's key;
 * for a key generated on the device it gets a certificate and shows it as a session certificate
 * object "X.509 Certificate for PIV Attestation <slot>" (9a, 9c, 9d, 9e, 82..95) with the CKA_ID of
 * that slot's key (one byte: 9a=01, 9c=02, 9d=03, 9e=04, 82..95=05..18). A key imported into the
 * slot gets none: the device attests only what it generated. The device's own attestation
 * certificate (slot f9), which signs those, is the token object "X.509 Certificate for PIV
 * Attestation" with CKA_ID 19.
 *
 * The lookup is by the key's CKA_ID and those labels, through a reader the caller gives (the token
 * host's readCertificates), so this module needs no token code.
 */
import { KeyriteError } from '../util/errors';

export interface TokenCertObject {
  id: string;
  label: string;
  der: Uint8Array;
}

export type ReadCertObjects = (query: { id?: string; label?: string }) => Promise<TokenCertObject[]>;

export const YKCS11_DEVICE_CERT = { label: 'X.509 Certificate for PIV Attestation', id: '19' } as const;

/** "X.509 Certificate for PIV Attestation 9c": a slot's attestation, never the device's own certificate. */
const SLOT_ATTESTATION_LABEL = /^X\.509 Certificate for PIV Attestation ([0-9a-f]{2})$/;

export interface PivAttestationObjects {
  /** The attestation of the key with the given CKA_ID, if the token shows one. */
  key?: TokenCertObject & { slot: string };
  /** The device attestation certificate (f9), if the token shows it. */
  device?: TokenCertObject;
}

/** What the token shows of a key's attestation; the caller decides what a missing half means. */
export async function readPivAttestationObjects(read: ReadCertObjects, keyId: string): Promise<PivAttestationObjects> {
  const out: PivAttestationObjects = {};
  const slotCerts = (await read({ id: keyId })).filter((c) => SLOT_ATTESTATION_LABEL.test(c.label));
  if (slotCerts.length > 1) {
    // ykcs11 shows one per slot, and one key per CKA_ID: two mean the token is not what it seems.
    throw ambiguous(`${slotCerts.length} slot attestation certificates carry the key's CKA_ID ${keyId}: ${slotCerts.map((c) => `"${c.label}"`).join(', ')}.`);
  }
  const k = slotCerts[0];
  if (k) out.key = { ...k, slot: SLOT_ATTESTATION_LABEL.exec(k.label)?.[1] as string };
  const devices = await read({ ...YKCS11_DEVICE_CERT });
  if (devices.length > 1) throw ambiguous(`${devices.length} certificate objects are labelled "${YKCS11_DEVICE_CERT.label}" with CKA_ID ${YKCS11_DEVICE_CERT.id}.`);
  if (devices[0]) out.device = devices[0];
  return out;
}

function ambiguous(what: string): KeyriteError {
  return new KeyriteError('ATTESTATION_TOKEN_AMBIGUOUS', `The token's attestation is ambiguous: ${what}`, {
    action: 'Check the token with pkcs11-tool --list-objects --type cert: a YubiKey through ykcs11 shows one of each. Or read the certificates with yubico-piv-tool into the attestation folder.',
  });
}
