/**
 * NSS softokn, a second real PKCS#11 implementation: rehearsal tokens made with certutil, opened with
 * C_Initialize library parameters, and the capability check that refuses, before any step, what NSS
 * cannot do (as measured: docs/TOKEN.md).
 */
import { execFile } from 'node:child_process';
import { createDecipheriv, createPrivateKey, createPublicKey, randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTokenClient, type TokenClient } from '../../../electron/core/token/client';
import { capabilityGaps } from '../../../electron/core/token/capabilities';
import { ceremonyNeeds } from '../../../electron/core/ceremony/run-capabilities';
import { parseScript } from '../../../electron/core/ceremony/load';
import { parseBackupFile, RecoverySession } from '../../../electron/core/shares';
import { createNssRehearsalToken } from '../../../electron/core/token/rehearsal-nss';
import { PKCS11_INIT_ARGS_ENV } from '../../../electron/core/token/host-protocol';
import type { TokenView } from '../../../electron/core/token/types';
import { parsePkcs11Uri } from '../../../electron/core/token/pkcs11-uri';
import { verifySignature } from '../../../electron/core/token/verify';
import { makeToken, tempDir } from '../../helpers/softhsm';
import { TEMPLATES } from '../ceremony/helpers';

const run = promisify(execFile);
const BIN = path.resolve(__dirname, '../../../bin/keyrite.mjs');
const tmp = tempDir('keyrite-nss-');
afterAll(() => tmp.cleanup());
type Failed = { code: number; stdout: string; stderr: string };

describe('NSS softokn rehearsal token', () => {
  let created: { modulePath: string; initArgs: string; label: string; serial: string; nssDb: string };
  let client: TokenClient;
  let token: TokenView;
  beforeAll(async () => {
    const out = await run('node', [BIN, 'rehearsal-token', 'create', '--kind', 'nss', '--dir', path.join(tmp.dir, 'tok'), '--label', 'nss-root', '--pin', '482913', '--json']);
    created = JSON.parse(out.stdout) as typeof created;
    expect(out.stdout).not.toContain('482913');
    client = createTokenClient({ modulePath: created.modulePath, env: { [PKCS11_INIT_ARGS_ENV]: created.initArgs } });
    token = (await client.listSlots()).find((s) => s.token?.label === 'nss-root')!.token!;
  });
  afterAll(async () => { await client?.close(); });

  it('is an NSS database certutil made, opened through libsoftokn3 with its library parameters', async () => {
    expect(created.modulePath).toMatch(/libsoftokn3\.(so|dylib)$/);
    expect(existsSync(path.join(created.nssDb, 'key4.db'))).toBe(true);
    // certutil (NSS's own tool) sees the same database and accepts the PIN as its password.
    const pw = path.join(tmp.dir, 'pw');
    writeFileSync(pw, '482913\n', { mode: 0o600 });
    const listed = await run('certutil', ['-K', '-d', `sql:${created.nssDb}`, '-f', pw]).catch((e: Failed) => e);
    expect(`${listed.stdout}${listed.stderr}`).toMatch(/no keys found/i);
    writeFileSync(pw, '111111\n', { mode: 0o600 });
    const wrong = await run('certutil', ['-K', '-d', `sql:${created.nssDb}`, '-f', pw]).catch((e: Failed) => e);
    expect(`${wrong.stdout}${wrong.stderr}`).toMatch(/SEC_ERROR_BAD_PASSWORD/);
    expect(token).toMatchObject({ manufacturer: 'Mozilla Foundation', model: 'NSS 3', serial: created.serial, rehearsal: true, flags: { loginRequired: true, userPinInitialized: true } });
    expect(token.mechanisms.map((m) => m.name)).toEqual(expect.arrayContaining(['CKM_EC_KEY_PAIR_GEN', 'CKM_ECDSA', 'CKM_AES_KEY_GEN', 'CKM_AES_KEY_WRAP_PAD']));
  });

  it('keyrite tokens lists it with --init-args, with its PKCS#11 URI', async () => {
    const text = (await run('node', [BIN, 'tokens', '--only', '--module', created.modulePath, '--init-args', created.initArgs])).stdout;
    expect(text).toMatch(/token "nss-root"\s+serial 0000000000000000\s+model NSS 3\s+by Mozilla Foundation/);
    const uri = text.split('\n').map((l) => l.trim()).find((l) => l.startsWith('uri: pkcs11:token=nss-root'))!.slice(5);
    expect(parsePkcs11Uri(uri)).toMatchObject({ path: { token: 'nss-root', serial: created.serial, manufacturer: 'Mozilla Foundation' }, query: { 'module-path': created.modulePath } });
    const without = await run('node', [BIN, 'tokens', '--init-args', created.initArgs]).catch((e: Failed) => e);
    expect(without).toMatchObject({ code: 2 });
  });

  it('logs in with the PIN, refuses a wrong one, and refuses SO login (NSS has no SO once a password is set)', async () => {
    const fresh = () => createTokenClient({ modulePath: created.modulePath, env: { [PKCS11_INIT_ARGS_ENV]: created.initArgs } });
    const a = fresh();
    await expect(a.openSession({ label: 'nss-root' }, { pin: '000000' })).rejects.toMatchObject({ code: 'PIN_INCORRECT' });
    await expect(a.openSession({ label: 'nss-root' }, { pin: '482913', userType: 'so' })).rejects.toMatchObject({ details: expect.objectContaining({ ckr: 'CKR_USER_TYPE_INVALID' }) });
    await a.close();
    const b = fresh();
    await expect(b.openSession({ label: 'nss-root' }, { pin: '482913' })).resolves.toBeTruthy();
    await b.close();
  });

  it('really does what KNOWN_QUIRKS says (measured through Keyrite\'s own token calls, so the table cannot drift)', async () => {
    const c = createTokenClient({ modulePath: created.modulePath, env: { [PKCS11_INIT_ARGS_ENV]: created.initArgs } });
    try {
      const s = await c.openSession({ label: 'nss-root' }, { pin: '482913' });
      // A final key (CKA_COPYABLE=FALSE at birth) is refused with CKR_GENERAL_ERROR.
      await expect(c.generateKeyPair(s, { algorithm: 'ec-p384', label: 'final', id: 'a1', extractableForBackup: false, finalAttributes: true }))
        .rejects.toMatchObject({ details: expect.objectContaining({ ckr: 'CKR_GENERAL_ERROR' }) });
      // Without it, the key is made, and NSS says it was not made on the token.
      const made = await c.generateKeyPair(s, { algorithm: 'ec-p384', label: 'plain', id: 'a2', extractableForBackup: true });
      expect((await c.readKeyProof(s, made)).local).toBe(false);
      // Keyrite wraps with NSS's CKM_AES_KEY_WRAP_KWP, which is RFC 5649 (its CKM_AES_KEY_WRAP_PAD is
      // not: nss-escape.ts), and unwraps with it, adding NSS's CKA_NSS_DB for an EC key
      // (adapter/vendor-quirks.ts): the key comes back and signs.
      const kek = randomBytes(32);
      const wk = await c.importSecretKey(s, { label: 'wk', id: 'b1', onToken: false, extractable: false }, kek);
      const wrapped = await c.wrapKey(s, wk, made);
      const rfc5649 = createDecipheriv('id-aes256-wrap-pad', kek, Buffer.from('A65959A6', 'hex'));
      const pkcs8 = Buffer.concat([rfc5649.update(wrapped), rfc5649.final()]);
      const spki = Buffer.from(await c.exportPublicKey(s, made));
      expect(createPublicKey(createPrivateKey({ key: pkcs8, format: 'der', type: 'pkcs8' })).export({ type: 'spki', format: 'der' })).toEqual(spki);
      await expect(c.unwrapKey(s, wk, wrapped, { algorithm: 'ec-p384', label: 'back', id: 'a3', extractable: false })).rejects.toMatchObject({ code: 'UNWRAP_NEEDS_PUBLIC_KEY' });
      // A wrong wrapping key: CKR_WRAPPED_KEY_INVALID on NSS (SoftHSM2 answers CKR_GENERAL_ERROR).
      const other = await c.importSecretKey(s, { label: 'wk2', id: 'b2', onToken: false, extractable: false }, randomBytes(32));
      await expect(c.unwrapKey(s, other, wrapped, { algorithm: 'ec-p384', label: 'back', id: 'a3', extractable: false, publicKey: spki }))
        .rejects.toMatchObject({ code: 'WRAPPED_KEY_INVALID', details: expect.objectContaining({ ckr: 'CKR_WRAPPED_KEY_INVALID' }) });
      const back = await c.unwrapKey(s, wk, wrapped, { algorithm: 'ec-p384', label: 'back', id: 'a3', extractable: false, publicKey: spki });
      const proof = await c.readKeyProof(s, back);
      // CKA_COPYABLE is absent from the proof, not guessed: the policy's notCopyable fails on it.
      expect(proof).toMatchObject({ extractable: false, sensitive: true, local: false });
      expect(proof.copyable).toBeUndefined();
      const msg = new TextEncoder().encode('restored on NSS');
      expect(verifySignature(spki, 'ecdsa-sha384', msg, await c.sign(s, back, 'ecdsa-sha384', msg))).toBe(true);
    } finally {
      await c.close();
    }
  });

  it('lets a key Keyrite made non-extractable, or locked, leave the token: C_WrapKey ignores CKA_EXTRACTABLE and C_CopyObject turns it TRUE (why every ceremony that makes or restores a key is refused on NSS)', async () => {
    const c = createTokenClient({ modulePath: created.modulePath, env: { [PKCS11_INIT_ARGS_ENV]: created.initArgs } });
    const keys: { ref: { id: string; label: string }; spki: string }[] = [];
    try {
      const s = await c.openSession({ label: 'nss-root' }, { pin: '482913' });
      const never = await c.generateKeyPair(s, { algorithm: 'ec-p384', label: 'never', id: 'c1', extractableForBackup: false });
      const locked = await c.generateKeyPair(s, { algorithm: 'ec-p256', label: 'locked', id: 'c2', extractableForBackup: true });
      const lock = await c.lockKey(s, locked);
      expect(lock.extractable).toBe(false);
      for (const k of [never, locked]) {
        const proof = await c.readKeyProof(s, k);
        expect(proof, k.label).toMatchObject({ extractable: false, sensitive: true });
        keys.push({ ref: k, spki: Buffer.from(await c.exportPublicKey(s, k)).toString('base64') });
      }
    } finally {
      await c.close();
    }
    for (const k of keys) {
      const out = await run(process.execPath, ['--import', 'tsx', path.join(__dirname, 'nss-escape.ts'), created.modulePath, 'nss-root', k.ref.id, '482913'], { env: { ...process.env, [PKCS11_INIT_ARGS_ENV]: created.initArgs } });
      const got = JSON.parse(out.stdout) as { before: boolean; wrap: string; escapedSpki?: string; rawUnwrap: Record<string, string>; copy: string; originalAfterCopy: boolean };
      // The private key came out in the clear (CKM_AES_KEY_WRAP_PAD read as RFC 3394 with PKCS#7
      // padding): its PKCS#8 gives the token's own public key.
      expect(got, k.ref.label).toMatchObject({ before: false, wrap: 'ok', escapedSpki: k.spki, copy: 'ok', originalAfterCopy: true });
      // Why the adapter adds CKA_NSS_DB and leaves CKA_COPYABLE out when it unwraps on NSS.
      expect(got.rawUnwrap, k.ref.label).toEqual({ standard: 'CKR_TEMPLATE_INCOMPLETE', nssDb: 'ok', notCopyableOnToken: 'CKR_GENERAL_ERROR' });
    }
  });

  it('the capability check refuses an Ed25519 key on NSS, naming the mechanism it lacks', () => {
    const template = readFileSync(path.join(TEMPLATES, 'root-keygen.yaml'), 'utf8');
    const ed = parseScript(template.replace(/algorithm: \S+/, 'algorithm: ed25519')).script;
    const gaps = capabilityGaps(ceremonyNeeds(ed), token);
    expect(gaps.map((g) => g.missing)).toContain('CKM_EC_EDWARDS_KEY_PAIR_GEN');
    expect(token.mechanisms.map((m) => m.name)).not.toContain('CKM_EC_EDWARDS_KEY_PAIR_GEN');
  });

  it('the same check finds nothing missing on SoftHSM2 for root-keygen and recovery', async () => {
    const t = await makeToken(path.join(tmp.dir, 'softhsm'), 'soft-root');
    const soft = createTokenClient({ modulePath: t.modulePath, env: t.env });
    try {
      const view = (await soft.listSlots()).find((s) => s.token?.label === 'soft-root')!.token!;
      for (const name of ['root-keygen', 'recovery']) {
        expect(capabilityGaps(ceremonyNeeds(parseScript(readFileSync(path.join(TEMPLATES, `${name}.yaml`), 'utf8')).script), view), name).toEqual([]);
      }
    } finally {
      await soft.close();
    }
  });
});

describe('ceremonies on NSS, refused before any step where NSS falls short', () => {
  it('root-keygen --rehearsal-token nss is refused naming CKA_EXTRACTABLE, CKA_LOCAL and CKA_COPYABLE, with no transcript started', async () => {
    const out = path.join(tmp.dir, 'root-nss');
    const r = await run('node', [BIN, 'ceremony', 'run', path.join(TEMPLATES, 'root-keygen.yaml'), '--out', out, '--rehearsal', '--rehearsal-token', 'nss']).catch((e: Failed) => e);
    expect(r).toMatchObject({ code: 1, stderr: expect.stringContaining('TOKEN_CAPABILITY_MISSING') });
    expect(r.stderr).toMatch(/CKA_EXTRACTABLE: NSS softokn does not enforce CKA_EXTRACTABLE=FALSE/);
    expect(r.stderr).toMatch(/CKA_LOCAL: NSS softokn reports CKA_LOCAL FALSE/);
    expect(r.stderr).toMatch(/CKA_COPYABLE: NSS softokn refuses CKA_COPYABLE=FALSE at generation/);
    expect(existsSync(path.join(out, 'transcript.jsonl'))).toBe(false);
  });

  it('recovery of a SoftHSM2 backup into NSS is refused: a restored key could leave it, and NSS has no CKA_COPYABLE; the SoftHSM2 root verifies VALID', async () => {
    const out = path.join(tmp.dir, 'recovery-nss');
    const r = await run('node', [BIN, 'ceremony', 'run', path.join(TEMPLATES, 'recovery.yaml'), '--out', out, '--rehearsal', '--rehearsal-token', 'nss']).catch((e: Failed) => e);
    expect(r).toMatchObject({ code: 1, stderr: expect.stringContaining('TOKEN_CAPABILITY_MISSING') });
    expect(r.stderr).toMatch(/CKA_EXTRACTABLE: NSS softokn does not enforce CKA_EXTRACTABLE=FALSE: its C_WrapKey wraps such a private key anyway/);
    expect(r.stderr).toMatch(/CKA_COPYABLE: NSS softokn does not know CKA_COPYABLE/);
    expect(existsSync(path.join(out, 'transcript.jsonl'))).toBe(false);
    // The backup it would recover was made on SoftHSM2 (the prior rehearsal), and is sound.
    const v = await run('node', [BIN, 'verify', path.join(out, 'prior')]);
    expect(v.stdout).toMatch(/Result\s+VALID/);
    expect(v.stdout).toMatch(/SoftHSM/);
  });

  it('what the refusal prevents, measured on the token: the SoftHSM2 backup restores into NSS and signs for the recorded public key (openssl), yet the restored key, non-extractable, leaves the token', async () => {
    // The prior SoftHSM2 root-keygen rehearsal the refused recovery above made (backup.json, the shares, public-key.pem).
    const prior = path.join(tmp.dir, 'recovery-nss', 'prior');
    expect(existsSync(path.join(prior, 'backup.json')), 'the refused recovery above leaves its prior rehearsal').toBe(true);
    const nss = await createNssRehearsalToken({ dir: path.join(tmp.dir, 'restore'), label: 'nss-restore', pin: '246810' });
    const backup = parseBackupFile(readFileSync(path.join(prior, 'backup.json'), 'utf8'));
    const rs = new RecoverySession(backup);
    for (const f of readdirSync(path.join(prior, 'shares')).slice(0, backup.split.k)) rs.add({ text: readFileSync(path.join(prior, 'shares', f), 'utf8') });
    const c = createTokenClient({ modulePath: nss.modulePath, env: nss.env });
    const key = { id: backup.sealed.key.id, label: 'restored-root' };
    try {
      const s = await c.openSession({ label: 'nss-restore' }, { pin: '246810' });
      // recoverInto signs a fresh challenge with the restored key and checks it against the backup's public key.
      const restored = await rs.recoverInto(c, s, { ...key, extractable: false });
      expect(restored.key).toEqual(key);
      const message = path.join(tmp.dir, 'restore', 'message.txt');
      const signature = path.join(tmp.dir, 'restore', 'message.sig');
      writeFileSync(message, 'signed by the root key restored into NSS softokn\n');
      writeFileSync(signature, await c.sign(s, key, 'ecdsa-sha384', readFileSync(message)));
      const v = await run('openssl', ['dgst', '-sha384', '-verify', path.join(prior, 'public-key.pem'), '-signature', signature, message]);
      expect(v.stdout).toMatch(/Verified OK/);
      expect(await c.readKeyProof(s, key)).toMatchObject({ extractable: false, sensitive: true });
    } finally {
      rs.dispose();
      await c.close();
    }
    // Yet with the user PIN alone, C_WrapKey takes it out: on SoftHSM2 the same call fails with
    // CKR_KEY_UNEXTRACTABLE (test/integration/ceremony/lock.test.ts).
    const out = await run(process.execPath, ['--import', 'tsx', path.join(__dirname, 'nss-escape.ts'), nss.modulePath, 'nss-restore', key.id, '246810'], { env: { ...process.env, ...nss.env } });
    expect(JSON.parse(out.stdout)).toMatchObject({ before: false, wrap: 'ok', escapedSpki: backup.sealed.key.spki });
  });
});
