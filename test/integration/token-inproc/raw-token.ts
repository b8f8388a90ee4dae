/**
 * A second, independent reader of the token for the tests in this folder: pkcs11js called directly,
 * not Keyrite's adapter, over the module the in-process host already loaded (one module state per
 * process: C_Initialize answers CKR_CRYPTOKI_ALREADY_INITIALIZED, and the host's login counts for this
 * session too, as PKCS#11 makes login state the application's). It reads the attributes Keyrite's own
 * API does not show (the public key's usages, CKA_DERIVE) and plants objects Keyrite never makes (a
 * certificate), so a test can check what the token holds, not what the adapter says it holds.
 *
 * Never calls C_Finalize: that would close the host's sessions.
 */
import { createRequire } from 'node:module';

type P11 = typeof import('pkcs11js');
const p11 = createRequire(import.meta.url)('pkcs11js') as P11;
export const CK = p11;

export interface RawToken {
  /** Every object with this CKA_ID (hex) and class, each as the attributes asked for. */
  objects(id: string, cls: number, types: number[]): Map<number, Buffer>[];
  /** One boolean attribute of the one object with this id and class. */
  flag(id: string, cls: number, type: number): boolean;
  /** Creates a token object from a raw template (e.g. a certificate Keyrite would never make). */
  create(template: { type: number; value: number | boolean | string | Buffer }[]): void;
  close(): void;
}

/** A session on the token labelled `label`; the module must already be loaded and initialised by the host. */
export function openRawToken(modulePath: string, label: string, initArgs?: string): RawToken {
  const p = new p11.PKCS11();
  p.load(modulePath);
  try {
    if (initArgs) p.C_Initialize({ libraryParameters: `${initArgs} ` });
    else p.C_Initialize();
  } catch (e) {
    if ((e as { code?: number }).code !== p11.CKR_CRYPTOKI_ALREADY_INITIALIZED) throw e;
  }
  const slot = p.C_GetSlotList(true).find((s) => p.C_GetTokenInfo(s).label.replace(/[\s\0]+$/, '') === label);
  if (!slot) throw new Error(`no token labelled ${label}`);
  const session = p.C_OpenSession(slot, p11.CKF_SERIAL_SESSION | p11.CKF_RW_SESSION);
  const find = (id: string, cls: number) => {
    p.C_FindObjectsInit(session, [{ type: p11.CKA_CLASS, value: cls }, { type: p11.CKA_ID, value: Buffer.from(id, 'hex') }]);
    try {
      return p.C_FindObjects(session, 16);
    } finally {
      p.C_FindObjectsFinal(session);
    }
  };
  const objects = (id: string, cls: number, types: number[]) =>
    find(id, cls).map((h) => new Map(p.C_GetAttributeValue(session, h, types.map((type) => ({ type }))).map((a) => [a.type, a.value as Buffer])));
  return {
    objects,
    flag(id, cls, type) {
      const found = objects(id, cls, [type]);
      if (found.length !== 1) throw new Error(`${found.length} objects of class ${cls} with id ${id}`);
      const v = found[0]!.get(type)!;
      return v.length > 0 && v[0] !== 0;
    },
    create(template) {
      p.C_CreateObject(session, template);
    },
    close() {
      try {
        p.C_CloseSession(session);
      } catch {
        // The host may already have finalized the module at client.close().
      }
    },
  };
}

/** One DER TLV's header end and total end at `off` (definite lengths only: enough for a certificate). */
function tlv(der: Buffer, off: number): { start: number; body: number; end: number } {
  let len = der[off + 1] ?? 0;
  let header = 2;
  if (len & 0x80) {
    const n = len & 0x7f;
    len = der.readUIntBE(off + 2, n);
    header = 2 + n;
  }
  return { start: off, body: off + header, end: off + header + len };
}

/**
 * The template of an X.509 certificate object for `der` under this id and label, with the subject,
 * issuer and serial number NSS softokn requires, cut from the certificate's TBS fields.
 */
export function certificateTemplate(der: Buffer, id: string, label: string): { type: number; value: number | boolean | string | Buffer }[] {
  const tbs = tlv(der, tlv(der, 0).body);
  const fields: Buffer[] = [];
  for (let off = tbs.body; off < tbs.end; off = tlv(der, off).end) fields.push(der.subarray(off, tlv(der, off).end));
  // [0] version, serialNumber, signature, issuer, validity, subject, ...
  const at = fields[0]?.[0] === 0xa0 ? 1 : 0;
  return [
    { type: p11.CKA_CLASS, value: p11.CKO_CERTIFICATE }, { type: p11.CKA_CERTIFICATE_TYPE, value: p11.CKC_X_509 }, { type: p11.CKA_TOKEN, value: true },
    { type: p11.CKA_ID, value: Buffer.from(id, 'hex') }, { type: p11.CKA_LABEL, value: label },
    { type: p11.CKA_SERIAL_NUMBER, value: fields[at]! }, { type: p11.CKA_ISSUER, value: fields[at + 2]! }, { type: p11.CKA_SUBJECT, value: fields[at + 4]! },
    { type: p11.CKA_VALUE, value: der },
  ];
}
