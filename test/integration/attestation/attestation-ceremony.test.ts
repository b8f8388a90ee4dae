/**
 * The verify-attestation step in a root-keygen rehearsal on SoftHSM2: a token that cannot attest
 * is recorded plainly and `keyrite verify` shows it; policy can require attestation, and then the
 * step waits for certificates; a chain for another key is refused and journaled; a chain that
 * certifies the ceremony's key verifies, and `keyrite verify` re-checks it offline from the
 * transcript alone, trusting a stand-in rehearsal root only when the auditor names it.
 */
import { copyFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runHeadless } from '../../../electron/core/ceremony/headless';
import { readJournalEntries } from '../../../electron/core/ceremony/prior-run';
import { tempDir } from '../../helpers/softhsm';
import { captureIo, TEMPLATES } from '../ceremony/helpers';
import { keyrite } from '../../helpers/keyrite-cli';
import { INPUTS, kinds, makeChain, policyRequiringAttestation as policyIn, scriptWithAttestation as scriptIn } from './ceremony-script';

const V = '/work/shared/vectors/attestation/yubikey-piv';
const tmp = tempDir('keyrite-attest-ceremony-');
afterAll(() => tmp.cleanup());
const scriptWithAttestation = () => scriptIn(tmp.dir);
const policyRequiringAttestation = () => policyIn(tmp.dir);

describe('verify-attestation in a ceremony', () => {
  it('records plainly that SoftHSM2 cannot attest, and keyrite verify says so', async () => {
    const out = path.join(tmp.dir, 'absent');
    await runHeadless({ scriptFile: scriptWithAttestation(), outDir: out, rehearsal: true, io: captureIo(), inputsFile: INPUTS });
    const absent = readJournalEntries(path.join(out, 'transcript.jsonl')).find((e) => e.kind === 'attestation.absent');
    expect((absent?.data as { reason: string }).reason).toMatch(/SoftHSM.*gave no attestation certificate/);
    // The token was asked, the way ykcs11 shows a YubiKey's attestation, and showed nothing.
    expect((absent?.data as { reason: string }).reason).toMatch(/shows no certificate object "X\.509 Certificate for PIV Attestation <slot>" with the key's CKA_ID [0-9a-f]+, nor a device attestation certificate/);
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
    expect(trusted.stdout).toContain('certificates read from files the administrator put in attestation/');
    expect(trusted.stdout).toMatch(/REFUSED .*ATTESTATION_PUBLIC_KEY_MISMATCH/);
  }, 300_000);
});
