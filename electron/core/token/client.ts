/**
 * TokenClient: the TokenApi every caller uses. Each call is one request to the token host process;
 * the caller's event loop never blocks on the token. If the host dies, every pending call fails with
 * TOKEN_HOST_STOPPED and the next call starts a new host.
 */
import { KeyriteError } from '../util/errors';
import { hostStopped } from './errors';
import type { FaultPlan } from './faults';
import { PKCS11_INIT_ARGS_ENV, type HostChannel, type HostExit, type HostReply, type HostSpawner, type TokenMethod, packBytesList, unpackBytesList } from './host-protocol';
import { forkSpawner } from './spawn-fork';
import type { TokenApi } from './types';

export interface TokenClientOptions {
  modulePath: string;
  /** Added to the host's environment, e.g. { SOFTHSM2_CONF }. */
  env?: Record<string, string>;
  /** How the host starts: fork (default) or Electron's utilityProcess (electron/main provides one). */
  spawner?: HostSpawner;
  /** Tests only: make the host's PKCS#11 object fail on chosen calls (see faults.ts). */
  faults?: FaultPlan;
  /** C_Initialize library parameters (NSS softokn); also taken from env[PKCS11_INIT_ARGS_ENV]. */
  initArgs?: string;
}

interface Pending {
  resolve: (v: unknown) => void;
  reject: (e: unknown) => void;
}

interface Host {
  channel: HostChannel;
  exited: Promise<HostExit>;
}

type Api = { [M in TokenMethod]: TokenApi[M] };

class TokenClientImpl {
  private host: Host | undefined;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private generation = 0;
  private closed = false;
  private readonly spawner: HostSpawner;

  constructor(private readonly opts: TokenClientOptions) {
    this.spawner = opts.spawner ?? forkSpawner();
  }

  private start(): Host {
    const { [PKCS11_INIT_ARGS_ENV]: envInitArgs, ...env } = this.opts.env ?? {};
    const channel = this.spawner({ env });
    this.generation += 1;
    const exited = new Promise<HostExit>((resolve) => {
      channel.onExit((exit) => {
        if (this.host?.channel === channel) this.host = undefined;
        const reason = exit.signal ? `killed by ${exit.signal}` : `exit code ${exit.code}`;
        for (const [id, p] of this.pending) {
          this.pending.delete(id);
          p.reject(hostStopped(reason));
        }
        resolve(exit);
      });
    });
    channel.onMessage((msg: HostReply) => {
      if (msg.kind !== 'reply') return;
      const p = this.pending.get(msg.id);
      if (!p) return;
      this.pending.delete(msg.id);
      if (msg.ok) p.resolve(unpackBytesList(msg.value));
      else p.reject(KeyriteError.fromData(msg.error));
    });
    const init: Parameters<HostChannel['postMessage']>[0] = { kind: 'init', modulePath: this.opts.modulePath, hostTag: `h${process.pid}.${this.generation}` };
    if (this.opts.faults) init.faults = this.opts.faults;
    const initArgs = this.opts.initArgs ?? envInitArgs;
    if (initArgs) init.initArgs = initArgs;
    channel.postMessage(init);
    return { channel, exited };
  }

  call<M extends TokenMethod>(method: M, params: Parameters<TokenApi[M]>): ReturnType<TokenApi[M]> {
    if (this.closed) {
      return Promise.reject(new KeyriteError('TOKEN_CLIENT_CLOSED', 'This token client was closed.', { action: 'Create a new token client.' })) as ReturnType<TokenApi[M]>;
    }
    try {
      this.host ??= this.start();
    } catch (e) {
      const err = new KeyriteError('TOKEN_HOST_START_FAILED', `The token host process could not start: ${(e as Error).message}`, {
        action: 'Check that Keyrite is installed completely; then try again.',
      });
      return Promise.reject(err) as ReturnType<TokenApi[M]>;
    }
    const id = this.nextId++;
    const host = this.host;
    return new Promise<unknown>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      host.channel.postMessage({ kind: 'call', id, method, params: params.map(packBytesList) as typeof params });
    }) as ReturnType<TokenApi[M]>;
  }

  /** Kills the host now (a module that stopped answering); pending calls fail, the next call starts a new host. */
  async stopHost(): Promise<void> {
    const host = this.host;
    if (!host) return;
    host.channel.kill();
    await host.exited;
  }

  /** Stops the host (closing its sessions and finalizing the module); waits for it to exit. */
  async close(): Promise<void> {
    this.closed = true;
    const host = this.host;
    if (!host) return;
    host.channel.postMessage({ kind: 'shutdown' });
    const timer = setTimeout(() => host.channel.kill(), 5000);
    await host.exited;
    clearTimeout(timer);
  }
}

export interface TokenClient extends TokenApi {
  /** Stops the token host process for good. Pending calls fail with TOKEN_HOST_STOPPED. */
  close(): Promise<void>;
  /**
   * Kills the token host now, e.g. when a module stopped answering and the person chose to give up
   * waiting. Pending calls fail with TOKEN_HOST_STOPPED; the next call starts a new host.
   */
  stopHost(): Promise<void>;
}

export function createTokenClient(opts: TokenClientOptions): TokenClient {
  const impl = new TokenClientImpl(opts);
  const api: Api = {
    moduleInfo: () => impl.call('moduleInfo', []),
    listSlots: () => impl.call('listSlots', []),
    openSession: (...a) => impl.call('openSession', a),
    closeSession: (...a) => impl.call('closeSession', a),
    generateKeyPair: (...a) => impl.call('generateKeyPair', a),
    findKeys: (...a) => impl.call('findKeys', a),
    readKeyProof: (...a) => impl.call('readKeyProof', a),
    exportPublicKey: (...a) => impl.call('exportPublicKey', a),
    sign: (...a) => impl.call('sign', a),
    signMany: (...a) => impl.call('signMany', a),
    generateSecretKey: (...a) => impl.call('generateSecretKey', a),
    importSecretKey: (...a) => impl.call('importSecretKey', a),
    readSecretValue: (...a) => impl.call('readSecretValue', a),
    wrapKey: (...a) => impl.call('wrapKey', a),
    unwrapKey: (...a) => impl.call('unwrapKey', a),
    lockKey: (...a) => impl.call('lockKey', a),
    decrypt: (...a) => impl.call('decrypt', a),
    deriveSharedSecret: (...a) => impl.call('deriveSharedSecret', a),
    destroyObject: (...a) => impl.call('destroyObject', a),
    generateRandom: (...a) => impl.call('generateRandom', a),
    readCertificates: (...a) => impl.call('readCertificates', a),
  };
  return { ...api, close: () => impl.close(), stopHost: () => impl.stopHost() };
}
