/**
 * The default HostSpawner: a child_process.fork of the built token host (out/main/token-host.js, the
 * file the Electron app runs in its utilityProcess) under plain Node, for the CLI, tests and bench.
 * No TypeScript loader, no loader hook, no compile cache: a loader's cache in a shared folder
 * (tsx keeps one in /tmp/tsx-<uid>) is a place another local user can plant code.
 */
import { fork } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { checkoutRoot } from '../util/checkout';
import type { HostChannel, HostReply, HostSpawner } from './host-protocol';

/** The built token host `npm run build` writes; the CLI and the app run this same file. */
export function builtHostPath(): string {
  return path.join(checkoutRoot(), 'out', 'main', 'token-host.js');
}

/** The caller's environment plus the host's own, without NODE_OPTIONS: it could add a loader (--import). */
function hostEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const { NODE_OPTIONS: _dropped, ...rest } = process.env;
  return { ...rest, ...extra };
}

export function forkSpawner(opts: { entry?: string } = {}): HostSpawner {
  return ({ env }) => {
    // Resolved at the first start, not at import: the Electron main bundle imports this file but
    // starts its hosts through utilityProcess.
    const entry = opts.entry ?? builtHostPath();
    if (!existsSync(entry)) throw new Error(`the built token host ${entry} is missing. Run \`npm run build\` in ${checkoutRoot()} first`);
    const child = fork(entry, [], {
      // Whatever the caller ran under (a loader, --inspect), the host runs plain built JavaScript.
      execArgv: [],
      // 'advanced' (V8) serialization keeps Uint8Array as bytes; JSON would turn them into objects.
      serialization: 'advanced',
      env: hostEnv(env),
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const channel: HostChannel = {
      postMessage: (msg) => {
        if (child.connected) child.send(msg);
      },
      onMessage: (listener) => child.on('message', (m) => listener(m as HostReply)),
      onExit: (listener) => child.on('exit', (code, signal) => listener({ code, signal })),
      kill: () => {
        child.kill('SIGKILL');
      },
    };
    return channel;
  };
}
