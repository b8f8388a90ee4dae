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
  'readCertificates',
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

/**
 * A list of byte strings (signMany's messages in a call, its signatures in the reply) travels as one
 * buffer and its end offsets: two objects to serialise instead of one per item, which kept the
 * host's serialiser and garbage collector busy between batches. The receiver turns it back.
 */
export interface PackedBytes {
  kind: 'packed-bytes';
  bytes: Uint8Array;
  ends: Uint32Array;
}

export function packBytesList(value: unknown): unknown {
  if (!Array.isArray(value) || value.length === 0 || !value.every((v) => v instanceof Uint8Array)) return value;
  const list = value as Uint8Array[];
  const ends = new Uint32Array(list.length);
  let total = 0;
  list.forEach((v, i) => (ends[i] = total += v.length));
  const bytes = new Uint8Array(total);
  list.forEach((v, i) => bytes.set(v, (ends[i] ?? 0) - v.length));
  return { kind: 'packed-bytes', bytes, ends } satisfies PackedBytes;
}

/** `views`: items share the packed buffer (inside the host, where nothing is passed on); else each is a copy. */
export function unpackBytesList(value: unknown, views = false): unknown {
  const p = value as Partial<PackedBytes> | null;
  if (typeof p !== 'object' || p === null || p.kind !== 'packed-bytes' || !(p.bytes instanceof Uint8Array) || !(p.ends instanceof Uint32Array)) return value;
  const { bytes, ends } = p;
  // A copy for the caller: each item owns its bytes, so passing one on never carries its neighbours.
  return Array.from(ends, (end, i) => (views ? bytes.subarray : bytes.slice).call(bytes, i === 0 ? 0 : (ends[i - 1] ?? 0), end));
}

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
