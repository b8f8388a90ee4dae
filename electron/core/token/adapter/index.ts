/**
 * The PKCS#11 adapter: TokenApi's methods, run synchronously inside the token host over one loaded
 * module. Blocking is fine here: the host is its own process, so the caller's event loop never waits.
 */
import type { TokenApi } from '../types';
import { AdapterContext } from './context';
import { decrypt, sign } from './sign';
import { signMany } from './sign-batch';
import { deriveSharedSecret } from './ecdh';
import { destroyObject, exportPublicKey, findKeys, generateKeyPair, readKeyProof } from './keys';
import { generateSecretKey, importSecretKey, readSecretValue, unwrapKey, wrapKey } from './secret';
import { lockKey } from './lock';
import { closeSession, generateRandom, openSession } from './session';
import { listSlots, moduleInfo } from './slots';
import { readCertificates } from './certificates';
import type { PKCS11 } from '../pkcs11js';

/** TokenApi with each method's result unwrapped from its Promise. */
export type SyncTokenApi = { [M in keyof TokenApi]: (...args: Parameters<TokenApi[M]>) => Awaited<ReturnType<TokenApi[M]>> };

/** `restart` re-initialises the module (C_Finalize, C_Initialize), so it reads its token store again. */
export function createAdapter(p: PKCS11, modulePath: string, hostTag: string, restart?: () => void): SyncTokenApi & { finalize(): void; callEnded(): void } {
  const ctx = new AdapterContext(p, modulePath, hostTag, restart);
  return {
    moduleInfo: () => moduleInfo(ctx),
    listSlots: () => listSlots(ctx),
    openSession: (token, login) => openSession(ctx, token, login),
    closeSession: (s) => closeSession(ctx, s),
    generateKeyPair: (s, spec) => generateKeyPair(ctx, s, spec),
    findKeys: (s, q) => findKeys(ctx, s, q),
    readKeyProof: (s, k) => readKeyProof(ctx, s, k),
    exportPublicKey: (s, k) => exportPublicKey(ctx, s, k),
    sign: (s, k, scheme, data) => sign(ctx, s, k, scheme, data),
    signMany: (s, k, scheme, messages) => signMany(ctx, s, k, scheme, messages),
    generateSecretKey: (s, spec) => generateSecretKey(ctx, s, spec),
    importSecretKey: (s, spec, value) => importSecretKey(ctx, s, spec, value),
    readSecretValue: (s, k) => readSecretValue(ctx, s, k),
    wrapKey: (s, wk, k) => wrapKey(ctx, s, wk, k),
    unwrapKey: (s, wk, wrapped, spec) => unwrapKey(ctx, s, wk, wrapped, spec),
    lockKey: (s, k) => lockKey(ctx, s, k),
    decrypt: (s, k, m, data) => decrypt(ctx, s, k, m, data),
    deriveSharedSecret: (s, k, point) => deriveSharedSecret(ctx, s, k, point),
    destroyObject: (s, k, c) => destroyObject(ctx, s, k, c),
    generateRandom: (s, n) => generateRandom(ctx, s, n),
    readCertificates: (s, q) => readCertificates(ctx, s, q),
    callEnded: () => ctx.callEnded(),
    finalize() {
      for (const s of ctx.openSessions()) {
        try {
          p.C_CloseSession(s.handle);
        } catch {
          // Shutting down: a session the token already dropped needs no closing.
        }
      }
      try {
        p.C_Finalize();
      } catch {
        // Same: the module is being let go either way.
      }
    },
  };
}
