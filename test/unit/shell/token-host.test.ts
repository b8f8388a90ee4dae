/**
 * The utilityProcess HostSpawner. Electron cannot run here, so `utilityProcess.fork` is stood in
 * for by a real child process running the real built token host (out/main/token-host.js over SoftHSM2), adapted
 * to UtilityProcess's surface (postMessage, 'message', 'exit' with a code, kill).
 */
import { fork, type ChildProcess } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { createTokenClient } from '../../../electron/core/token/client';
import type { HostRequest } from '../../../electron/core/token/host-protocol';
import { builtHostPath } from '../../../electron/core/token/spawn-fork';
import { createUtilityProcessSpawner, hostEnvironment, type UtilityFork, type UtilityProcessLike } from '../../../electron/main/token-host';
import { makeToken, tempDir } from '../../helpers/softhsm';

/** A child process shaped like Electron's UtilityProcess. */
function childAsUtilityProcess(child: ChildProcess): UtilityProcessLike {
  return {
    postMessage: (m: HostRequest) => void child.send(m),
    on: ((event: 'message' | 'exit', listener: (arg: unknown) => void) => {
      if (event === 'message') child.on('message', (m: unknown) => listener(m));
      else child.on('exit', (code: number | null) => listener(code ?? -1));
      return child;
    }) as UtilityProcessLike['on'],
    kill: () => child.kill('SIGKILL'),
  };
}

describe('hostEnvironment', () => {
  it("passes what a PKCS#11 module needs and drops the rest of main's environment", () => {
    const env = hostEnvironment({ PATH: '/usr/bin', HOME: '/home/a', NODE_OPTIONS: '--require evil.js', ELECTRON_RUN_AS_NODE: '1', AWS_SECRET: 'x' }, { SOFTHSM2_CONF: '/t/s.conf' });
    expect(env).toEqual({ PATH: '/usr/bin', HOME: '/home/a', SOFTHSM2_CONF: '/t/s.conf' });
  });
});

describe('createUtilityProcessSpawner with a stand-in process', () => {
  it('reports the exit with its code, and drops messages and kills after it', () => {
    const posted: unknown[] = [];
    let kills = 0;
    let exit: ((code: number) => void) | undefined;
    const fake: UtilityProcessLike = {
      postMessage: (m) => void posted.push(m),
      on: ((event: string, l: (x: never) => void) => {
        if (event === 'exit') exit = l as (code: number) => void;
        return fake;
      }) as UtilityProcessLike['on'],
      kill: () => {
        kills += 1;
        return true;
      },
    };
    const forks: Array<{ path: string; options: unknown }> = [];
    const spawn = createUtilityProcessSpawner((path, _a, options) => {
      forks.push({ path, options });
      return fake;
    }, '/app/out/main/token-host.js', { PATH: '/bin', NODE_OPTIONS: '--inspect' });
    const channel = spawn({ env: { SOFTHSM2_CONF: '/c' } });
    expect(forks).toEqual([{ path: '/app/out/main/token-host.js', options: { serviceName: 'Keyrite token host', env: { PATH: '/bin', SOFTHSM2_CONF: '/c' }, stdio: 'inherit' } }]);
    const exits: unknown[] = [];
    channel.onExit((e) => exits.push(e));
    channel.postMessage({ kind: 'shutdown' });
    exit?.(3);
    channel.postMessage({ kind: 'shutdown' });
    channel.kill();
    expect(posted).toHaveLength(1);
    expect(exits).toEqual([{ code: 3, signal: null }]);
    expect(kills).toBe(0);
  });
});

describe('TokenClient over the utilityProcess spawner (real token host, SoftHSM2)', () => {
  const tmp = tempDir('keyrite-shell-host-');
  afterAll(() => tmp.cleanup());
  const children: ChildProcess[] = [];
  const utilityFork: UtilityFork = (path, _args, options) => {
    const child = fork(path, [], { execArgv: [], serialization: 'advanced', env: options.env, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    children.push(child);
    return childAsUtilityProcess(child);
  };

  it('lists slots, fails pending calls cleanly when the host dies, and starts a new host on the next call', async () => {
    const token = await makeToken(tmp.dir, 'shell-host');
    const spawner = createUtilityProcessSpawner(utilityFork, builtHostPath(), process.env);
    const client = createTokenClient({ modulePath: token.modulePath, env: token.env, spawner });
    try {
      const labels = (await client.listSlots()).map((s) => s.token?.label);
      expect(labels).toContain('shell-host');
      expect(children).toHaveLength(1);

      // Frozen first, so the host cannot answer before it dies: the call is surely in flight.
      children[0]?.kill('SIGSTOP');
      const pending = client.listSlots();
      children[0]?.kill('SIGKILL');
      await expect(pending).rejects.toMatchObject({ code: 'TOKEN_HOST_STOPPED' });

      expect((await client.listSlots()).map((s) => s.token?.label)).toContain('shell-host');
      expect(children).toHaveLength(2);
    } finally {
      await client.close();
    }
  }, 60_000);
});

