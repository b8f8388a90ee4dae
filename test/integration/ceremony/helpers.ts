import { execFileSync } from 'node:child_process';
import { Writable, Readable } from 'node:stream';
import path from 'node:path';
import type { CliIo } from '../../../electron/cli/command';

export const ROOT = path.resolve(__dirname, '../../..');
export const TEMPLATES = path.join(ROOT, 'resources/ceremonies');

/** Captures what a headless run prints; stdin is not a TTY, so a missing input fails the run. */
export function captureIo(): CliIo & { text: () => string } {
  let buf = '';
  const sink = new Writable({ write(chunk, _enc, cb) { buf += String(chunk); cb(); } });
  return { stdout: sink, stderr: sink, stdin: Readable.from([]), text: () => buf };
}

export function openssl(...args: string[]): string {
  return execFileSync('openssl', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

export function pkcs11Objects(confPath: string, label: string): string {
  return execFileSync('pkcs11-tool', ['--module', '/usr/lib/softhsm/libsofthsm2.so', '--token-label', label, '--login', '--pin', '123456', '-O'], {
    encoding: 'utf8', env: { ...process.env, SOFTHSM2_CONF: confPath }, stdio: ['ignore', 'pipe', 'pipe'],
  });
}
