import { fork } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { createTokenClient } from '../../../electron/core/token/client';
import type { HostChannel, HostReply, HostSpawner } from '../../../electron/core/token/host-protocol';
import { builtHostPath } from '../../../electron/core/token/spawn-fork';
import { makeToken, tempDir, USER_PIN } from '../../helpers/softhsm';

// Electron's utilityProcess gives the child `process.parentPort` ({ on('message', e => e.data), postMessage })
// instead of process.send. This shim builds exactly that over fork's IPC, so the host's parentPort branch
// runs here without an Electron binary.
const SHIM = `
const port = {
  on(event, listener) { if (event === 'message') process.on('message', (m) => listener({ data: m })); },
  postMessage(m) { process.send(m); },
};
Object.defineProperty(process, 'parentPort', { value: port });
`;

// The built host (out/main/token-host.js), the file the app runs: test/helpers/build-once.ts builds it.
describe('token host entry under a utilityProcess-style parentPort', () => {
  const tmp = tempDir();
  afterAll(() => tmp.cleanup());

  it('answers calls through process.parentPort, and stopHost() restarts it on the next call', async () => {
    const token = await makeToken(tmp.dir, 'port');
    const shimDir = mkdtempSync(path.join(tmp.dir, 'shim-'));
    const shim = path.join(shimDir, 'parent-port.mjs');
    writeFileSync(shim, SHIM);
    let spawned = 0;
    const spawner: HostSpawner = ({ env }) => {
      spawned++;
      const child = fork(builtHostPath(), [], { execArgv: ['--import', pathToFileURL(shim).href], serialization: 'advanced', env: { ...process.env, ...env } });
      const channel: HostChannel = {
        postMessage: (m) => void (child.connected && child.send(m)),
        onMessage: (l) => void child.on('message', (m) => l(m as HostReply)),
        onExit: (l) => void child.on('exit', (code, signal) => l({ code, signal })),
        kill: () => void child.kill('SIGKILL'),
      };
      return channel;
    };
    const client = createTokenClient({ modulePath: token.modulePath, env: token.env, spawner });
    try {
      const s = await client.openSession({ label: 'port' }, { pin: USER_PIN });
      const random = await client.generateRandom(s, 16);
      expect(random).toBeInstanceOf(Uint8Array);
      expect(random.length).toBe(16);
      await client.stopHost();
      await expect(client.generateRandom(s, 16)).rejects.toMatchObject({ code: 'SESSION_INVALID' });
      expect(spawned).toBe(2);
      expect((await client.listSlots()).some((x) => x.token?.label === 'port')).toBe(true);
    } finally {
      await client.close();
    }
  });
});
