/**
 * Puts certificates on a SoftHSM2 token the way ykcs11 shows a YubiKey's PIV attestation: each
 * slot's attestation as "X.509 Certificate for PIV Attestation <slot>" with the slot key's CKA_ID,
 * the device's f9 certificate as "X.509 Certificate for PIV Attestation" with CKA_ID 19. Written by
 * OpenSC's pkcs11-tool, not by Keyrite, so the reading side is tested against an outside writer.
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';

export const VECTORS = '/work/shared/vectors/attestation/yubikey-piv';

export interface TokenAt {
  modulePath: string;
  label: string;
  pin: string;
  env: Record<string, string>;
}

/** The DER of a PEM certificate file, as openssl reads it. */
export function derOf(pemFile: string): Buffer {
  return execFileSync('openssl', ['x509', '-in', pemFile, '-outform', 'DER']);
}

export function writeCertObject(t: TokenAt, pemFile: string, label: string, id: string, scratchDir: string): void {
  const der = path.join(scratchDir, `${path.basename(path.dirname(pemFile))}-${path.basename(pemFile)}-${id}.der`);
  writeFileSync(der, derOf(pemFile));
  execFileSync('pkcs11-tool', ['--module', t.modulePath, '--token-label', t.label, '--login', '--pin', t.pin,
    '--write-object', der, '--type', 'cert', '--label', label, '--id', id], { env: { ...process.env, ...t.env }, stdio: 'pipe' });
}

/** pkcs11-tool's own listing of the token's certificate objects. */
export function listCertObjects(t: TokenAt): string {
  return execFileSync('pkcs11-tool', ['--module', t.modulePath, '--token-label', t.label, '--list-objects', '--type', 'cert'], { env: { ...process.env, ...t.env }, stdio: 'pipe' }).toString();
}
