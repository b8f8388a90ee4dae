import { mkdirSync, writeFileSync } from 'node:fs';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTokenClient, type TokenClient } from '../../../electron/core/token/client';
import type { GeneratedKeyPair } from '../../../electron/core/token/types';
import { createBackup } from '../../../electron/core/shares/backup';
import { serializeBackupFile, type BackupFile } from '../../../electron/core/shares/backup-file';
import { RecoverySession } from '../../../electron/core/shares/recovery';
import { encryptShareToTokenKey, openTokenShare } from '../../../electron/core/shares/token-file';
import { decryptAgeShare, encryptShareToPassphrase } from '../../../electron/core/shares/age-file';
import { encodeShareWords } from '../../../electron/core/shares/words';
import type { ShareEnvelope } from '../../../electron/core/shares/envelope';
import { makeToken, tempDir, USER_PIN } from '../../helpers/softhsm';

const run = promisify(execFile);
const REPO = path.resolve(__dirname, '../../..');

describe('shares handed out on a custodian card, as an age file, and as words', () => {
  const tmp = tempDir('keyrite-share-channels-');
  let client: TokenClient;
  let vault: string;
  let card: string;
  let cardKey: GeneratedKeyPair;
  let root: GeneratedKeyPair;
  let backup: BackupFile;
  let shares: ShareEnvelope[];
  let modulePath: string;
  let env: Record<string, string>;

  beforeAll(async () => {
    const t = await makeToken(tmp.dir, 'vault');
    modulePath = t.modulePath;
    env = t.env;
    await makeToken(tmp.dir, 'alice-card');
    client = createTokenClient({ modulePath: t.modulePath, env: t.env });
    vault = await client.openSession({ label: 'vault' }, { pin: USER_PIN });
    card = await client.openSession({ label: 'alice-card' }, { pin: USER_PIN });
    cardKey = await client.generateKeyPair(card, { algorithm: 'rsa-3072', label: 'alice-share-key', id: 'a11ce0', extractableForBackup: false, usage: 'decrypt' });
    root = await client.generateKeyPair(vault, { algorithm: 'ec-p256', label: 'root', id: '0100', extractableForBackup: true });
    ({ backup, shares } = await createBackup(client, vault, { ceremonyId: 'channels', rootKey: root, algorithm: 'ec-p256', spki: root.spki, k: 2, custodians: ['alice', 'bob', 'carol'] }));
  });
  afterAll(async () => {
    await client?.close();
    tmp.cleanup();
  });

  it('refuses k = 1 before touching the token', async () => {
    await expect(createBackup(client, vault, { ceremonyId: 'x', rootKey: root, algorithm: 'ec-p256', spki: root.spki, k: 1, custodians: ['a', 'b'] }))
      .rejects.toMatchObject({ code: 'SHARE_PARAMS_INVALID' });
    expect(await client.findKeys(vault, { class: 'secret' })).toEqual([]);
  });

  it('a share encrypted to alice\'s card key opens only on her card; with bob\'s age share it restores the key', async () => {
    const file = encryptShareToTokenKey(shares[0] as ShareEnvelope, cardKey.spki, { keyId: cardKey.id, keyLabel: cardKey.label });
    expect(file).not.toContain(Buffer.from((shares[0] as ShareEnvelope).share).toString('base64'));
    const fromCard = await openTokenShare(client, card, cardKey, file);
    expect(fromCard).toEqual(shares[0]);
    // Opening it with another key (the vault's root) is refused by recipient, not attempted.
    await expect(openTokenShare(client, vault, root, file)).rejects.toMatchObject({ code: 'SHARE_TOKEN_DECRYPT_FAILED' });
    const damaged = JSON.parse(file) as { ciphertext: string };
    const ct = Buffer.from(damaged.ciphertext, 'base64');
    ct[7] = (ct[7] ?? 0) ^ 1;
    damaged.ciphertext = ct.toString('base64');
    await expect(openTokenShare(client, card, cardKey, JSON.stringify(damaged))).rejects.toMatchObject({ code: 'SHARE_TOKEN_DECRYPT_FAILED' });

    const age = await encryptShareToPassphrase(shares[1] as ShareEnvelope, 'bob passphrase 42', { scryptLogN: 12 });
    const s = new RecoverySession(backup);
    expect(s.add({ envelope: fromCard }).custodian).toBe('alice');
    expect(s.add({ envelope: await decryptAgeShare(age, 'bob passphrase 42') }).custodian).toBe('bob');
    const r = await s.recoverInto(client, card, { label: 'restored-root', id: '0100', extractable: false });
    s.dispose();
    expect(await client.exportPublicKey(card, r.key)).toEqual(root.spki);
  });

  it('a share encrypted to an EC card key (ECDH on the card) opens only there; damage to its ciphertext, nonce or ephemeral key is named', async () => {
    for (const algorithm of ['ec-p256', 'ec-p384'] as const) {
      const ecKey = await client.generateKeyPair(card, { algorithm, label: `alice-${algorithm}`, id: algorithm === 'ec-p256' ? 'a11ce1' : 'a11ce2', extractableForBackup: false, usage: 'decrypt' });
      const file = encryptShareToTokenKey(shares[2] as ShareEnvelope, ecKey.spki, { keyId: ecKey.id, keyLabel: ecKey.label });
      expect(JSON.parse(file)).toMatchObject({ version: 2, scheme: 'ecdh-hkdf-sha256-aes256gcm' });
      expect(file).not.toContain(Buffer.from((shares[2] as ShareEnvelope).share).toString('base64'));
      expect(await openTokenShare(client, card, ecKey, file)).toEqual(shares[2]);
      // Two files to the same key share nothing: a fresh ephemeral key and nonce each time.
      const again = JSON.parse(encryptShareToTokenKey(shares[2] as ShareEnvelope, ecKey.spki)) as Record<string, string>;
      expect(again.ephemeralPublicKey).not.toBe(JSON.parse(file).ephemeralPublicKey);
      await expect(openTokenShare(client, card, cardKey, file)).rejects.toMatchObject({ code: 'SHARE_TOKEN_DECRYPT_FAILED' });
      for (const field of ['ciphertext', 'nonce', 'ephemeralPublicKey'] as const) {
        const damaged = JSON.parse(file) as Record<string, string>;
        const b = Buffer.from(damaged[field]!, 'base64');
        b[b.length - 3] = (b[b.length - 3] ?? 0) ^ 1;
        damaged[field] = b.toString('base64');
        const refused = openTokenShare(client, card, ecKey, JSON.stringify(damaged));
        await expect(refused, field).rejects.toMatchObject({ code: 'SHARE_TOKEN_DECRYPT_FAILED' });
        if (field === 'ephemeralPublicKey') await expect(refused).rejects.toThrow(/damaged/);
      }
    }
  });

  it('keyrite shares verify reads an age share, a words share and a share opened on the custodian card', async () => {
    const dir = path.join(tmp.dir, 'cli');
    mkdirSync(dir);
    writeFileSync(path.join(dir, 'backup.json'), serializeBackupFile(backup));
    writeFileSync(path.join(dir, 'bob.age'), await encryptShareToPassphrase(shares[1] as ShareEnvelope, 'bob passphrase 42', { scryptLogN: 12 }));
    writeFileSync(path.join(dir, 'carol.txt'), encodeShareWords(shares[2] as ShareEnvelope).map((w) => w.slice(0, 4)).join(' ') + '\n');
    writeFileSync(path.join(dir, 'pass.txt'), 'bob passphrase 42\n');
    writeFileSync(path.join(dir, 'alice.card.json'), encryptShareToTokenKey(shares[0] as ShareEnvelope, cardKey.spki, { keyLabel: cardKey.label }));
    writeFileSync(path.join(dir, 'pin.txt'), `${USER_PIN}\n`);
    const { stdout } = await run(process.execPath, [path.join(REPO, 'bin', 'keyrite.mjs'), 'shares', 'verify', '--backup', path.join(dir, 'backup.json'),
      '--share', path.join(dir, 'bob.age'), '--share', path.join(dir, 'carol.txt'), '--passphrase-file', path.join(dir, 'pass.txt'),
      '--share', path.join(dir, 'alice.card.json'), '--card-module', modulePath, '--card-token', 'alice-card', '--card-key', cardKey.label, '--card-pin-file', path.join(dir, 'pin.txt')],
    { env: { ...process.env, ...env } });
    expect(stdout).toMatch(/OK .*bob\.age: share #2 of bob/);
    expect(stdout).toMatch(/OK .*carol\.txt: share #3 of carol/);
    expect(stdout).toMatch(/OK .*alice\.card\.json: share #1 of alice/);
  });
});
