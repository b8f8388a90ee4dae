/**
 * `keyrite attestation verify` on real YubiKey PIV attestation chains (Sigstore's 2021 root
 * ceremony) to Yubico's PIV root shipped in resources/: genuine chains verify and print the
 * device's serial and firmware; a key certificate paired with another device's certificate, with
 * another public key, or under a look-alike root made with OpenSSL is refused naming the link.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { keyrite } from '../../helpers/keyrite-cli';

const ROOT = path.resolve(__dirname, '../../../resources/attestation/yubico-piv-root-ca.pem');
const V = '/work/shared/vectors/attestation/yubikey-piv';
const vec = (serial: string, f: string) => path.join(V, serial, f);
const tmp = mkdtempSync(path.join(tmpdir(), 'keyrite-attest-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const attest = (serial: string, extra: string[] = []) => keyrite('attestation', 'verify', '--key-cert', vec(serial, 'key_cert.pem'), '--device-cert', vec(serial, 'device_cert.pem'), ...extra);

describe('keyrite attestation verify on real YubiKey chains', () => {
  it.each([
    ['10550341', '4.4.5'],
    ['13078782', '5.2.6'],
    ['14833186', '5.4.3'],
  ])('verifies YubiKey %s against its own public key and prints serial and firmware %s', async (serial, firmware) => {
    const r = await attest(serial, ['--public-key', vec(serial, 'pubkey.pem')]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/VERIFIED/);
    expect(r.stdout).toContain(`serial ${serial}, firmware ${firmware}`);
    expect(r.stdout).toContain('(equals the given public key)');
  });

  it('decodes policy and form factor, and flags YSA-2024-03 for an ECDSA key on YubiKey 5 below 5.7.0 only', async () => {
    const five = JSON.parse((await attest('14833186', ['--json'])).stdout);
    expect(five).toMatchObject({ verified: true, serial: 14833186, firmware: '5.4.3', slot: '9c', pinPolicy: 'always', touchPolicy: 'always', formFactor: 'USB-A keychain' });
    expect(five.advisories.map((a: { id: string }) => a.id)).toEqual(['YSA-2024-03']);
    expect(five.root.subject).toBe('CN=Yubico PIV Root CA Serial 263751');
    const four = JSON.parse((await attest('10550341', ['--json'])).stdout);
    expect(four.advisories).toEqual([]);
  });

  it('agrees with openssl verify on a genuine chain and on a swapped one', async () => {
    const good = execFileSync('openssl', ['verify', '-CAfile', ROOT, '-untrusted', vec('13078782', 'device_cert.pem'), vec('13078782', 'key_cert.pem')], { encoding: 'utf8' });
    expect(good).toMatch(/: OK/);
    expect(() => execFileSync('openssl', ['verify', '-CAfile', ROOT, '-untrusted', vec('14833186', 'device_cert.pem'), vec('13078782', 'key_cert.pem')], { stdio: 'pipe' })).toThrow();
    expect((await attest('13078782')).code).toBe(0);
    expect((await keyrite('attestation', 'verify', '--key-cert', vec('13078782', 'key_cert.pem'), '--device-cert', vec('14833186', 'device_cert.pem'))).code).toBe(1);
  });

  it('refuses a key certificate paired with another device\'s certificate, naming the link', async () => {
    const r = await keyrite('attestation', 'verify', '--key-cert', vec('13078782', 'key_cert.pem'), '--device-cert', vec('10550341', 'device_cert.pem'), '--json');
    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout);
    expect(out.verified).toBe(false);
    expect(out.error).toMatchObject({ code: 'ATTESTATION_KEY_NOT_FROM_DEVICE', details: { link: 'key-cert <- device-cert' } });
    const human = await keyrite('attestation', 'verify', '--key-cert', vec('13078782', 'key_cert.pem'), '--device-cert', vec('10550341', 'device_cert.pem'));
    expect(human.code).toBe(1);
    expect(human.stderr).toMatch(/Link key-cert <- device-cert failed/);
    expect(human.stderr).toContain('[ATTESTATION_KEY_NOT_FROM_DEVICE]');
  });

  it('refuses a genuine chain given another public key', async () => {
    const r = await attest('14833186', ['--public-key', vec('13078782', 'pubkey.pem'), '--json']);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout).error).toMatchObject({ code: 'ATTESTATION_PUBLIC_KEY_MISMATCH', details: { link: 'public-key = key-cert' } });
  });

  it('refuses a look-alike chain (same names, Yubico extensions) under a root that is not Yubico\'s', async () => {
    const f = (n: string) => path.join(tmp, n);
    const ossl = (...a: string[]) => execFileSync('openssl', a, { stdio: 'pipe' });
    ossl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', f('root.key'), '-out', f('root.pem'), '-subj', '/CN=Yubico PIV Root CA Serial 263751', '-days', '30');
    ossl('req', '-new', '-newkey', 'rsa:2048', '-nodes', '-keyout', f('dev.key'), '-out', f('dev.csr'), '-subj', '/CN=Yubico PIV Attestation');
    writeFileSync(f('ca.ext'), 'basicConstraints=critical,CA:TRUE,pathlen:0\n');
    ossl('x509', '-req', '-in', f('dev.csr'), '-CA', f('root.pem'), '-CAkey', f('root.key'), '-set_serial', '7', '-days', '30', '-extfile', f('ca.ext'), '-out', f('dev.pem'));
    ossl('req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', f('k.key'), '-out', f('k.csr'), '-subj', '/CN=YubiKey PIV Attestation 9c');
    writeFileSync(f('yk.ext'), '1.3.6.1.4.1.41482.3.3=DER:050701\n1.3.6.1.4.1.41482.3.7=DER:020400C790FE\n1.3.6.1.4.1.41482.3.8=DER:0302\n');
    ossl('x509', '-req', '-in', f('k.csr'), '-CA', f('dev.pem'), '-CAkey', f('dev.key'), '-set_serial', '8', '-days', '30', '-extfile', f('yk.ext'), '-out', f('k.pem'));
    // OpenSSL agrees the forged chain is whole under its own root: only the trust anchor differs.
    expect(execFileSync('openssl', ['verify', '-CAfile', f('root.pem'), '-untrusted', f('dev.pem'), f('k.pem')], { encoding: 'utf8' })).toMatch(/OK/);
    const r = await keyrite('attestation', 'verify', '--key-cert', f('k.pem'), '--device-cert', f('dev.pem'), '--json');
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout).error).toMatchObject({ code: 'ATTESTATION_DEVICE_NOT_FROM_ROOT', details: { link: 'device-cert <- vendor-root' } });
  });

  it('accepts DER files and says exit 2 for a file that is no certificate', async () => {
    const der = path.join(tmp, 'key.der');
    execFileSync('openssl', ['x509', '-in', vec('13078782', 'key_cert.pem'), '-outform', 'DER', '-out', der]);
    expect((await keyrite('attestation', 'verify', '--key-cert', der, '--device-cert', vec('13078782', 'device_cert.pem'))).code).toBe(0);
    const bad = await keyrite('attestation', 'verify', '--key-cert', vec('13078782', 'pubkey.pem'), '--device-cert', vec('13078782', 'device_cert.pem'));
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('[INPUT_ATTESTATION_CERT]');
    expect((await keyrite('attestation', 'verify', '--key-cert', vec('13078782', 'key_cert.pem'))).code).toBe(2);
  });
});
