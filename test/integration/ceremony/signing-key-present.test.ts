/**
 * A signing ceremony signs with a key an earlier ceremony made. On a token without that key (a fresh
 * rehearsal token of another kind, the wrong HSM) it is refused before anything starts: in the
 * pre-flight on the start screen, and by the headless run's capability check, which runs before the
 * transcript exists. On SoftHSM2: the same token refused while the key is absent, accepted once a key
 * pair with the script's label is on it.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parsePolicy, parseScript } from '../../../electron/core/ceremony/load';
import { runPreflight } from '../../../electron/core/ceremony/preflight';
import { checkRunTokenCapabilities } from '../../../electron/core/ceremony/run-capabilities';
import { defaultTokenFactory } from '../../../electron/core/ceremony/run-token';
import { createTokenClient, type TokenClient } from '../../../electron/core/token/client';
import type { RehearsalToken } from '../../../electron/core/token/rehearsal';
import { makeToken, tempDir, USER_PIN } from '../../helpers/softhsm';

const ROOT = path.resolve(__dirname, '../../..');
const tmp = tempDir('keyrite-signing-key-');
const policy = parsePolicy(readFileSync(path.join(ROOT, 'resources/policy/default.yaml'), 'utf8')).policy;
const script = parseScript(readFileSync(path.join(ROOT, 'resources/ceremonies/sign-crl.yaml'), 'utf8')).script;

let token: RehearsalToken;
let client: TokenClient;

beforeAll(async () => {
  token = await makeToken(tmp.dir, script.token.label!);
  client = createTokenClient({ modulePath: token.modulePath, env: token.env });
}, 60_000);
afterAll(async () => {
  await client?.close();
  tmp.cleanup();
});

const labelsCheck = async () => (await runPreflight(script, { tokens: defaultTokenFactory, modulePath: token.modulePath, tokenEnv: token.env, airGapProbe: async () => [], rehearsal: true, dataDir: tmp.dir, policy })).checks.find((c) => c.id === 'labels')!;

describe('a signing ceremony on a token without its key', () => {
  it('is refused by the pre-flight and by the run before it starts, naming the key; accepted once the key is there', async () => {
    expect(script.key.label).toBe('example-root-2026');
    const before = await labelsCheck();
    expect(before).toMatchObject({ status: 'fail', detail: expect.stringContaining('no key labelled "example-root-2026"') });
    await expect(checkRunTokenCapabilities(script, client, { label: script.token.label! })).rejects.toMatchObject({
      code: 'KEY_NOT_ON_TOKEN', message: expect.stringContaining('"example-root-2026"'), action: expect.stringContaining('the token that holds the key'),
    });

    // Another key on the token does not count: the label is the script's.
    const s = await client.openSession({ label: script.token.label! }, { pin: USER_PIN });
    await client.generateKeyPair(s, { algorithm: 'ec-p384', label: 'some-other-key', id: 'a101', extractableForBackup: false });
    expect((await labelsCheck()).status).toBe('fail');

    await client.generateKeyPair(s, { algorithm: 'ec-p384', label: 'example-root-2026', id: 'a102', extractableForBackup: false });
    await client.closeSession(s);
    expect((await labelsCheck()).status).toBe('pass');
    await expect(checkRunTokenCapabilities(script, client, { label: script.token.label! })).resolves.toBeUndefined();
  }, 60_000);
});
