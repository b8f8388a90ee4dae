import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTokenClient, type TokenClient } from '../../../electron/core/token/client';
import type { FaultPlan } from '../../../electron/core/token/faults';
import type { HostChannel } from '../../../electron/core/token/host-protocol';
import type { RehearsalToken } from '../../../electron/core/token/rehearsal';
import { forkSpawner } from '../../../electron/core/token/spawn-fork';
import { makeToken, tempDir, USER_PIN } from '../../helpers/softhsm';

type Step = (c: TokenClient, session: string) => Promise<unknown>;

// Every case writes to the same token: fresh labels and ids keep them independent.
const fresh = (): { label: string; id: string } => {
  const id = randomBytes(4).toString('hex');
  return { label: `k-${id}`, id };
};

const genEc: Step = (c, s) => c.generateKeyPair(s, { algorithm: 'ec-p256', ...fresh(), extractableForBackup: true });
const wrap: Step = async (c, s) => {
  const key = await c.generateKeyPair(s, { algorithm: 'ec-p256', ...fresh(), extractableForBackup: true });
  const wk = await c.generateSecretKey(s, { ...fresh(), onToken: false, extractable: false });
  return c.wrapKey(s, wk, key);
};
const unwrap: Step = async (c, s) => {
  const wk = await c.generateSecretKey(s, { ...fresh(), onToken: false, extractable: false });
  return c.unwrapKey(s, wk, new Uint8Array(40), { algorithm: 'ec-p256', ...fresh(), extractable: false });
};
const sign: Step = async (c, s) => {
  const key = await c.generateKeyPair(s, { algorithm: 'ec-p256', ...fresh(), extractableForBackup: false });
  return c.sign(s, key, 'ecdsa-sha256', new Uint8Array([1]));
};

// Each CKR code a ceremony can meet, injected where a token would return it, and the typed error it must become.
const CASES: { ckr: string; fn: `C_${string}`; step: Step | 'login'; code: string; outcomeUnknown?: true }[] = [
  { ckr: 'CKR_PIN_INCORRECT', fn: 'C_Login', step: 'login', code: 'PIN_INCORRECT' },
  { ckr: 'CKR_PIN_LOCKED', fn: 'C_Login', step: 'login', code: 'PIN_LOCKED' },
  { ckr: 'CKR_PIN_EXPIRED', fn: 'C_Login', step: 'login', code: 'PIN_EXPIRED' },
  { ckr: 'CKR_TOKEN_NOT_PRESENT', fn: 'C_OpenSession', step: 'login', code: 'TOKEN_NOT_PRESENT' },
  { ckr: 'CKR_DEVICE_REMOVED', fn: 'C_GenerateKeyPair', step: genEc, code: 'DEVICE_REMOVED', outcomeUnknown: true },
  { ckr: 'CKR_SESSION_CLOSED', fn: 'C_SignInit', step: sign, code: 'SESSION_CLOSED' },
  { ckr: 'CKR_SESSION_HANDLE_INVALID', fn: 'C_Sign', step: sign, code: 'SESSION_INVALID' },
  { ckr: 'CKR_GENERAL_ERROR', fn: 'C_GenerateKeyPair', step: genEc, code: 'GENERAL_ERROR', outcomeUnknown: true },
  { ckr: 'CKR_DEVICE_ERROR', fn: 'C_GenerateKeyPair', step: genEc, code: 'DEVICE_ERROR', outcomeUnknown: true },
  { ckr: 'CKR_MECHANISM_INVALID', fn: 'C_GenerateKeyPair', step: genEc, code: 'MECHANISM_INVALID' },
  { ckr: 'CKR_KEY_SIZE_RANGE', fn: 'C_GenerateKeyPair', step: genEc, code: 'KEY_SIZE_RANGE' },
  { ckr: 'CKR_TEMPLATE_INCOMPLETE', fn: 'C_GenerateKeyPair', step: genEc, code: 'TEMPLATE_INCOMPLETE' },
  { ckr: 'CKR_TEMPLATE_INCONSISTENT', fn: 'C_GenerateKeyPair', step: genEc, code: 'TEMPLATE_INCONSISTENT' },
  { ckr: 'CKR_KEY_UNEXTRACTABLE', fn: 'C_WrapKey', step: wrap, code: 'KEY_UNEXTRACTABLE' },
  { ckr: 'CKR_KEY_NOT_WRAPPABLE', fn: 'C_WrapKey', step: wrap, code: 'KEY_NOT_WRAPPABLE' },
  { ckr: 'CKR_WRAPPED_KEY_INVALID', fn: 'C_UnwrapKey', step: unwrap, code: 'WRAPPED_KEY_INVALID' },
  { ckr: 'CKR_TOKEN_WRITE_PROTECTED', fn: 'C_GenerateKeyPair', step: genEc, code: 'TOKEN_WRITE_PROTECTED' },
];

describe('typed token errors (fault injection over the real pkcs11js object)', () => {
  const tmp = tempDir();
  let token: RehearsalToken;
  beforeAll(async () => {
    token = await makeToken(tmp.dir, 'faulty');
  });
  afterAll(() => tmp.cleanup());

  async function withClient<T>(faults: FaultPlan | undefined, fn: (c: TokenClient) => Promise<T>): Promise<T> {
    const c = createTokenClient({ modulePath: token.modulePath, env: token.env, ...(faults ? { faults } : {}) });
    try {
      return await fn(c);
    } finally {
      await c.close();
    }
  }

  for (const k of CASES) {
    it(`${k.ckr} in ${k.fn} -> ${k.code}`, async () => {
      const err = await withClient({ throws: [{ fn: k.fn, ckr: k.ckr }] }, async (c) => {
        const run = async (): Promise<unknown> => {
          const s = await c.openSession({ label: 'faulty' }, { pin: USER_PIN });
          return k.step === 'login' ? s : k.step(c, s);
        };
        return run().then(() => undefined, (e: unknown) => e);
      });
      expect(err).toMatchObject({ name: 'KeyriteError', code: k.code, details: { ckr: k.ckr, function: k.fn } });
      const e = err as { message: string; action: string; details: Record<string, unknown> };
      expect(e.action.length).toBeGreaterThan(10);
      expect(e.details.outcomeUnknown).toBe(k.outcomeUnknown);
      expect(JSON.stringify(e)).not.toContain(USER_PIN);
    });
  }

  it('a real wrong PIN is PIN_INCORRECT with the tries-left flags read from the token', async () => {
    const [err, flags] = await withClient(undefined, async (c) => {
      const e = await c.openSession({ label: 'faulty' }, { pin: '999999' }).catch((x: unknown) => x);
      const slot = (await c.listSlots()).find((x) => x.token?.label === 'faulty');
      return [e, slot?.token?.flags] as const;
    });
    expect(err).toMatchObject({
      code: 'PIN_INCORRECT',
      details: { ckr: 'CKR_PIN_INCORRECT', countLow: flags?.userPinCountLow, finalTry: flags?.userPinFinalTry, locked: flags?.userPinLocked },
    });
    expect(JSON.stringify(err)).not.toContain('999999');
  });

  it('reports COUNT_LOW and FINAL_TRY when the token raises them after a wrong PIN', async () => {
    const low = await withClient({ throws: [{ fn: 'C_Login', ckr: 'CKR_PIN_INCORRECT' }], tokenFlags: ['CKF_USER_PIN_COUNT_LOW'] }, (c) =>
      c.openSession({ label: 'faulty' }, { pin: USER_PIN }).catch((e: unknown) => e),
    );
    expect(low).toMatchObject({ code: 'PIN_INCORRECT', details: { countLow: true, finalTry: false } });
    const last = await withClient({ throws: [{ fn: 'C_Login', ckr: 'CKR_PIN_INCORRECT' }], tokenFlags: ['CKF_USER_PIN_FINAL_TRY', 'CKF_USER_PIN_COUNT_LOW'] }, (c) =>
      c.openSession({ label: 'faulty' }, { pin: USER_PIN }).catch((e: unknown) => e),
    );
    expect(last).toMatchObject({ code: 'PIN_INCORRECT', details: { countLow: true, finalTry: true } });
    expect((last as Error).message).toMatch(/One try is left/);
  });

  it('fails only on the Nth call: earlier and later calls work', async () => {
    await withClient({ throws: [{ fn: 'C_GenerateRandom', ckr: 'CKR_DEVICE_ERROR', nth: 2 }] }, async (c) => {
      const s = await c.openSession({ label: 'faulty' }, { pin: USER_PIN });
      expect((await c.generateRandom(s, 8)).length).toBe(8);
      await expect(c.generateRandom(s, 8)).rejects.toMatchObject({ code: 'DEVICE_ERROR' });
      expect((await c.generateRandom(s, 8)).length).toBe(8);
    });
  });

  it('reads the proof attributes one by one when the token lacks one, and says which is unavailable', async () => {
    const ref = fresh();
    await withClient(undefined, async (c) => {
      const s = await c.openSession({ label: 'faulty' }, { pin: USER_PIN });
      await c.generateKeyPair(s, { algorithm: 'ec-p256', ...ref, extractableForBackup: false });
    });
    // Call 1 is the batched read; calls 2..12 read one attribute each, and call 7 is CKA_KEY_GEN_MECHANISM.
    const plan: FaultPlan = { throws: [{ fn: 'C_GetAttributeValue', ckr: 'CKR_ATTRIBUTE_TYPE_INVALID', nth: 1 }, { fn: 'C_GetAttributeValue', ckr: 'CKR_ATTRIBUTE_TYPE_INVALID', nth: 7 }] };
    const proof = await withClient(plan, async (c) => c.readKeyProof(await c.openSession({ label: 'faulty' }, { pin: USER_PIN }), ref));
    expect(proof).toMatchObject({ local: true, sensitive: true, alwaysSensitive: true, extractable: false, neverExtractable: true, keyGenMechanism: 'UNAVAILABLE', sign: true });
  });

  it('unknown token and unknown key are TOKEN_NOT_FOUND and KEY_NOT_FOUND', async () => {
    await withClient(undefined, async (c) => {
      await expect(c.openSession({ label: 'no-such-token' })).rejects.toMatchObject({ code: 'TOKEN_NOT_FOUND' });
      const s = await c.openSession({ serial: token.serial }, { pin: USER_PIN });
      await expect(c.exportPublicKey(s, { id: 'dead', label: 'nothing' })).rejects.toMatchObject({ code: 'KEY_NOT_FOUND' });
    });
  });

  it('killing the host mid-call (RSA-4096 generation) gives TOKEN_HOST_STOPPED, and the next call starts a new host', async () => {
    const channels: HostChannel[] = [];
    const fork = forkSpawner();
    const c = createTokenClient({
      modulePath: token.modulePath,
      env: token.env,
      // RSA-4096 generation may finish in under 300 ms: the first one is made slow, so the kill always lands during it.
      faults: { slow: [{ fn: 'C_GenerateKeyPair', ms: 5000 }] },
      spawner: (opts) => {
        const ch = fork(opts);
        channels.push(ch);
        return ch;
      },
    });
    try {
      const s = await c.openSession({ label: 'faulty' }, { pin: USER_PIN });
      const generating = c.generateKeyPair(s, { algorithm: 'rsa-4096', label: 'interrupted', id: '0909', extractableForBackup: false });
      const other = c.generateRandom(s, 16);
      // Let the request reach the host so the kill lands during generation rather than before it.
      await new Promise((r) => setTimeout(r, 300));
      channels[0]?.kill();
      await expect(generating).rejects.toMatchObject({ code: 'TOKEN_HOST_STOPPED', details: { outcomeUnknown: true } });
      await expect(other).rejects.toMatchObject({ code: 'TOKEN_HOST_STOPPED' });

      expect((await c.listSlots()).some((x) => x.token?.label === 'faulty')).toBe(true);
      expect(channels).toHaveLength(2);
      await expect(c.generateRandom(s, 8)).rejects.toMatchObject({ code: 'SESSION_INVALID' });
      // Reconcile by id, never by repeating: the interrupted key either exists whole or not at all.
      const s2 = await c.openSession({ label: 'faulty' }, { pin: USER_PIN });
      expect([0, 2]).toContain((await c.findKeys(s2, { id: '0909' })).length);
    } finally {
      await c.close();
    }
    await expect(c.listSlots()).rejects.toMatchObject({ code: 'TOKEN_CLIENT_CLOSED' });
  });
});
