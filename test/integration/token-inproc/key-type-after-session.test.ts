/**
 * A key signs with its own type's schemes after the session it was first used in has closed.
 * SoftHSM2 hands object handles out again once all of an application's sessions are closed, so a
 * key-type cache kept by handle alone made the root key refuse to sign (KEY_TYPE_INCONSISTENT) after
 * a token reset and a new login in the same host. Found by the runner's mutation tests.
 */
import { afterAll, expect, it } from 'vitest';
import { createTokenClient } from '../../../electron/core/token/client';
import { verifySignature } from '../../../electron/core/token/verify';
import { inProcessSpawner } from '../../helpers/in-process-host';
import { makeToken, tempDir, USER_PIN } from '../../helpers/softhsm';

const tmp = tempDir('keyrite-keytype-');
afterAll(() => tmp.cleanup());

it('after closing every session and logging in again, a new key on a reused handle signs as itself, and so does the old key', async () => {
  const token = await makeToken(tmp.dir, 'keytype');
  const client = createTokenClient({ modulePath: token.modulePath, env: token.env, spawner: inProcessSpawner() });
  try {
    const data = new TextEncoder().encode('after the reset');
    let s = await client.openSession({ label: 'keytype' }, { pin: USER_PIN });
    const ed = await client.generateKeyPair(s, { algorithm: 'ed25519', label: 'ed', id: '11', extractableForBackup: false });
    expect(verifySignature(ed.spki, 'ed25519', data, await client.sign(s, ed, 'ed25519', data))).toBe(true);
    await client.closeSession(s);
    s = await client.openSession({ label: 'keytype' }, { pin: USER_PIN });
    const ec = await client.generateKeyPair(s, { algorithm: 'ec-p384', label: 'ec', id: '01', extractableForBackup: false });
    expect(verifySignature(ec.spki, 'ecdsa-sha384', data, await client.sign(s, ec, 'ecdsa-sha384', data))).toBe(true);
    expect(verifySignature(ed.spki, 'ed25519', data, await client.sign(s, ed, 'ed25519', data))).toBe(true);
    // The check the cache serves still refuses a scheme of another key type.
    await expect(client.sign(s, ec, 'ed25519', data)).rejects.toMatchObject({ code: 'KEY_TYPE_INCONSISTENT' });
  } finally {
    await client.close();
  }
});
