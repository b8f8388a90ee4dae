/**
 * destroyObject on a module that hands a destroyed object's handle to the next object it makes
 * (PKCS#11 allows it; docs/TOKEN.md warns that the adapter's per-session handle cache could then
 * reach the wrong key). SoftHSM2 and NSS softokn never reuse handles, so this test puts a thin layer
 * over real SoftHSM2 that shows the adapter reused handles, and checks that a key re-made under a
 * destroyed key's name is the one that signs, never the other key that took its old handle.
 * The adapter is driven directly (createAdapter): the token host has no way to put that layer in.
 */
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAdapter } from '../../../electron/core/token/adapter';
import { verifySignature } from '../../../electron/core/token/verify';
import { makeToken, tempDir, USER_PIN } from '../../helpers/softhsm';

type P11 = typeof import('pkcs11js');
type PKCS11 = InstanceType<P11['PKCS11']>;
const p11 = createRequire(import.meta.url)('pkcs11js') as P11;

/** Methods whose result is a new or found object handle (or several). */
const MAKES_HANDLES = new Set(['C_FindObjects', 'C_GenerateKeyPair', 'C_GenerateKey', 'C_CreateObject', 'C_UnwrapKey', 'C_DeriveKey', 'C_CopyObject']);

/** The real module, its object handles renamed so that a destroyed object's handle goes to the next new object (oldest freed first). */
function reusingHandles(real: PKCS11): PKCS11 {
  const realOf = new Map<string, Buffer>();
  const virtualOf = new Map<string, Buffer>();
  const freed: Buffer[] = [];
  let next = 1;
  const toVirtual = (h: Buffer): Buffer => {
    const known = virtualOf.get(h.toString('hex'));
    if (known) return known;
    const v = freed.shift() ?? Buffer.from([next++, 0, 0, 0, 0, 0, 0, 0x7e]);
    virtualOf.set(h.toString('hex'), v);
    realOf.set(v.toString('hex'), h);
    return v;
  };
  const toReal = (a: unknown): unknown => (Buffer.isBuffer(a) ? realOf.get(a.toString('hex')) ?? a : a);
  return new Proxy(real, {
    get(target, prop, receiver) {
      const value: unknown = Reflect.get(target, prop, receiver);
      if (typeof value !== 'function' || typeof prop !== 'string' || !prop.startsWith('C_')) return value;
      const method = value as (...args: unknown[]) => unknown;
      return (...args: unknown[]) => {
        const result = method.apply(target, args.map(toReal));
        if (prop === 'C_DestroyObject') {
          const v = args[1] as Buffer;
          const r = realOf.get(v.toString('hex'));
          if (r) {
            realOf.delete(v.toString('hex'));
            virtualOf.delete(r.toString('hex'));
            freed.push(v);
          }
        }
        if (!MAKES_HANDLES.has(prop)) return result;
        if (Array.isArray(result)) return result.map((h) => toVirtual(h as Buffer));
        if (Buffer.isBuffer(result)) return toVirtual(result);
        const pair = result as { privateKey: Buffer; publicKey: Buffer };
        return { privateKey: toVirtual(pair.privateKey), publicKey: toVirtual(pair.publicKey) };
      };
    },
  });
}

const tmp = tempDir('keyrite-handle-reuse-');
afterAll(() => tmp.cleanup());

describe('keys on a module that reuses the handles of destroyed objects', () => {
  let adapter: ReturnType<typeof createAdapter>;
  let session: string;
  beforeAll(async () => {
    const token = await makeToken(tmp.dir, 'reuse');
    for (const [k, v] of Object.entries(token.env)) process.env[k] = v;
    const real = new p11.PKCS11();
    real.load(token.modulePath);
    real.C_Initialize();
    adapter = createAdapter(reusingHandles(real), token.modulePath, 'reuse');
    session = adapter.openSession({ label: 'reuse' }, { pin: USER_PIN });
  });
  afterAll(() => adapter?.finalize());

  it('a key destroyed and made again signs as itself, not as the key that took its old handle', () => {
    const ref = { id: '6e01', label: 'reissued' };
    const data = new TextEncoder().encode('checkpoint');
    const first = adapter.generateKeyPair(session, { algorithm: 'ec-p256', ...ref, extractableForBackup: false });
    expect(verifySignature(first.spki, 'ecdsa-sha256', data, adapter.sign(session, ref, 'ecdsa-sha256', data))).toBe(true);
    adapter.destroyObject(session, ref, 'private');
    adapter.destroyObject(session, ref, 'public');
    // Another key now holds the destroyed key's handles.
    const other = adapter.generateKeyPair(session, { algorithm: 'ec-p256', id: '6e02', label: 'other', extractableForBackup: false });
    const again = adapter.generateKeyPair(session, { algorithm: 'ec-p256', ...ref, extractableForBackup: false });
    const sig = adapter.sign(session, ref, 'ecdsa-sha256', data);
    expect(verifySignature(again.spki, 'ecdsa-sha256', data, sig)).toBe(true);
    expect(verifySignature(other.spki, 'ecdsa-sha256', data, sig)).toBe(false);
  });
});
