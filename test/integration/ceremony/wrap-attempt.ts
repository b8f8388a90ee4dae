/**
 * An outsider's attempt on a sealed ceremony's key, with pkcs11js alone (none of Keyrite's token
 * code): log in with the user PIN, make a fresh session AES key of its own, and try C_WrapKey
 * (CKM_AES_KEY_WRAP_PAD) of the private key with it; then try to set CKA_EXTRACTABLE back to TRUE.
 * Prints one JSON line with what the token answered. SOFTHSM2_CONF names the token store.
 */
import { createRequire } from 'node:module';

// pkcs11js is CommonJS; its constants are only visible through require.
const pkcs11js = createRequire(import.meta.url)('pkcs11js') as typeof import('pkcs11js');

const [label, ckaIdHex, pin] = process.argv.slice(2) as [string, string, string];
const p = new pkcs11js.PKCS11();
p.load('/usr/lib/softhsm/libsofthsm2.so');
p.C_Initialize();
const answer = (f: () => unknown): string => {
  try {
    f();
    return 'ok';
  } catch (e) {
    return /CKR_[A-Z_]+/.exec((e as Error).message)?.[0] ?? (e as Error).message;
  }
};
try {
  const slot = p.C_GetSlotList(true).find((s) => p.C_GetTokenInfo(s).label.trim() === label);
  if (!slot) throw new Error(`no token ${label}`);
  const s = p.C_OpenSession(slot, pkcs11js.CKF_SERIAL_SESSION | pkcs11js.CKF_RW_SESSION);
  p.C_Login(s, pkcs11js.CKU_USER, pin);
  p.C_FindObjectsInit(s, [{ type: pkcs11js.CKA_CLASS, value: pkcs11js.CKO_PRIVATE_KEY }, { type: pkcs11js.CKA_ID, value: Buffer.from(ckaIdHex, 'hex') }]);
  const [key] = p.C_FindObjects(s, 2);
  p.C_FindObjectsFinal(s);
  if (!key) throw new Error(`no private key ${ckaIdHex}`);
  const aes = p.C_GenerateKey(s, { mechanism: pkcs11js.CKM_AES_KEY_GEN }, [
    { type: pkcs11js.CKA_CLASS, value: pkcs11js.CKO_SECRET_KEY }, { type: pkcs11js.CKA_KEY_TYPE, value: pkcs11js.CKK_AES },
    { type: pkcs11js.CKA_VALUE_LEN, value: 32 }, { type: pkcs11js.CKA_TOKEN, value: false }, { type: pkcs11js.CKA_WRAP, value: true },
  ]);
  const wrap = answer(() => p.C_WrapKey(s, { mechanism: pkcs11js.CKM_AES_KEY_WRAP_PAD }, aes, key, Buffer.alloc(8192)));
  const setExtractable = answer(() => p.C_SetAttributeValue(s, key, [{ type: pkcs11js.CKA_EXTRACTABLE, value: true }]));
  process.stdout.write(`${JSON.stringify({ wrap, setExtractable })}\n`);
} finally {
  p.C_Finalize();
}
