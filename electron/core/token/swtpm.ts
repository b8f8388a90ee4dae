/**
 * swtpm, the software TPM 2.0 behind a tpm2-pkcs11 rehearsal token. One swtpm per token folder: its
 * state in FOLDER/state, a pid file FOLDER/swtpm.pid, listening on a free loopback port (its control
 * port the next one up: the swtpm TCTI sends control commands there). It runs as a daemon, so a
 * token made by `keyrite rehearsal-token create` outlives the command; a run stops it when it ends,
 * and, until then, a signal (Ctrl-C) or an exit stops it too (the guard below).
 */
import { execFile } from 'node:child_process';
import { existsSync, promises as fsp, readFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';
import { KeyriteError } from '../util/errors';
import { makePrivateDir } from '../util/fs-durable';

const run = promisify(execFile);
const GUARDED_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

export interface Swtpm {
  pid: number;
  port: number;
  pidFile: string;
  /** Stops swtpm and waits until it is gone. */
  stop(): Promise<void>;
  /** Leaves swtpm running after this process ends (the CLI's `create`): drops the guard. */
  detach(): void;
}

export function swtpmMissing(): KeyriteError {
  return new KeyriteError('TPM_MISSING', 'swtpm is not installed, so no TPM rehearsal token can be made.', {
    action: 'Install it: `sudo apt-get install swtpm swtpm-tools libtpm2-pkcs11-1 libtss2-tcti-swtpm0` (Debian/Ubuntu).',
  });
}

/** True while `pid` runs. A daemon's exit leaves a zombie until init reaps it: that counts as gone. */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return !existsSync('/proc/self');
  }
}

/** The pid in `pidFile` when that process is a swtpm serving this folder (a pid reused by another program is left alone). */
function runningSwtpm(pidFile: string, stateDir: string): number | undefined {
  if (!existsSync(pidFile)) return undefined;
  const pid = Number(readFileSync(pidFile, 'utf8').trim());
  if (!Number.isInteger(pid) || pid <= 0 || !alive(pid)) return undefined;
  try {
    const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    return cmd.includes('swtpm') && cmd.includes(stateDir) ? pid : undefined;
  } catch {
    return undefined;
  }
}

async function stopPid(pid: number): Promise<void> {
  if (!alive(pid)) return;
  process.kill(pid, 'SIGTERM');
  for (let i = 0; i < 100 && alive(pid); i++) await new Promise((r) => setTimeout(r, 20));
  if (alive(pid)) process.kill(pid, 'SIGKILL');
}

function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = net.createServer().once('error', () => resolve(false)).listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
  });
}

/** A loopback port P with P+1 free too (the control port). Another program may still take it before swtpm does: the caller retries. */
async function freePortPair(): Promise<number> {
  for (;;) {
    const port = await new Promise<number>((resolve, reject) => {
      const srv = net.createServer().once('error', reject).listen(0, '127.0.0.1', () => {
        const { port: p } = srv.address() as net.AddressInfo;
        srv.close(() => resolve(p));
      });
    });
    if (port < 65535 && (await portFree(port + 1))) return port;
  }
}

interface Guard {
  /** swtpm has daemonised (or failed to): a signal that came meanwhile now takes effect. */
  started(): void;
  release(): void;
}

/**
 * From before swtpm starts until it is stopped or detached, a signal or exit of this process stops
 * the swtpm in `pidFile` first, then the signal does what it would have. While swtpm daemonises
 * its pid file may not exist yet: a signal then waits until it does.
 */
function guard(pidFile: string): Guard {
  let starting = true;
  let pending: NodeJS.Signals | undefined;
  const kill = () => {
    try { process.kill(Number(readFileSync(pidFile, 'utf8').trim()), 'SIGTERM'); } catch { /* not started, or already gone */ }
  };
  const die = (sig: NodeJS.Signals) => {
    release();
    kill();
    process.kill(process.pid, sig);
  };
  const onSignal = (sig: NodeJS.Signals) => {
    if (starting) pending ??= sig;
    else die(sig);
  };
  const release = () => {
    for (const sig of GUARDED_SIGNALS) process.off(sig, onSignal);
    process.off('exit', kill);
  };
  for (const sig of GUARDED_SIGNALS) process.on(sig, onSignal);
  process.on('exit', kill);
  return {
    started: () => {
      starting = false;
      if (pending) die(pending);
    },
    release,
  };
}

/** Stops a swtpm a killed run left serving `folder` (it holds the state's lock), and forgets its pid file. */
export async function stopLeftSwtpm(folder: string): Promise<void> {
  const pidFile = path.join(path.resolve(folder), 'swtpm.pid');
  const left = runningSwtpm(pidFile, path.join(path.resolve(folder), 'state'));
  if (left !== undefined) await stopPid(left);
  await fsp.rm(pidFile, { force: true });
}

/**
 * Starts swtpm on the state in `folder` (made if missing). A swtpm a killed run left serving this
 * folder is stopped first: it holds the state's lock.
 */
export async function startSwtpm(folder: string): Promise<Swtpm> {
  const stateDir = path.join(path.resolve(folder), 'state');
  const pidFile = path.join(path.resolve(folder), 'swtpm.pid');
  await makePrivateDir(stateDir);
  await stopLeftSwtpm(folder);
  const g = guard(pidFile);
  let lastError = '', missing = false;
  for (let attempt = 0; attempt < 5; attempt++) {
    const port = await freePortPair();
    try {
      await run('swtpm', ['socket', '--tpm2', '--tpmstate', `dir=${stateDir}`, '--server', `type=tcp,port=${port},bindaddr=127.0.0.1`,
        '--ctrl', `type=tcp,port=${port + 1},bindaddr=127.0.0.1`, '--flags', 'not-need-init,startup-clear', '--daemon', '--pid', `file=${pidFile}`]);
    } catch (e) {
      missing = (e as NodeJS.ErrnoException).code === 'ENOENT';
      lastError = (e as { stderr?: string }).stderr?.trim() || String(e);
      if (/in use/i.test(lastError)) continue;
      break;
    }
    g.started();
    const pid = Number(readFileSync(pidFile, 'utf8').trim());
    return {
      pid, port, pidFile,
      stop: async () => { g.release(); await stopPid(pid); },
      detach: g.release,
    };
  }
  g.started();
  g.release();
  if (missing) throw swtpmMissing();
  throw new KeyriteError('TPM_START_FAILED', `swtpm could not start on ${stateDir}: ${lastError}`, { action: 'Check that the folder is writable and that no other swtpm uses it.' });
}
