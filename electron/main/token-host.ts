/**
 * The token host runs in an Electron utilityProcess (out/main/token-host.js): PKCS#11 calls block
 * for seconds and vendor modules crash, and neither may take the window down. This is the
 * HostSpawner for the app; the TokenClient (electron/core/token/client.ts) owns the protocol, fails
 * pending calls with TOKEN_HOST_STOPPED when the host exits, and spawns a fresh host on the next
 * call, so a dead host is restarted on demand.
 */
import type { HostChannel, HostExit, HostReply, HostRequest, HostSpawner } from '../core/token/host-protocol';

/** The parts of Electron's UtilityProcess the spawner uses. */
export interface UtilityProcessLike {
  postMessage(message: HostRequest): void;
  on(event: 'message', listener: (message: unknown) => void): unknown;
  on(event: 'exit', listener: (code: number) => void): unknown;
  kill(): boolean;
}

export interface UtilityForkOptions {
  serviceName: string;
  env: Record<string, string>;
  stdio: 'inherit';
}

export type UtilityFork = (modulePath: string, args: string[], options: UtilityForkOptions) => UtilityProcessLike;

/**
 * Environment the host may see: what a vendor PKCS#11 module needs, and nothing else of main's
 * environment (NODE_OPTIONS and the like stay out).
 */
const HOST_ENV_KEYS = ['PATH', 'HOME', 'USERPROFILE', 'TMPDIR', 'TEMP', 'TMP', 'LANG', 'SOFTHSM2_CONF', 'SYSTEMROOT', 'PCSCLITE_CSOCK_NAME'];

export function hostEnvironment(base: Record<string, string | undefined>, extra: Record<string, string>): Record<string, string> {
  const env: Record<string, string> = {};
  for (const key of HOST_ENV_KEYS) {
    const value = base[key];
    if (value !== undefined) env[key] = value;
  }
  return { ...env, ...extra };
}

export function createUtilityProcessSpawner(fork: UtilityFork, hostPath: string, baseEnv: Record<string, string | undefined>): HostSpawner {
  return ({ env }) => {
    const child = fork(hostPath, [], { serviceName: 'Keyrite token host', env: hostEnvironment(baseEnv, env), stdio: 'inherit' });
    let exited = false;
    const exitListeners: Array<(exit: HostExit) => void> = [];
    child.on('exit', (code: number) => {
      exited = true;
      // utilityProcess reports a crash as a code only; there is no signal name to pass on.
      for (const listener of exitListeners) listener({ code, signal: null });
    });
    const channel: HostChannel = {
      postMessage: (message) => {
        // Posting to a dead host throws in Electron; the client learns of the exit from onExit.
        if (!exited) child.postMessage(message);
      },
      onMessage: (listener) => {
        child.on('message', (message: unknown) => listener(message as HostReply));
      },
      onExit: (listener) => {
        exitListeners.push(listener);
      },
      kill: () => {
        if (!exited) child.kill();
      },
    };
    return channel;
  };
}
