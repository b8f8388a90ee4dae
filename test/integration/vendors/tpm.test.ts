/**
 * tpm2-pkcs11 on a software TPM (swtpm): a third real PKCS#11 implementation, TPM-backed. It lists no
 * CKM_AES_KEY_WRAP_PAD, so the capability check refuses root-keygen with a backup and recovery
 * before any step; signing with a key already there asks nothing it lacks. What it refuses beyond
 * its mechanism list is pinned here too (docs/TOKEN.md).
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTokenClient, type TokenClient } from '../../../electron/core/token/client';
import { capabilityGaps } from '../../../electron/core/token/capabilities';
import { ceremonyNeeds } from '../../../electron/core/ceremony/run-capabilities';
import { parseScript } from '../../../electron/core/ceremony/load';
import type { TokenView } from '../../../electron/core/token/types';
import { tempDir } from '../../helpers/softhsm';
import { TEMPLATES } from '../ceremony/helpers';

const run = promisify(execFile);
const MODULE = '/usr/lib/x86_64-linux-gnu/pkcs11/libtpm2_pkcs11.so';
const tmp = tempDir('keyrite-tpm-');

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    }).on('error', reject);
  });
}

async function listening(port: number): Promise<void> {
  for (let i = 0; i < 100; i++) {
    const ok = await new Promise<boolean>((resolve) => {
      const s = net.connect(port, '127.0.0.1', () => { s.end(); resolve(true); }).on('error', () => resolve(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`swtpm did not listen on ${port}`);
}

describe('tpm2-pkcs11 on swtpm', () => {
  let swtpm: ChildProcess;
  let env: Record<string, string>;
  let client: TokenClient;
  let token: TokenView;
  beforeAll(async () => {
    // The swtpm TCTI sends control commands to the next port up.
    const port = await freePort();
    const ctrl = port + 1;
    mkdirSync(path.join(tmp.dir, 'state'));
    mkdirSync(path.join(tmp.dir, 'store'));
    swtpm = spawn('swtpm', ['socket', '--tpm2', '--tpmstate', `dir=${path.join(tmp.dir, 'state')}`, '--server', `type=tcp,port=${port}`, '--ctrl', `type=tcp,port=${ctrl}`, '--flags', 'not-need-init,startup-clear'], { stdio: 'ignore' });
    await listening(port);
    env = { TPM2_PKCS11_TCTI: `swtpm:host=127.0.0.1,port=${port}`, TPM2_PKCS11_STORE: path.join(tmp.dir, 'store'), TPM2_PKCS11_LOG_LEVEL: '0' };
    const penv = { ...process.env, ...env };
    await run('pkcs11-tool', ['--module', MODULE, '--init-token', '--label', 'tpm-root', '--so-pin', '12345678'], { env: penv });
    await run('pkcs11-tool', ['--module', MODULE, '--token-label', 'tpm-root', '--init-pin', '--login', '--so-pin', '12345678', '--pin', '123456'], { env: penv });
    client = createTokenClient({ modulePath: MODULE, env });
    token = (await client.listSlots()).find((s) => s.token?.label === 'tpm-root')!.token!;
  }, 60_000);
  afterAll(async () => {
    await client?.close();
    swtpm?.kill();
    tmp.cleanup();
  });

  it('opens through Keyrite\'s token host and lists what the TPM can do, without CKM_AES_KEY_WRAP_PAD', () => {
    expect(token).toMatchObject({ label: 'tpm-root', flags: { loginRequired: true, userPinInitialized: true } });
    const names = token.mechanisms.map((m) => m.name);
    expect(names).toEqual(expect.arrayContaining(['CKM_EC_KEY_PAIR_GEN', 'CKM_ECDSA', 'CKM_RSA_PKCS_KEY_PAIR_GEN', 'CKM_AES_KEY_GEN']));
    expect(names).not.toContain('CKM_AES_KEY_WRAP_PAD');
    expect(token.algorithms).toEqual(expect.arrayContaining(['ec-p256', 'ec-p384', 'rsa-3072']));
    expect(token.algorithms).not.toContain('rsa-4096');
  });

  it('the capability check refuses root-keygen (backup) and recovery naming CKM_AES_KEY_WRAP_PAD, and passes sign-crl', () => {
    const needs = (name: string) => ceremonyNeeds(parseScript(readFileSync(path.join(TEMPLATES, `${name}.yaml`), 'utf8')).script);
    expect(capabilityGaps(needs('root-keygen'), token).map((g) => g.missing)).toEqual(['CKM_AES_KEY_WRAP_PAD']);
    expect(capabilityGaps(needs('recovery'), token).map((g) => g.missing)).toEqual(['CKM_AES_KEY_WRAP_PAD']);
    expect(capabilityGaps(needs('sign-crl'), token)).toEqual([]);
  });

  it('refuses a sensitive key kept extractable for a backup (CKR_ATTRIBUTE_VALUE_INVALID) and C_GenerateKey for AES (CKR_FUNCTION_NOT_SUPPORTED)', async () => {
    const s = await client.openSession({ label: 'tpm-root' }, { pin: '123456' });
    await expect(client.generateKeyPair(s, { algorithm: 'ec-p384', label: 'bk', id: 'c1', extractableForBackup: true }))
      .rejects.toMatchObject({ details: expect.objectContaining({ ckr: 'CKR_ATTRIBUTE_VALUE_INVALID' }) });
    await expect(client.generateSecretKey(s, { label: 'wk', id: 'b1', onToken: false, extractable: false }))
      .rejects.toMatchObject({ details: expect.objectContaining({ ckr: 'CKR_FUNCTION_NOT_SUPPORTED' }) });
    await client.closeSession(s);
  });
});
