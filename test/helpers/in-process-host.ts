/**
 * A HostSpawner that runs the token host's server (host-server.ts) inside the test process, over the
 * real PKCS#11 module (SoftHSM2, NSS softokn) through pkcs11js, instead of forking the built host.
 *
 * Why: the token's own code (token/adapter/*, the runner past the login) then runs from the sources
 * the test imports, so StrykerJS can mutate it and unit-speed tests still drive a real token. The
 * messages are copied with structuredClone both ways, as the fork's 'advanced' serialization does,
 * and answered on a later turn of the event loop, as a reply from another process would be.
 *
 * Not for production: the point of the real host is that a crashing or hanging module cannot take
 * the app down; here it would take the test down.
 */
import { createHostServer } from '../../electron/core/token/host-server';
import type { HostChannel, HostExit, HostReply, HostSpawner } from '../../electron/core/token/host-protocol';

export function inProcessSpawner(): HostSpawner {
  return ({ env }) => {
    // The module reads its configuration (SOFTHSM2_CONF...) from the environment at C_Initialize.
    for (const [k, v] of Object.entries(env)) process.env[k] = v;
    const server = createHostServer();
    const onMessage: ((m: HostReply) => void)[] = [];
    const onExit: ((e: HostExit) => void)[] = [];
    let alive = true;
    const exit = (e: HostExit) => {
      if (!alive) return;
      alive = false;
      server.shutdown();
      setImmediate(() => onExit.forEach((l) => l(e)));
    };
    const channel: HostChannel = {
      postMessage: (msg) => {
        if (!alive) return;
        const copy = structuredClone(msg);
        setImmediate(() => {
          if (!alive) return;
          if (copy.kind === 'shutdown') return exit({ code: 0, signal: null });
          const reply = server.handle(copy);
          if (reply) {
            const r = structuredClone(reply);
            onMessage.forEach((l) => l(r));
          }
        });
      },
      onMessage: (l) => void onMessage.push(l),
      onExit: (l) => void onExit.push(l),
      kill: () => exit({ code: null, signal: 'SIGKILL' }),
    };
    return channel;
  };
}
