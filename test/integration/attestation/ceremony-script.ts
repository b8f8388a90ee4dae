/**
 * What the attestation ceremony tests share: root-keygen with a verify-attestation step, a policy
 * requiring attestation for root keys, and a stand-in vendor chain for a key made on SoftHSM2.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'vitest';
import { readJournalEntries } from '../../../electron/core/ceremony/prior-run';
import { ROOT, TEMPLATES } from '../ceremony/helpers';

export const INPUTS = path.join(TEMPLATES, 'root-keygen.rehearsal.yaml');

export function scriptWithAttestation(dir: string): string {
  const text = readFileSync(path.join(TEMPLATES, 'root-keygen.yaml'), 'utf8');
  const step = `  - id: attestation
    instruction: Read the key's attestation off the device and check it to the vendor root.
    action: verify-attestation
  - id: root-cert\n`;
  const out = text.replace('  - id: root-cert\n', step);
  expect(out).not.toBe(text);
  const file = path.join(dir, `script-${Math.random().toString(36).slice(2)}.yaml`);
  writeFileSync(file, out);
  return file;
}

export function policyRequiringAttestation(dir: string): string {
  const text = readFileSync(path.join(ROOT, 'resources/policy/default.yaml'), 'utf8').replace('    backupRequired: true\n', '    backupRequired: true\n    attestationRequired: true\n');
  const file = path.join(dir, 'policy-attest.yaml');
  writeFileSync(file, text);
  return file;
}

export const journal = (out: string) => readJournalEntries(path.join(out, 'transcript.jsonl'));
export const kinds = (out: string) => journal(out).map((e) => e.kind);

/** A stand-in vendor: root -> device cert -> key cert with Yubico's extensions, certifying `pubkey` (OpenSSL -force_pubkey). */
export function makeChain(dir: string, pubkey: string): void {
  mkdirSync(dir, { recursive: true });
  const f = (n: string) => path.join(dir, n);
  const ossl = (...a: string[]) => execFileSync('openssl', a, { stdio: 'pipe' });
  ossl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', f('root.key'), '-out', f('rehearsal-root.pem'), '-subj', '/CN=Rehearsal Attestation Root', '-days', '30');
  ossl('req', '-new', '-newkey', 'rsa:2048', '-nodes', '-keyout', f('dev.key'), '-out', f('dev.csr'), '-subj', '/CN=Rehearsal PIV Attestation');
  writeFileSync(f('ca.ext'), 'basicConstraints=critical,CA:TRUE,pathlen:0\n');
  ossl('x509', '-req', '-in', f('dev.csr'), '-CA', f('rehearsal-root.pem'), '-CAkey', f('root.key'), '-set_serial', '7', '-days', '30', '-extfile', f('ca.ext'), '-out', f('device_cert.pem'));
  writeFileSync(f('yk.ext'), '1.3.6.1.4.1.41482.3.3=DER:050701\n1.3.6.1.4.1.41482.3.7=DER:020401C9C380\n1.3.6.1.4.1.41482.3.8=DER:0302\n1.3.6.1.4.1.41482.3.9=DER:03\n');
  ossl('req', '-new', '-newkey', 'rsa:2048', '-nodes', '-keyout', f('any.key'), '-out', f('k.csr'), '-subj', '/CN=YubiKey PIV Attestation 9a');
  ossl('x509', '-req', '-in', f('k.csr'), '-force_pubkey', pubkey, '-CA', f('device_cert.pem'), '-CAkey', f('dev.key'), '-set_serial', '8', '-days', '30', '-extfile', f('yk.ext'), '-out', f('key_cert.pem'));
}
