/** The default HostSpawner: a child_process.fork of host-entry.ts under tsx (tests, CLI, bench). */
import { fork } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { HostChannel, HostReply, HostSpawner } from './host-protocol';

export const HOST_ENTRY_PATH = fileURLToPath(new URL('./host-entry.ts', import.meta.url));

export function forkSpawner(opts: { entry?: string } = {}): HostSpawner {
  // Resolved when first used (not at import, so a bundle that never forks need not ship tsx), and to a
  // file URL so the host starts the same whatever the current directory is.
  let tsxLoader: string | undefined;
  return ({ env }) => {
    tsxLoader ??= pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
    const child = fork(opts.entry ?? HOST_ENTRY_PATH, [], {
      execArgv: ['--import', tsxLoader],
      // 'advanced' (V8) serialization keeps Uint8Array as bytes; JSON would turn them into objects.
      serialization: 'advanced',
      env: { ...process.env, ...env },
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
