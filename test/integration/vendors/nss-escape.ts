/**
 * An outsider's attempt on a key in an NSS softokn token, with pkcs11js alone (none of Keyrite's
 * token code): log in with the user PIN, make a session AES key whose value it chose, C_WrapKey the
 * private key (CKA_ID given) with it, and decrypt what comes out (NSS's CKM_AES_KEY_WRAP_PAD is
 * RFC 3394 with PKCS#7 padding) into the private key's PKCS#8, whose public key it prints. Then
 * C_CopyObject the key with CKA_EXTRACTABLE=TRUE and read the ORIGINAL key's CKA_EXTRACTABLE.
 * For an EC key, also what C_UnwrapKey of that blob says with a standard template, and with NSS's
 * CKA_NSS_DB (session objects), and with CKA_NSS_DB plus CKA_COPYABLE=FALSE as a token object.
 * argv: module path, token label, CKA_ID hex, PIN; KEYRITE_PKCS11_INIT_ARGS holds NSS's parameters.
 * Prints one JSON line.
 */
import { createDecipheriv, createPrivateKey, createPublicKey, randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';

// pkcs11js is CommonJS; its constants are only visible through require.
const pkcs11js = createRequire(import.meta.url)('pkcs11js') as typeof import('pkcs11js');

const [modulePath, label, ckaIdHex, pin] = process.argv.slice(2) as [string, string, string, string];
const p = new pkcs11js.PKCS11();
p.load(modulePath);
// pkcs11js 2.1.7 drops the last character of libraryParameters: a trailing space absorbs it.
p.C_Initialize({ libraryParameters: `${process.env.KEYRITE_PKCS11_INIT_ARGS ?? ''} ` });
const ckr = (e: unknown): string => /CKR_[A-Z_]+/.exec((e as Error).message)?.[0] ?? (e as Error).message;

/** Logs in to the NSS token labelled `label` and finds the private key with this CKA_ID. */
function loginAndFind(): { s: Buffer; key: Buffer } {
  const slots = p.C_GetSlotList(true).filter((x) => p.C_GetTokenInfo(x).label.trim() === label);
  if (slots.length !== 1) throw new Error(`${slots.length} tokens labelled ${label}`);
  const s = p.C_OpenSession(slots[0]!, pkcs11js.CKF_SERIAL_SESSION | pkcs11js.CKF_RW_SESSION);
  p.C_Login(s, pkcs11js.CKU_USER, pin);
  const want = [{ type: pkcs11js.CKA_ID, value: Buffer.from(ckaIdHex, 'hex') }, { type: pkcs11js.CKA_CLASS, value: pkcs11js.CKO_PRIVATE_KEY }];
  p.C_FindObjectsInit(s, want);
  const found = p.C_FindObjects(s, 2);
  p.C_FindObjectsFinal(s);
  if (found.length !== 1) throw new Error(`${found.length} private keys with id ${ckaIdHex}`);
  return { s, key: found[0]! };
}

try {
  const { s, key } = loginAndFind();
  const extractable = () => p.C_GetAttributeValue(s, key, [{ type: pkcs11js.CKA_EXTRACTABLE }])[0]!.value[0] === 1;
  const before = extractable();
  const kek = randomBytes(32);
  const aes = p.C_CreateObject(s, [
    { type: pkcs11js.CKA_CLASS, value: pkcs11js.CKO_SECRET_KEY }, { type: pkcs11js.CKA_KEY_TYPE, value: pkcs11js.CKK_AES },
    { type: pkcs11js.CKA_TOKEN, value: false }, { type: pkcs11js.CKA_VALUE, value: kek }, { type: pkcs11js.CKA_WRAP, value: true }, { type: pkcs11js.CKA_UNWRAP, value: true },
  ]);
  let wrap = 'ok';
  let escapedSpki: string | undefined;
  const rawUnwrap: Record<string, string> = {};
  try {
    const wrapped = p.C_WrapKey(s, { mechanism: pkcs11js.CKM_AES_KEY_WRAP_PAD }, aes, key, Buffer.alloc(8192));
    const d = createDecipheriv('id-aes256-wrap', kek, Buffer.from('A6A6A6A6A6A6A6A6', 'hex'));
    const padded = Buffer.concat([d.update(wrapped), d.final()]);
    const pkcs8 = padded.subarray(0, padded.length - padded[padded.length - 1]!);
    const pub = createPublicKey(createPrivateKey({ key: pkcs8, format: 'der', type: 'pkcs8' }));
    escapedSpki = pub.export({ type: 'spki', format: 'der' }).toString('base64');
    const jwk = pub.export({ format: 'jwk' });
    if (jwk.kty === 'EC') {
      const point = Buffer.concat([Buffer.from([4]), Buffer.from(jwk.x!, 'base64url'), Buffer.from(jwk.y!, 'base64url')]);
      const standard = [
        { type: pkcs11js.CKA_CLASS, value: pkcs11js.CKO_PRIVATE_KEY }, { type: pkcs11js.CKA_KEY_TYPE, value: pkcs11js.CKK_EC }, { type: pkcs11js.CKA_TOKEN, value: false },
        { type: pkcs11js.CKA_PRIVATE, value: true }, { type: pkcs11js.CKA_SENSITIVE, value: true }, { type: pkcs11js.CKA_EXTRACTABLE, value: false }, { type: pkcs11js.CKA_SIGN, value: true },
      ];
      const nssDb = [...standard, { type: 0xd5a0db00, value: point }];
      // CKA_COPYABLE=FALSE is refused only for a token object (a session object takes it): the case Keyrite's restore is.
      const notCopyableOnToken = [...nssDb.filter((a) => a.type !== pkcs11js.CKA_TOKEN), { type: pkcs11js.CKA_TOKEN, value: true }, { type: pkcs11js.CKA_COPYABLE, value: false }];
      const tries = { standard, nssDb, notCopyableOnToken };
      for (const [name, template] of Object.entries(tries)) {
        try {
          p.C_UnwrapKey(s, { mechanism: pkcs11js.CKM_AES_KEY_WRAP_PAD }, aes, wrapped, template);
          rawUnwrap[name] = 'ok';
        } catch (e) {
          rawUnwrap[name] = ckr(e);
        }
      }
    }
  } catch (e) {
    wrap = ckr(e);
  }
  let copy = 'ok';
  try {
    p.C_CopyObject(s, key, [{ type: pkcs11js.CKA_EXTRACTABLE, value: true }]);
  } catch (e) {
    copy = ckr(e);
  }
  process.stdout.write(`${JSON.stringify({ before, wrap, escapedSpki, rawUnwrap, copy, originalAfterCopy: extractable() })}\n`);
} finally {
  p.C_Finalize();
}
