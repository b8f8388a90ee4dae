/**
 * The verify-attestation step in a root-keygen rehearsal on SoftHSM2: a token that cannot attest
 * is recorded plainly and `keyrite verify` shows it; policy can require attestation, and then the
 * step waits for certificates; a chain for another key is refused and journaled; a chain that
 * certifies the ceremony's key verifies, and `keyrite verify` re-checks it offline from the
 * transcript alone, trusting a stand-in rehearsal root only when the auditor names it.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runHeadless } from '../../../electron/core/ceremony/headless';
import { readJournalEntries } from '../../../electron/core/ceremony/prior-run';
import { tempDir } from '../../helpers/softhsm';
import { captureIo, ROOT, TEMPLATES } from '../ceremony/helpers';
import { keyrite } from '../../helpers/keyrite-cli';

const V = '/work/shared/vectors/attestation/yubikey-piv';
const tmp = tempDir('keyrite-attest-ceremony-');
afterAll(() => tmp.cleanup());
const INPUTS = path.join(TEMPLATES, 'root-keygen.rehearsal.yaml');

function scriptWithAttestation(): string {
  const text = readFileSync(path.join(TEMPLATES, 'root-keygen.yaml'), 'utf8');
  const step = `  - id: attestation
    instruction: Read the key's attestation off the device and check it to the vendor root.
    action: verify-attestation
  - id: root-cert\n`;
  const out = text.replace('  - id: root-cert\n', step);
  expect(out).not.toBe(text);
  const file = path.join(tmp.dir, `script-${Math.random().toString(36).slice(2)}.yaml`);
  writeFileSync(file, out);
  return file;
}

function policyRequiringAttestation(): string {
  const text = readFileSync(path.join(ROOT, 'resources/policy/default.yaml'), 'utf8').replace('    backupRequired: true\n', '    backupRequired: true\n    attestationRequired: true\n');
  const file = path.join(tmp.dir, 'policy-attest.yaml');
  writeFileSync(file, text);
  return file;
}

const kinds = (out: string) => readJournalEntries(path.join(out, 'transcript.jsonl')).map((e) => e.kind);

/** A stand-in vendor: root -> device cert -> key cert with Yubico's extensions, certifying `pubkey` (OpenSSL -force_pubkey). */
function makeChain(dir: string, pubkey: string): void {
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

describe('verify-attestation in a ceremony', () => {
  it('records plainly that SoftHSM2 cannot attest, and keyrite verify says so', async () => {
    const out = path.join(tmp.dir, 'absent');
    await runHeadless({ scriptFile: scriptWithAttestation(), outDir: out, rehearsal: true, io: captureIo(), inputsFile: INPUTS });
    const absent = readJournalEntries(path.join(out, 'transcript.jsonl')).find((e) => e.kind === 'attestation.absent');
    expect((absent?.data as { reason: string }).reason).toMatch(/SoftHSM.*gave no attestation certificate/);
    const v = await keyrite('verify', out);
    expect(v.code, v.stdout).toBe(0);
    expect(v.stdout).toMatch(/Attestation example-root-2026: NONE \(entry \d+\): .*SoftHSM/);
  }, 180_000);

  it('under a policy requiring it: refuses a script without the step, waits for the certificates, refuses another key\'s chain, and verifies the ceremony key\'s', async () => {
    const policyFile = policyRequiringAttestation();
    const plain = path.join(TEMPLATES, 'root-keygen.yaml');
    await expect(runHeadless({ scriptFile: plain, outDir: path.join(tmp.dir, 'nostep'), rehearsal: true, io: captureIo(), inputsFile: INPUTS, policyFile })).rejects.toThrow(/verify-attestation/);

    const out = path.join(tmp.dir, 'required');
    const scriptFile = scriptWithAttestation();
    const go = () => runHeadless({ scriptFile, outDir: out, rehearsal: true, io: captureIo(), inputsFile: INPUTS, policyFile });
    await expect(go()).rejects.toMatchObject({ code: 'ATTESTATION_REQUIRED' });
    expect(kinds(out)).not.toContain('attestation.absent');

    // A genuine YubiKey chain, but for another key: refused, and the refusal is journaled.
    const adir = path.join(out, 'attestation');
    mkdirSync(adir, { recursive: true });
    copyFileSync(path.join(V, '13078782/key_cert.pem'), path.join(adir, 'key_cert.pem'));
    copyFileSync(path.join(V, '13078782/device_cert.pem'), path.join(adir, 'device_cert.pem'));
    await expect(go()).rejects.toMatchObject({ code: 'ATTESTATION_PUBLIC_KEY_MISMATCH' });
    expect(kinds(out)).toContain('attestation.refused');

    // The stand-in vendor certifies the ceremony's own key: verified, and the run completes.
    makeChain(adir, path.join(out, 'public-key.pem'));
    const done = await go();
    expect(done.view.need.kind).toBe('done');
    const verified = readJournalEntries(path.join(out, 'transcript.jsonl')).find((e) => e.kind === 'attestation.verified');
    expect(verified?.data).toMatchObject({ rootSource: 'rehearsal', result: { serial: 30000000, firmware: '5.7.1', slot: '9a' } });

    // Offline re-check: the stand-in root is not a vendor root, so only an auditor who names it accepts the chain.
    const untrusted = await keyrite('verify', out, '--json');
    expect(untrusted.code).toBe(1);
    expect(JSON.parse(untrusted.stdout).failure).toMatchObject({ code: 'ATTESTATION_INVALID', seq: verified!.seq });
    const trusted = await keyrite('verify', out, '--attestation-root', path.join(adir, 'rehearsal-root.pem'));
    expect(trusted.code, trusted.stdout).toBe(0);
    expect(trusted.stdout).toMatch(/VERIFIED again here: generated on YubiKey serial 30000000, firmware 5\.7\.1/);
    expect(trusted.stdout).toContain('a root YOU gave with --attestation-root');
    expect(trusted.stdout).toMatch(/REFUSED .*ATTESTATION_PUBLIC_KEY_MISMATCH/);
  }, 300_000);
});
