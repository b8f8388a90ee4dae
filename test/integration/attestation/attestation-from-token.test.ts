/**
 * verify-attestation reading the certificates from the token, on SoftHSM2 holding certificate
 * objects under ykcs11's labels and ids (written by pkcs11-tool): the chain is read, published as
 * OUT/attestation/*.pem with its SHA-256 journaled, and checked. Sigstore's real YubiKey chain
 * verifies to Yubico's root but attests another key than the one SoftHSM2 generated, so the step
 * refuses, naming that link: the honest result on SoftHSM2. A stand-in vendor chain for the
 * ceremony's own key verifies, and `keyrite verify` re-checks it offline.
 */
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runHeadless } from '../../../electron/core/ceremony/headless';
import { findSoftHsmModule } from '../../../electron/core/token/rehearsal';
import { tempDir } from '../../helpers/softhsm';
import { keyrite } from '../../helpers/keyrite-cli';
import { captureIo, openssl, ROOT } from '../ceremony/helpers';
import { INPUTS, journal, makeChain, policyRequiringAttestation, scriptWithAttestation } from './ceremony-script';
import { derOf, VECTORS, writeCertObject, type TokenAt } from './token-certs';

const tmp = tempDir('keyrite-attest-token-');
afterAll(() => tmp.cleanup());

const SLOT_9C = 'X.509 Certificate for PIV Attestation 9c';
const DEVICE = 'X.509 Certificate for PIV Attestation';
const YUBICO_ROOT = path.join(ROOT, 'resources/attestation/yubico-piv-root-ca.pem');

/** The run's rehearsal token (OUT/token), as pkcs11-tool opens it. */
const tokenOf = (out: string): TokenAt => ({
  modulePath: findSoftHsmModule() as string, label: 'keyrite-rehearsal', pin: '123456',
  env: { SOFTHSM2_CONF: path.join(out, 'token', 'softhsm2.conf') },
});
const keyIdOf = (out: string) => (journal(out).find((e) => e.kind === 'key.generated')?.data as { id: string }).id;
const sha256 = (f: string) => createHash('sha256').update(readFileSync(f)).digest('hex');

/** A run that stops at verify-attestation (policy requires it, the token shows none yet). */
async function runToAttestation(name: string) {
  const out = path.join(tmp.dir, name);
  const scriptFile = scriptWithAttestation(tmp.dir), policyFile = policyRequiringAttestation(tmp.dir);
  const go = () => runHeadless({ scriptFile, outDir: out, rehearsal: true, io: captureIo(), inputsFile: INPUTS, policyFile });
  await expect(go()).rejects.toMatchObject({ code: 'ATTESTATION_REQUIRED', message: expect.stringMatching(/shows no certificate object .* nor a device attestation certificate/) });
  return { out, go, token: tokenOf(out), keyId: keyIdOf(out) };
}

describe('verify-attestation reads the chain from the token', () => {
  it('Sigstore\'s YubiKey chain on the token: read and published, verifies to Yubico\'s root, refused for attesting another key', async () => {
    const { out, go, token, keyId } = await runToAttestation('yubikey');
    const v = path.join(VECTORS, '14833186');

    // The slot's attestation under the key's CKA_ID, as ykcs11 shows it, without the device
    // certificate that signs it: nothing can be checked, nothing is published or journaled.
    writeCertObject(token, path.join(v, 'key_cert.pem'), SLOT_9C, keyId, tmp.dir);
    await expect(go()).rejects.toMatchObject({ code: 'ATTESTATION_TOKEN_INCOMPLETE', message: expect.stringContaining(`"${SLOT_9C}"`) });
    expect(existsSync(path.join(out, 'attestation'))).toBe(false);
    expect(journal(out).filter((e) => String(e.kind).startsWith('attestation.'))).toEqual([]);

    writeCertObject(token, path.join(v, 'device_cert.pem'), DEVICE, '19', tmp.dir);
    const err = await go().then(() => undefined, (e: unknown) => e);
    expect(err).toMatchObject({ code: 'ATTESTATION_PUBLIC_KEY_MISMATCH', details: { link: 'public-key = key-cert' } });

    // What was read is exactly the token's CKA_VALUE, published with its SHA-256 before the check.
    const keyFile = path.join(out, 'attestation/key_cert.pem'), deviceFile = path.join(out, 'attestation/device_cert.pem');
    expect(derOf(keyFile).equals(derOf(path.join(v, 'key_cert.pem')))).toBe(true);
    expect(derOf(deviceFile).equals(derOf(path.join(v, 'device_cert.pem')))).toBe(true);
    const entries = journal(out);
    const published = entries.filter((e) => e.kind === 'file.published' && String((e.data as { file: string }).file).startsWith('attestation/'));
    expect(published.map((e) => e.data)).toEqual([
      { file: 'attestation/key_cert.pem', sha256: sha256(keyFile), bytes: readFileSync(keyFile).length },
      { file: 'attestation/device_cert.pem', sha256: sha256(deviceFile), bytes: readFileSync(deviceFile).length },
    ]);
    const refused = entries.find((e) => e.kind === 'attestation.refused');
    expect(refused!.seq).toBeGreaterThan(published[1]!.seq);
    expect(refused?.data).toMatchObject({
      source: { from: 'token', keyCert: { label: SLOT_9C, id: keyId, file: 'attestation/key_cert.pem' }, deviceCert: { label: DEVICE, id: '19', file: 'attestation/device_cert.pem' } },
      error: { code: 'ATTESTATION_PUBLIC_KEY_MISMATCH' },
    });

    // The chain itself is genuine: OpenSSL and keyrite attestation verify take it to Yubico's root;
    // only the ceremony's key (SoftHSM2's) is not the attested one.
    expect(openssl('verify', '-CAfile', YUBICO_ROOT, deviceFile)).toMatch(/OK/);
    expect(openssl('verify', '-partial_chain', '-CAfile', deviceFile, keyFile)).toMatch(/OK/);
    const chain = await keyrite('attestation', 'verify', '--key-cert', keyFile, '--device-cert', deviceFile);
    expect(chain.code, chain.stdout + chain.stderr).toBe(0);
    expect(chain.stdout).toContain('14833186');
    const withKey = await keyrite('attestation', 'verify', '--key-cert', keyFile, '--device-cert', deviceFile, '--public-key', path.join(out, 'public-key.pem'));
    expect(withKey.code).toBe(1);

    // The auditor, offline: the refusal is reported as such and the published files match their hashes.
    const audit = JSON.parse((await keyrite('verify', out, '--json')).stdout) as { attestations: { status: string; reason: string }[]; files: { file: string; status: string }[] };
    expect(audit.attestations).toEqual([expect.objectContaining({ status: 'refused', reason: expect.stringMatching(/^ATTESTATION_PUBLIC_KEY_MISMATCH/) })]);
    expect(audit.files.filter((f) => f.file.startsWith('attestation/'))).toEqual([
      expect.objectContaining({ file: 'attestation/device_cert.pem', status: 'bound' }),
      expect.objectContaining({ file: 'attestation/key_cert.pem', status: 'bound' }),
    ]);
  }, 300_000);

  it('a vendor chain for the ceremony\'s own key on the token verifies, and keyrite verify re-checks it offline', async () => {
    const { out, go, token, keyId } = await runToAttestation('stand-in');
    const chain = path.join(tmp.dir, 'stand-in-chain');
    makeChain(chain, path.join(out, 'public-key.pem'));
    // The device certificate alone: the device can attest, but not this key (as for an imported key).
    writeCertObject(token, path.join(chain, 'device_cert.pem'), DEVICE, '19', tmp.dir);
    await expect(go()).rejects.toMatchObject({ code: 'ATTESTATION_REQUIRED', message: expect.stringMatching(/shows its device attestation certificate .* but no attestation for the key \(CKA_ID [0-9a-f]+\): a YubiKey attests only keys generated on it/) });
    writeCertObject(token, path.join(chain, 'key_cert.pem'), 'X.509 Certificate for PIV Attestation 9a', keyId, tmp.dir);
    // Only the stand-in root is a file; the certificates come from the token.
    mkdirSync(path.join(out, 'attestation'));
    copyFileSync(path.join(chain, 'rehearsal-root.pem'), path.join(out, 'attestation', 'rehearsal-root.pem'));

    const done = await go();
    expect(done.view.need.kind).toBe('done');
    const verified = journal(out).find((e) => e.kind === 'attestation.verified');
    expect(verified?.data).toMatchObject({ source: { from: 'token', keyCert: { id: keyId } }, rootSource: 'rehearsal', result: { serial: 30000000, slot: '9a' } });

    const rootArg = ['--attestation-root', path.join(chain, 'rehearsal-root.pem')];
    const audit = await keyrite('verify', out, ...rootArg, '--json');
    expect(audit.code, audit.stdout).toBe(0);
    const report = JSON.parse(audit.stdout) as { attestations: { status: string; source: string; serial: number }[]; files: { file: string; status: string }[] };
    expect(report.attestations).toEqual([expect.objectContaining({ status: 'verified', source: 'token', serial: 30000000 })]);
    expect(report.files.find((f) => f.file === 'attestation/key_cert.pem')?.status).toBe('bound');
    // The auditor reading the text report is told where the certificates came from.
    expect((await keyrite('verify', out, ...rootArg)).stdout).toContain('certificates read from the token by Keyrite');

    // A certificate swapped in the folder after the ceremony is caught by its journaled hash.
    writeFileSync(path.join(out, 'attestation/device_cert.pem'), readFileSync(path.join(VECTORS, '14833186/device_cert.pem')));
    const changed = await keyrite('verify', out, ...rootArg, '--json');
    expect(changed.code).toBe(1);
    expect(JSON.parse(changed.stdout).failure).toMatchObject({ code: 'FILE_CHANGED', file: 'attestation/device_cert.pem' });
  }, 300_000);
});
