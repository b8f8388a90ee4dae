/**
 * The typed request/reply protocol between a TokenClient and its token host process. Messages are
 * plain data (structured clone / V8 serialization keeps Uint8Array intact). Each call is one
 * request `{ kind: 'call', id, method, params }` answered by `{ kind: 'reply', id, ok, value | error }`.
 */
import type { ErrorData } from '../util/errors';
import type { FaultPlan } from './faults';
import type { TokenApi } from './types';

export type TokenMethod = keyof TokenApi;

export const TOKEN_METHODS: readonly TokenMethod[] = [
  'moduleInfo', 'listSlots', 'openSession', 'closeSession', 'generateKeyPair', 'findKeys', 'readKeyProof', 'exportPublicKey',
  'sign', 'signMany', 'generateSecretKey', 'importSecretKey', 'readSecretValue', 'wrapKey', 'unwrapKey', 'lockKey', 'decrypt', 'deriveSharedSecret', 'destroyObject', 'generateRandom',
];

export interface HostInit {
  kind: 'init';
  modulePath: string;
  /** Distinguishes this host's session ids from an earlier host's. */
  hostTag: string;
  faults?: FaultPlan;
  /** C_Initialize's library parameters (NSS softokn refuses to start without them: configdir=...). */
  initArgs?: string;
}

/**
 * A key of a token's `env` that is not put in the host's environment but passed to C_Initialize as
 * its library parameters: rehearsal tokens and token factories hand it along with SOFTHSM2_CONF.
 */
export const PKCS11_INIT_ARGS_ENV = 'KEYRITE_PKCS11_INIT_ARGS';

export interface HostCall<M extends TokenMethod = TokenMethod> {
  kind: 'call';
  id: number;
  method: M;
  params: Parameters<TokenApi[M]>;
}

export interface HostShutdown {
  kind: 'shutdown';
}

export type HostRequest = HostInit | HostCall | HostShutdown;

export type HostReply =
  | { kind: 'reply'; id: number; ok: true; value: unknown }
  | { kind: 'reply'; id: number; ok: false; error: ErrorData };

export interface HostExit {
  code: number | null;
  signal: string | null;
}

/** The small channel a spawner returns: enough to talk to the host and to notice when it dies. */
export interface HostChannel {
  postMessage(msg: HostRequest): void;
  onMessage(listener: (msg: HostReply) => void): void;
  onExit(listener: (exit: HostExit) => void): void;
  kill(): void;
}

/** Starts a token host process. `env` is added to the host's environment (e.g. SOFTHSM2_CONF). */
export type HostSpawner = (opts: { env: Record<string, string> }) => HostChannel;

export function isHostRequest(m: unknown): m is HostRequest {
  const k = (m as { kind?: unknown } | null)?.kind;
  return k === 'init' || k === 'call' || k === 'shutdown';
}
