/**
 * "Share on my token" through the ceremony handlers against real SoftHSM2 tokens: the ceremony's
 * token and Dan's card in one SOFTHSM2_CONF; the card holds an RSA decrypt-only key and his share
 * is encrypted to it. The handler logs in once with the PIN, decrypts on the card and closes the
 * session; every refusal comes back as data without the PIN in it.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ShareInput } from '../../../electron/contract/index';
import { createCeremonyHandlers } from '../../../electron/core/ipc/ceremony-handlers';
import type { CeremonyServices } from '../../../electron/core/ipc/ceremony-services';
import { createBackup, encodeShareWords, encryptShareToTokenKey, serializeBackupFile, type ShareEnvelope } from '../../../electron/core/shares/index';
import { createTokenClient, type TokenClient } from '../../../electron/core/token/client';
import type { RehearsalToken } from '../../../electron/core/token/rehearsal';
import type { TokenApi } from '../../../electron/core/token/types';
import { makeToken, tempDir, USER_PIN } from '../../helpers/softhsm';

const WRONG_PIN = '975310';
let tmp: ReturnType<typeof tempDir>;
let vault: RehearsalToken;
let card: RehearsalToken;
let client: TokenClient;
let backupText: string;
let otherBackupText: string;
let words: string[][];
let danFile: string;
let otherKeyFile: string;
let otherBackupDanFile: string;

async function backupOn(t: TokenApi, ceremonyId: string): Promise<{ text: string; shares: ShareEnvelope[] }> {
  const s = await t.openSession({ serial: vault.serial }, { pin: USER_PIN });
  try {
    const key = await t.generateKeyPair(s, { algorithm: 'ec-p256', label: `${ceremonyId}-root`, id: randomBytes(8).toString('hex'), extractableForBackup: true });
    const { backup, shares } = await createBackup(t, s, { ceremonyId, rootKey: key, algorithm: 'ec-p256', spki: key.spki, k: 2, custodians: ['Carol', 'Dan', 'Erin'] });
    return { text: serializeBackupFile(backup), shares };
  } finally {
    await t.closeSession(s);
  }
}

async function decryptKey(t: TokenApi, serial: string, label: string) {
  const s = await t.openSession({ serial }, { pin: USER_PIN });
  try {
    return await t.generateKeyPair(s, { algorithm: 'rsa-3072', label, id: randomBytes(8).toString('hex'), extractableForBackup: false, usage: 'decrypt' });
  } finally {
    await t.closeSession(s);
  }
}

beforeAll(async () => {
  tmp = tempDir('keyrite-token-share-');
  vault = await makeToken(tmp.dir, 'vault');
  card = await makeToken(tmp.dir, 'dan-card');
  client = createTokenClient({ modulePath: vault.modulePath, env: vault.env });
  const made = await backupOn(client, 'token-share');
  const other = await backupOn(client, 'token-share-other');
  backupText = made.text;
  otherBackupText = other.text;
  words = made.shares.map((s) => encodeShareWords(s));
  const danKey = await decryptKey(client, card.serial, 'dan-share-key');
  const vaultKey = await decryptKey(client, vault.serial, 'not-dans-key');
  danFile = encryptShareToTokenKey(made.shares[1]!, danKey.spki, { keyId: danKey.id, keyLabel: danKey.label });
  otherKeyFile = encryptShareToTokenKey(made.shares[2]!, vaultKey.spki, { keyLabel: vaultKey.label });
  otherBackupDanFile = encryptShareToTokenKey(other.shares[1]!, danKey.spki, { keyId: danKey.id });
}, 120_000);

afterAll(async () => {
  await client.close();
  tmp.cleanup();
});

/** The real client, counting logins and logouts; built through the factory form like the app's main. */
function counted(): { services: CeremonyServices; opened: () => number; closed: () => number; clients: () => number } {
  let opened = 0;
  let closed = 0;
  let clients = 0;
  const services: CeremonyServices = {
    rehearsal: true,
    modulePath: vault.modulePath,
    tokenEnv: vault.env,
    tokens: async ({ modulePath, env }) => {
      clients++;
      const c = createTokenClient({ modulePath, env });
      return new Proxy(c, {
        get(target, prop, receiver) {
          const v: unknown = Reflect.get(target, prop, receiver);
          if (prop === 'openSession') return async (...args: Parameters<TokenApi['openSession']>) => { const s = await target.openSession(...args); opened++; return s; };
          if (prop === 'closeSession') return async (s: string) => { closed++; await target.closeSession(s); };
          return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
        },
      });
    },
  };
  return { services, opened: () => opened, closed: () => closed, clients: () => clients };
}

const onCard = (content: string, pin: string, tokenSerial = card.serial): ShareInput => ({ kind: 'token', fileName: 'dan.share.json', content, tokenSerial, pin });

describe('recovery/add-share with a share on the custodian\'s token', () => {
  it('refuses a wrong PIN with PIN_INCORRECT, then opens the share with the right one and counts it toward k', async () => {
    const c = counted();
    const h = createCeremonyHandlers({ dataDir: tmp.dir, ceremony: c.services });
    expect((await h['recovery/start']({ backupFileName: 'backup.json', backupText })).ok).toBe(true);

    const wrong = await h['recovery/add-share'](onCard(danFile, WRONG_PIN));
    expect(wrong.ok).toBe(false);
    if (!wrong.ok) {
      expect(wrong.error.code).toBe('PIN_INCORRECT');
      expect(wrong.error.action).toMatch(/PIN/);
    }
    expect(JSON.stringify(wrong)).not.toContain(WRONG_PIN);

    const ok = await h['recovery/add-share'](onCard(danFile, USER_PIN));
    expect(ok.ok).toBe(true);
    if (ok.ok) {
      expect(ok.value.accepted.map((s) => s.custodian)).toEqual(['Dan']);
      expect(ok.value.complete).toBe(false);
    }
    expect(JSON.stringify(ok)).not.toContain(USER_PIN);

    const again = await h['recovery/add-share'](onCard(danFile, USER_PIN));
    expect(again.ok ? null : again.error.code).toBe('SHARE_DUPLICATE');

    const done = await h['recovery/add-share']({ kind: 'words', words: words[0]! });
    expect(done.ok && done.value.complete).toBe(true);
    if (done.ok) expect(done.value.accepted.map((s) => s.custodian)).toEqual(['Dan', 'Carol']);
    expect(c.opened()).toBe(2);
    expect(c.closed()).toBe(2);
    expect(c.clients()).toBe(3);
    await h['recovery/close']();
  }, 60_000);

  it('names a missing token, a key that is not on the chosen token, a share of another backup and a bad file', async () => {
    const c = counted();
    const h = createCeremonyHandlers({ dataDir: tmp.dir, ceremony: c.services });
    await h['recovery/start']({ backupFileName: 'backup.json', backupText });
    const code = async (input: ShareInput) => { const r = await h['recovery/add-share'](input); return r.ok ? 'accepted' : r.error.code; };

    expect(await code(onCard(danFile, USER_PIN, 'ffffffffffffffff'))).toBe('TOKEN_NOT_FOUND');
    expect(await code(onCard(otherKeyFile, USER_PIN))).toBe('KEY_NOT_FOUND');
    expect(await code(onCard(otherBackupDanFile, USER_PIN))).toMatch(/^SHARE_/);
    const before = c.opened();
    // A file that is not a token share is refused before the PIN is tried, so no try is used up.
    expect(await code(onCard('{"format":"other"}', USER_PIN))).toBe('SHARE_TOKEN_FILE_FORMAT');
    expect(c.opened()).toBe(before);
    expect(c.opened()).toBe(c.closed());
    const view = await h['recovery/add-share']({ kind: 'words', words: words[2]! });
    expect(view.ok && view.value.accepted.length).toBe(1);
    await h['recovery/close']();
  }, 60_000);

  it('says so when no token module is configured', async () => {
    const h = createCeremonyHandlers({ dataDir: tmp.dir });
    await h['recovery/start']({ backupFileName: 'backup.json', backupText: otherBackupText });
    const r = await h['recovery/add-share'](onCard(danFile, USER_PIN));
    expect(r.ok ? null : r.error.code).toBe('TOKEN_MODULE_UNAVAILABLE');
    expect(r.ok ? '' : r.error.action).toMatch(/KEYRITE_PKCS11_MODULE/);
  });
});
