/**
 * generateKeyPair's refusals before the token is asked for anything (token/adapter/keys.ts): an
 * algorithm Keyrite does not know, a decryption key of a kind that cannot decrypt, and an algorithm
 * the token does not list (NSS softokn 3.87 has no Ed25519). Each is a typed error saying what to
 * choose, and leaves no object on the token.
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTokenClient, type TokenClient } from '../../../electron/core/token/client';
import { PKCS11_INIT_ARGS_ENV } from '../../../electron/core/token/host-protocol';
import type { KeyAlgorithm } from '../../../electron/core/token/types';
import { makeToken, tempDir, USER_PIN } from '../../helpers/softhsm';

const run = promisify(execFile);
const BIN = path.resolve(__dirname, '../../../bin/keyrite.mjs');
const tmp = tempDir('keyrite-key-refusals-');
afterAll(() => tmp.cleanup());

async function objectsOn(client: TokenClient, session: string): Promise<number> {
  return (await client.findKeys(session, {})).length;
}

describe('a key pair Keyrite will not make (SoftHSM2)', () => {
  let client: TokenClient;
  let session: string;
  beforeAll(async () => {
    const token = await makeToken(tmp.dir, 'refusals');
    client = createTokenClient({ modulePath: token.modulePath, env: token.env });
    session = await client.openSession({ label: 'refusals' }, { pin: USER_PIN });
  });
  afterAll(async () => { await client?.close(); });

  it('an unknown algorithm: KEY_ALGORITHM_UNSUPPORTED naming it and the ones there are, nothing made', async () => {
    const err = await client.generateKeyPair(session, { algorithm: 'dsa-1024' as KeyAlgorithm, label: 'k1', id: 'c1', extractableForBackup: false }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'KEY_ALGORITHM_UNSUPPORTED', message: expect.stringContaining('"dsa-1024"'), action: expect.stringContaining('ec-p384') });
    expect(await objectsOn(client, session)).toBe(0);
  });

  it('an Ed25519 key for decryption: KEY_USAGE_UNSUPPORTED, nothing made; an EC P-256 one is made', async () => {
    const err = await client.generateKeyPair(session, { algorithm: 'ed25519', usage: 'decrypt', label: 'k2', id: 'c2', extractableForBackup: false }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'KEY_USAGE_UNSUPPORTED', action: expect.stringContaining('rsa-3072') });
    expect(await objectsOn(client, session)).toBe(0);
    await expect(client.generateKeyPair(session, { algorithm: 'ec-p256', usage: 'decrypt', label: 'k3', id: 'c3', extractableForBackup: false })).resolves.toMatchObject({ label: 'k3' });
    expect(await objectsOn(client, session)).toBeGreaterThan(0);
  });
});

describe('an algorithm the token does not list (NSS softokn)', () => {
  it('Ed25519 on NSS: MECHANISM_INVALID naming the algorithm, before the token is asked; EC P-256 is made', async () => {
    const out = await run('node', [BIN, 'rehearsal-token', 'create', '--kind', 'nss', '--dir', path.join(tmp.dir, 'nss'), '--label', 'nss-refusals', '--pin', '482913', '--json']);
    const created = JSON.parse(out.stdout) as { modulePath: string; initArgs: string };
    const client = createTokenClient({ modulePath: created.modulePath, env: { [PKCS11_INIT_ARGS_ENV]: created.initArgs } });
    try {
      const slot = (await client.listSlots()).find((s) => s.token?.label === 'nss-refusals');
      expect(slot?.token?.algorithms).not.toContain('ed25519');
      const session = await client.openSession({ label: 'nss-refusals' }, { pin: '482913' });
      const err = await client.generateKeyPair(session, { algorithm: 'ed25519', label: 'e1', id: 'd1', extractableForBackup: false }).catch((e: unknown) => e);
      expect(err).toMatchObject({ code: 'MECHANISM_INVALID', message: expect.stringContaining('ed25519'), details: { algorithm: 'ed25519' } });
      expect(await objectsOn(client, session)).toBe(0);
      await expect(client.generateKeyPair(session, { algorithm: 'ec-p256', label: 'e2', id: 'd2', extractableForBackup: false })).resolves.toMatchObject({ label: 'e2' });
      expect(await objectsOn(client, session)).toBeGreaterThan(0);
    } finally {
      await client.close();
    }
  });
});
