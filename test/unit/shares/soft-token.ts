import { constants, createCipheriv, createDecipheriv, createPrivateKey, createPublicKey, diffieHellman, generateKeyPairSync, privateDecrypt, randomBytes, sign, type KeyObject } from 'node:crypto';
import { KeyriteError } from '../../../electron/core/util/errors';
import type { KeyAlgorithm, KeyClass, KeyObjectView, KeyRef, SecretKeySpec, SessionId, SignatureScheme, TokenApi, UnwrapSpec } from '../../../electron/core/token/types';

/**
 * A software token with just what the backup and recovery code calls (secret keys, RFC 5649 wrap
 * and unwrap of PKCS#8, signing), done with node:crypto, so createBackup and recoverInto run
 * without SoftHSM2; and a custodian card's calls (find, export, RSA-OAEP decrypt, ECDH). It records every object made and destroyed; `faults` make one call misbehave.
 */
export interface SoftObject { ref: KeyRef; class: KeyClass; spec?: SecretKeySpec | UnwrapSpec; value?: Uint8Array; key?: KeyObject }

export interface SoftTokenFaults {
  /** generateSecretKey makes a key of this many bytes instead of 32. */
  secretBytes?: number;
  /** wrapKey throws. */
  wrapFails?: boolean;
  /** wrapKey returns this many bytes instead of the wrapped key. */
  wrappedLength?: number;
  /** sign flips a bit of the signature it returns. */
  badSignature?: boolean;
  /** Calls named here throw a KeyriteError with this code (e.g. a login or device error). */
  failWith?: { call: string; code: string };
}

const IV = Buffer.from('a65959a6', 'hex');
const HASH: Partial<Record<SignatureScheme, string>> = { 'ecdsa-sha256': 'sha256', 'ecdsa-sha384': 'sha384', 'ecdsa-sha512': 'sha512', 'rsa-pkcs1-sha256': 'sha256' };

export function aesKeyWrapPad(kek: Uint8Array, data: Uint8Array): Uint8Array {
  const c = createCipheriv(`id-aes${kek.length * 8}-wrap-pad`, kek, IV);
  return new Uint8Array(Buffer.concat([c.update(data), c.final()]));
}

export function aesKeyUnwrapPad(kek: Uint8Array, data: Uint8Array): Uint8Array {
  const d = createDecipheriv(`id-aes${kek.length * 8}-wrap-pad`, kek, IV);
  return new Uint8Array(Buffer.concat([d.update(data), d.final()]));
}

export function softSign(key: KeyObject, scheme: SignatureScheme, data: Uint8Array): Uint8Array {
  if (scheme === 'ed25519') return new Uint8Array(sign(null, data, key));
  const hash = HASH[scheme];
  if (!hash) throw new Error(`soft token: no scheme ${scheme}`);
  return new Uint8Array(sign(hash, data, scheme.startsWith('ecdsa') ? { key, dsaEncoding: 'der' } : key));
}

export function softKeyPair(algorithm: KeyAlgorithm): { privateKey: KeyObject; spki: Uint8Array } {
  const pair = algorithm === 'ed25519' ? generateKeyPairSync('ed25519')
    : algorithm.startsWith('rsa') ? generateKeyPairSync('rsa', { modulusLength: 2048 })
      : generateKeyPairSync('ec', { namedCurve: { 'ec-p256': 'P-256', 'ec-p384': 'P-384', 'ec-p521': 'P-521' }[algorithm as 'ec-p256'] });
  return { privateKey: pair.privateKey, spki: new Uint8Array(pair.publicKey.export({ type: 'spki', format: 'der' })) };
}

export class SoftToken {
  readonly objects: SoftObject[] = [];
  readonly destroyed: SoftObject[] = [];
  readonly calls: string[] = [];
  faults: SoftTokenFaults = {};
  private next = 0;

  /** A root key pair on the token, as generateKeyPair (extractable for backup) would leave it. */
  addKeyPair(algorithm: KeyAlgorithm, label = 'root'): { ref: KeyRef; spki: Uint8Array; privateKey: KeyObject } {
    const { privateKey, spki } = softKeyPair(algorithm);
    const ref = { id: (++this.next).toString(16).padStart(2, '0'), label };
    this.objects.push({ ref, class: 'private', key: privateKey });
    return { ref, spki, privateKey };
  }

  private fail(call: string): void {
    if (this.faults.failWith?.call === call) throw new KeyriteError(this.faults.failWith.code, `soft token: ${call} failed`);
  }

  find(ref: KeyRef, cls: KeyClass): SoftObject {
    const o = this.objects.find((x) => x.ref.id === ref.id && x.ref.label === ref.label && x.class === cls);
    if (!o) throw new Error(`soft token: no ${cls} object ${ref.label}`);
    return o;
  }

  live(cls: KeyClass): SoftObject[] {
    return this.objects.filter((o) => o.class === cls);
  }

  api(): TokenApi {
    const impl = {
      generateSecretKey: async (_s: SessionId, spec: SecretKeySpec): Promise<KeyRef> => {
        this.calls.push('generateSecretKey');
        const ref = { id: spec.id, label: spec.label };
        this.objects.push({ ref, class: 'secret', spec, value: new Uint8Array(randomBytes(this.faults.secretBytes ?? 32)) });
        return ref;
      },
      importSecretKey: async (_s: SessionId, spec: SecretKeySpec, value: Uint8Array): Promise<KeyRef> => {
        this.calls.push('importSecretKey');
        const ref = { id: spec.id, label: spec.label };
        this.objects.push({ ref, class: 'secret', spec, value: new Uint8Array(value) });
        return ref;
      },
      readSecretValue: async (_s: SessionId, ref: KeyRef): Promise<Uint8Array> => {
        this.calls.push('readSecretValue');
        const o = this.find(ref, 'secret');
        if (!(o.spec as SecretKeySpec).extractable) throw new Error('soft token: CKR_ATTRIBUTE_SENSITIVE');
        return new Uint8Array(o.value as Uint8Array);
      },
      wrapKey: async (_s: SessionId, wrapping: KeyRef, key: KeyRef): Promise<Uint8Array> => {
        this.calls.push('wrapKey');
        if (this.faults.wrapFails) throw new Error('soft token: CKR_KEY_NOT_WRAPPABLE');
        if (this.faults.wrappedLength !== undefined) return new Uint8Array(this.faults.wrappedLength);
        const pkcs8 = new Uint8Array(this.find(key, 'private').key?.export({ type: 'pkcs8', format: 'der' }) as Buffer);
        return aesKeyWrapPad(this.find(wrapping, 'secret').value as Uint8Array, pkcs8);
      },
      unwrapKey: async (_s: SessionId, wrapping: KeyRef, wrapped: Uint8Array, spec: UnwrapSpec): Promise<KeyRef> => {
        this.calls.push('unwrapKey');
        const pkcs8 = aesKeyUnwrapPad(this.find(wrapping, 'secret').value as Uint8Array, wrapped);
        const ref = { id: spec.id, label: spec.label };
        this.objects.push({ ref, class: 'private', spec, key: createPrivateKey({ key: Buffer.from(pkcs8), format: 'der', type: 'pkcs8' }) });
        if (spec.publicKey) this.objects.push({ ref, class: 'public', spec });
        return ref;
      },
      sign: async (_s: SessionId, key: KeyRef, scheme: SignatureScheme, data: Uint8Array): Promise<Uint8Array> => {
        this.calls.push(`sign:${scheme}`);
        const sig = softSign(this.find(key, 'private').key as KeyObject, scheme, data);
        if (this.faults.badSignature) sig[sig.length - 1] = (sig[sig.length - 1] ?? 0) ^ 1;
        return sig;
      },
      openSession: async (): Promise<SessionId> => {
        this.calls.push('openSession');
        this.fail('openSession');
        return 'S';
      },
      closeSession: async (): Promise<void> => {
        this.calls.push('closeSession');
      },
      findKeys: async (_s: SessionId, q: { id?: string; label?: string; class?: KeyClass }): Promise<KeyObjectView[]> => {
        this.calls.push(`findKeys:${q.id ?? ''}`);
        return this.objects.filter((o) => (q.id === undefined || o.ref.id === q.id) && (q.label === undefined || o.ref.label === q.label) && (q.class === undefined || o.class === q.class))
          .map((o) => ({ ...o.ref, class: o.class, keyType: o.key?.asymmetricKeyType ?? 'aes', onToken: true }));
      },
      exportPublicKey: async (_s: SessionId, ref: KeyRef): Promise<Uint8Array> => {
        this.calls.push('exportPublicKey');
        this.fail('exportPublicKey');
        return new Uint8Array(createPublicKey(this.find(ref, 'private').key as KeyObject).export({ type: 'spki', format: 'der' }));
      },
      decrypt: async (_s: SessionId, ref: KeyRef, _m: string, data: Uint8Array): Promise<Uint8Array> => {
        this.calls.push('decrypt');
        this.fail('decrypt');
        try {
          return new Uint8Array(privateDecrypt({ key: this.find(ref, 'private').key as KeyObject, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' }, data));
        } catch {
          throw new KeyriteError('WRAPPED_KEY_INVALID', 'soft token: CKR_ENCRYPTED_DATA_INVALID');
        }
      },
      deriveSharedSecret: async (_s: SessionId, ref: KeyRef, peer: Uint8Array): Promise<Uint8Array> => {
        this.calls.push('deriveSharedSecret');
        this.fail('deriveSharedSecret');
        const privateKey = this.find(ref, 'private').key as KeyObject;
        const crv = privateKey.export({ format: 'jwk' }).crv as string;
        const size = (peer.length - 1) / 2;
        const b = Buffer.from(peer);
        const publicKey = createPublicKey({ key: { kty: 'EC', crv, x: b.subarray(1, 1 + size).toString('base64url'), y: b.subarray(1 + size).toString('base64url') }, format: 'jwk' });
        return new Uint8Array(diffieHellman({ privateKey, publicKey }));
      },
      destroyObject: async (_s: SessionId, ref: KeyRef, cls: KeyClass): Promise<void> => {
        this.calls.push(`destroy:${cls}`);
        const at = this.objects.findIndex((x) => x.ref.id === ref.id && x.ref.label === ref.label && x.class === cls);
        if (at < 0) throw new Error(`soft token: no ${cls} object ${ref.label} to destroy`);
        this.destroyed.push(...this.objects.splice(at, 1));
      },
    };
    return new Proxy(impl, {
      get: (target, p) => (p in target ? target[p as keyof typeof impl] : () => { throw new Error(`soft token: ${String(p)} is not used by the share code`); }),
    }) as unknown as TokenApi;
  }
}
