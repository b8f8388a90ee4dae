/**
 * The in-process host (test/helpers/in-process-host.ts) drives a real SoftHSM2 token through the same
 * client and server code as the forked host: the tests in this folder rely on it to run the token
 * adapter and the runner past the login from sources StrykerJS can mutate.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTokenClient, type TokenClient } from '../../../electron/core/token/client';
import { verifySignature } from '../../../electron/core/token/verify';
import { inProcessSpawner } from '../../helpers/in-process-host';
import { makeToken, tempDir, USER_PIN } from '../../helpers/softhsm';

const tmp = tempDir('keyrite-inproc-');
afterAll(() => tmp.cleanup());

describe('the token host run in the test process (SoftHSM2)', () => {
  let client: TokenClient;
  beforeAll(async () => {
    const token = await makeToken(tmp.dir, 'inproc');
    client = createTokenClient({ modulePath: token.modulePath, env: token.env, spawner: inProcessSpawner() });
  });
  afterAll(async () => { await client?.close(); });

  it('logs in, makes a key that cannot leave the token, and signs with it', async () => {
    const session = await client.openSession({ label: 'inproc' }, { pin: USER_PIN });
    const key = await client.generateKeyPair(session, { algorithm: 'ec-p256', label: 'k', id: '01', extractableForBackup: false });
    const proof = await client.readKeyProof(session, key);
    expect(proof).toMatchObject({ extractable: false, neverExtractable: true, sensitive: true, local: true });
    const data = new TextEncoder().encode('in process');
    const sig = await client.sign(session, key, 'ecdsa-sha256', data);
    expect(verifySignature(key.spki, 'ecdsa-sha256', data, sig)).toBe(true);
  });

  it('a wrong PIN is the token\'s typed refusal, as through the forked host', async () => {
    const err = await client.openSession({ label: 'inproc' }, { pin: '000000' }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'PIN_INCORRECT' });
  });
});
