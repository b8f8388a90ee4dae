/**
 * Yubico's PIV attestation extensions (arc 1.3.6.1.4.1.41482.3), as the YubiKey writes them into
 * a slot's attestation certificate. The values are raw bytes in the extension's OCTET STRING,
 * except the serial, which is a DER INTEGER.
 */
export const YUBICO_PIV_OID = {
  firmware: '1.3.6.1.4.1.41482.3.3',
  serial: '1.3.6.1.4.1.41482.3.7',
  policy: '1.3.6.1.4.1.41482.3.8',
  formFactor: '1.3.6.1.4.1.41482.3.9',
} as const;

export interface PivDeviceFacts {
  /** YubiKey serial number (printed on the device). */
  serial?: number;
  /** major.minor.patch */
  firmware?: string;
  pinPolicy?: string;
  touchPolicy?: string;
  formFactor?: string;
  /** FIPS or CSPN certified series, from the form factor byte's high bits. */
  certifiedSeries?: string;
}

const PIN_POLICY: Record<number, string> = { 1: 'never', 2: 'once per session', 3: 'always', 4: 'match once (biometric)', 5: 'match always (biometric)' };
const TOUCH_POLICY: Record<number, string> = { 1: 'never', 2: 'always', 3: 'cached (15 s)' };
const FORM_FACTOR: Record<number, string> = { 0: 'unspecified', 1: 'USB-A keychain', 2: 'USB-A nano', 3: 'USB-C keychain', 4: 'USB-C nano', 5: 'USB-C and Lightning', 6: 'USB-A keychain (biometric)', 7: 'USB-C keychain (biometric)' };

/** A DER INTEGER (tag 0x02, short length), unsigned, as a safe JS number; undefined if malformed. */
function derUnsigned(bytes: Uint8Array): number | undefined {
  if (bytes.length < 3 || bytes[0] !== 0x02 || bytes[1] !== bytes.length - 2 || bytes.length > 9) return undefined;
  let n = 0;
  for (const b of bytes.subarray(2)) n = n * 256 + b;
  return Number.isSafeInteger(n) ? n : undefined;
}

/** Decodes the extensions present; `get` returns an extension's value bytes by OID. */
export function decodePivExtensions(get: (oid: string) => Uint8Array | undefined): PivDeviceFacts {
  const facts: PivDeviceFacts = {};
  const fw = get(YUBICO_PIV_OID.firmware);
  if (fw && fw.length === 3) facts.firmware = `${fw[0]}.${fw[1]}.${fw[2]}`;
  const serial = get(YUBICO_PIV_OID.serial);
  if (serial) {
    const n = derUnsigned(serial);
    if (n !== undefined) facts.serial = n;
  }
  const policy = get(YUBICO_PIV_OID.policy);
  if (policy && policy.length === 2) {
    facts.pinPolicy = PIN_POLICY[policy[0] as number] ?? `unknown (${policy[0]})`;
    facts.touchPolicy = TOUCH_POLICY[policy[1] as number] ?? `unknown (${policy[1]})`;
  }
  const ff = get(YUBICO_PIV_OID.formFactor);
  if (ff && ff.length === 1) {
    const b = ff[0] as number;
    facts.formFactor = FORM_FACTOR[b & 0x3f] ?? `unknown (${b & 0x3f})`;
    if (b & 0x80) facts.certifiedSeries = 'FIPS';
    else if (b & 0x40) facts.certifiedSeries = 'CSPN';
  }
  return facts;
}
