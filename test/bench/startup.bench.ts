/**
 * Start-up, each figure a ratio against a baseline measured in the same run, turn about (issue #17):
 *  - `keyrite --help` (bin/keyrite.mjs running the built CLI) vs `node -e 0`, and for contrast the
 *    CLI's sources under tsx (how it ran before it was built);
 *  - the token host as Keyrite starts it (TokenClient: fork of out/main/token-host.js, init, first
 *    call answered) vs the same built host forked by hand under plain node, and, for contrast, the
 *    host's sources under tsx (how it started before it was built; tsx is a dev tool only now).
 */
import { fork, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createTokenClient } from '../../electron/core/token/client';
import type { HostReply } from '../../electron/core/token/host-protocol';
import { createRehearsalToken } from '../../electron/core/token/rehearsal';
import { builtHostPath } from '../../electron/core/token/spawn-fork';
import { ensureBuilt } from '../helpers/build-once';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const RUNS = 15;

const summary = (xs: number[]): string => {
  const s = [...xs].sort((a, b) => a - b);
  return `${(s[0] ?? NaN).toFixed(2)} / ${(s[Math.floor(s.length / 2)] ?? NaN).toFixed(2)} / ${(s.at(-1) ?? NaN).toFixed(2)}`;
};

/** CPU (user + sys) of this process's waited-for children so far, in ms (Linux: /proc/self/stat). */
function childrenCpuMs(): number {
  const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1]?.split(' ') ?? [];
  // After "pid (comm) ", cutime and cstime are the 14th and 15th fields, in clock ticks (100 a second).
  return (Number(fields[13]) + Number(fields[14])) * 10;
}

const cpu = { node: 0, keyrite: 0, tsx: 0 };

function wall(args: string[], account?: keyof typeof cpu): number {
  const before = childrenCpuMs();
  const start = performance.now();
  const r = spawnSync(process.execPath, args, { cwd: ROOT, stdio: 'ignore' });
  if (r.status !== 0) throw new Error(`node ${args.join(' ')} exited ${r.status}`);
  const ms = performance.now() - start;
  if (account) cpu[account] += childrenCpuMs() - before;
  return ms;
}

/** Fork a host, init it, and time until its first listSlots reply; then stop it. */
function rawHostStart(entry: string, execArgv: string[], modulePath: string, env: Record<string, string>): Promise<number> {
  const start = performance.now();
  const child = fork(entry, [], { execArgv, serialization: 'advanced', env: { ...process.env, ...env }, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  return new Promise((resolve, reject) => {
    child.on('message', (m: HostReply) => {
      if (m.kind !== 'reply') return;
      const ms = performance.now() - start;
      child.kill('SIGKILL');
      if (m.ok) resolve(ms);
      else reject(new Error(m.error.message));
    });
    child.on('error', reject);
    child.send({ kind: 'init', modulePath, hostTag: 'bench' });
    child.send({ kind: 'call', id: 1, method: 'listSlots', params: [] });
  });
}

async function clientHostStart(modulePath: string, env: Record<string, string>): Promise<number> {
  const start = performance.now();
  const client = createTokenClient({ modulePath, env });
  await client.listSlots();
  const ms = performance.now() - start;
  await client.stopHost();
  await client.close();
  return ms;
}

export async function run(): Promise<void> {
  ensureBuilt();
  const bin = path.join(ROOT, 'bin/keyrite.mjs');
  wall([bin, '--help']);
  // How bin/keyrite.mjs ran before #17: the CLI's sources through tsx.
  const viaTsx = ['--import', 'tsx', '--input-type=module', '-e', "const m = await import('./electron/cli/main.ts'); process.exitCode = await m.main(['--help']);"];
  wall(viaTsx);
  const help: number[] = [];
  const tsxHelp: number[] = [];
  const helpMs: number[] = [];
  const nodeMs: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const base = wall(['-e', '0'], 'node');
    const k = wall([bin, '--help'], 'keyrite');
    const t = wall(viaTsx, 'tsx');
    nodeMs.push(base);
    helpMs.push(k);
    help.push(k / base);
    tsxHelp.push(t / base);
  }
  console.log(`keyrite --help vs node -e 0, ${RUNS} runs, min / median / max`);
  console.log(`  built CLI: ratio ${summary(help)}x   (keyrite --help ${summary(helpMs)} ms, node -e 0 ${summary(nodeMs)} ms)`);
  console.log(`  for contrast, the CLI's sources under tsx (before #17): ratio ${summary(tsxHelp)}x`);
  // CPU time is steadier than wall time on a busy machine.
  const per = (k: keyof typeof cpu) => (cpu[k] / RUNS).toFixed(0);
  console.log(`  CPU per run (user + sys): keyrite --help ${per('keyrite')} ms, node -e 0 ${per('node')} ms (ratio ${(cpu.keyrite / cpu.node).toFixed(2)}x), under tsx ${per('tsx')} ms (${(cpu.tsx / cpu.node).toFixed(2)}x)`);

  const dir = mkdtempSync(path.join(os.tmpdir(), 'keyrite-bench-startup-'));
  try {
    const token = await createRehearsalToken({ dir, label: 'bench-start', pin: '123456' });
    const host = builtHostPath();
    const hostSource = path.join(ROOT, 'electron/core/token/host-entry.ts');
    await clientHostStart(token.modulePath, token.env);
    const viaClient: number[] = [];
    const viaRaw: number[] = [];
    const viaTsx: number[] = [];
    const ratio: number[] = [];
    const tsxRatio: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const raw = await rawHostStart(host, [], token.modulePath, token.env);
      const client = await clientHostStart(token.modulePath, token.env);
      const tsx = await rawHostStart(hostSource, ['--import', 'tsx'], token.modulePath, token.env);
      viaRaw.push(raw);
      viaClient.push(client);
      viaTsx.push(tsx);
      ratio.push(client / raw);
      tsxRatio.push(tsx / raw);
    }
    console.log(`token host start to its first reply (listSlots, SoftHSM2), ${RUNS} runs, min / median / max`);
    console.log(`  Keyrite (TokenClient, built host) vs the built host forked by hand: ratio ${summary(ratio)}x   (${summary(viaClient)} ms vs ${summary(viaRaw)} ms)`);
    console.log(`  for contrast, the host's sources under tsx (before #17) vs built:   ratio ${summary(tsxRatio)}x   (${summary(viaTsx)} ms)`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
