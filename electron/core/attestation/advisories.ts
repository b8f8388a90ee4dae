/**
 * Published vendor security advisories that weaken a key generated on an attested device. The
 * list is short and dated on purpose: an auditor compares it with the vendor's current list.
 */
export interface Advisory {
  id: string;
  summary: string;
}

export interface AdvisoryInput {
  vendor: 'yubico-piv';
  firmware?: string;
  /** The attested key's algorithm family: 'ec' | 'rsa' | 'ed25519' | ... */
  keyType: string;
}

function parseVersion(v: string): [number, number, number] | undefined {
  const m = /^(\d+)\.(\d+)\.(\d+)$/.exec(v);
  return m ? [Number(m[1]), Number(m[2]), Number(m[3])] : undefined;
}

function below(v: [number, number, number], limit: [number, number, number]): boolean {
  for (let i = 0; i < 3; i++) if (v[i] !== limit[i]) return (v[i] as number) < (limit[i] as number);
  return false;
}

/** The advisories that apply; firmware that cannot be read is itself reported. */
export function advisoriesFor(input: AdvisoryInput): Advisory[] {
  const fw = input.firmware ? parseVersion(input.firmware) : undefined;
  if (!fw) return [{ id: 'FIRMWARE-UNKNOWN', summary: 'The attestation carries no readable firmware version: advisories cannot be ruled out.' }];
  const out: Advisory[] = [];
  if (fw[0] === 5 && below(fw, [5, 7, 0]) && input.keyType === 'ec') {
    out.push({ id: 'YSA-2024-03', summary: `YubiKey 5 firmware ${input.firmware} (below 5.7.0): a side channel in ECDSA signing (EUCLEAK) can reveal the private key to someone holding the device with lab equipment.` });
  }
  if (fw[0] === 4 && !below(fw, [4, 2, 6]) && below(fw, [4, 3, 5]) && input.keyType === 'rsa') {
    out.push({ id: 'YSA-2017-01', summary: `YubiKey 4 firmware ${input.firmware} (4.2.6 to 4.3.4): RSA keys generated on the device are weak (ROCA) and can be factored from the public key.` });
  }
  return out;
}
