/**
 * The token host's message handling, separate from how messages arrive (fork IPC or Electron's
 * parentPort), so it is the same code in both. Calls run one at a time, in arrival order.
 */
import { KeyriteError, toErrorData } from '../util/errors';
import { createAdapter } from './adapter';
import { withFaults } from './faults';
import type { HostReply, HostRequest, TokenMethod } from './host-protocol';
import { packBytesList, TOKEN_METHODS, unpackBytesList } from './host-protocol';
import { pkcs11, type PKCS11 } from './pkcs11js';

type Adapter = ReturnType<typeof createAdapter>;

export interface HostServer {
  handle(msg: HostRequest): HostReply | undefined;
  shutdown(): void;
}

function loadModule(modulePath: string, initArgs: string | undefined): PKCS11 {
  const p = new pkcs11.PKCS11();
  try {
    p.load(modulePath);
  } catch (e) {
    throw new KeyriteError('MODULE_LOAD_FAILED', `The PKCS#11 module ${modulePath} could not be loaded: ${(e as Error).message}`, {
      action: 'Check the path (keyrite tokens lists the modules found) and that the vendor\'s software is installed.',
      details: { modulePath },
    });
  }
  startModule(p, modulePath, initArgs);
  return p;
}

function startModule(p: PKCS11, modulePath: string, initArgs: string | undefined): void {
  try {
    // pkcs11js 2.1.7 drops the last character of libraryParameters: a trailing space absorbs it.
    if (initArgs) p.C_Initialize({ libraryParameters: `${initArgs} ` });
    else p.C_Initialize();
  } catch (e) {
    if ((e as { code?: number }).code !== pkcs11.CKR_CRYPTOKI_ALREADY_INITIALIZED) {
      throw new KeyriteError('MODULE_INIT_FAILED', `The PKCS#11 module ${modulePath} failed to start: ${(e as Error).message}`, {
        action: 'Check the module\'s configuration (for SoftHSM2: SOFTHSM2_CONF points at a readable config; for NSS: its configdir holds the database).',
        details: { modulePath },
      });
    }
  }
}

/** C_Finalize then C_Initialize: the module reads its slots and token store again (adapter/context.ts, rescanIfIdle). */
function restartModule(p: PKCS11, modulePath: string, initArgs: string | undefined): void {
  try {
    p.C_Finalize();
  } catch {
    // Not initialised (an earlier restart failed half-way): starting it is all that is needed.
  }
  startModule(p, modulePath, initArgs);
}

export function createHostServer(): HostServer {
  let init: Extract<HostRequest, { kind: 'init' }> | undefined;
  let adapter: Adapter | undefined;

  // Loaded on the first call rather than at init, so a load failure is that call's typed error.
  function getAdapter(): Adapter {
    if (adapter) return adapter;
    if (!init) throw new KeyriteError('TOKEN_HOST_NOT_READY', 'The token host received a call before its setup.', { action: 'This is a bug in Keyrite; report it.' });
    const { modulePath, initArgs } = init;
    const real = loadModule(modulePath, initArgs);
    adapter = createAdapter(init.faults ? withFaults(real, init.faults) : real, modulePath, init.hostTag, () => restartModule(real, modulePath, initArgs));
    return adapter;
  }

  return {
    handle(msg) {
      if (msg.kind === 'init') {
        init = msg;
        return undefined;
      }
      if (msg.kind === 'shutdown') return undefined;
      try {
        if (!TOKEN_METHODS.includes(msg.method)) {
          throw new KeyriteError('TOKEN_METHOD_UNKNOWN', `The token host has no method "${String(msg.method)}".`, { action: 'This is a bug in Keyrite; report it.' });
        }
        const a = getAdapter();
        const fn = a[msg.method as TokenMethod] as (...args: unknown[]) => unknown;
        const params = (msg.params as unknown[]).map((v) => unpackBytesList(v, true));
        return { kind: 'reply', id: msg.id, ok: true, value: packBytesList(fn(...params)) };
      } catch (e) {
        return { kind: 'reply', id: msg.id, ok: false, error: toErrorData(e) };
      } finally {
        adapter?.callEnded();
      }
    },
    shutdown() {
      adapter?.finalize();
      adapter = undefined;
    },
  };
}
