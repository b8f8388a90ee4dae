import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
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

/** Every file under dir (recursively), for scanning a ceremony folder for what must not be in it. */
export function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true }).filter((d) => d.isFile()).map((d) => path.join(d.parentPath, d.name));
}

/** The sealed folder holds no transcript signer key: neither a *.secret file nor the key text in any file. */
export function transcriptSecretsIn(dir: string): string[] {
  return filesUnder(dir).filter((f) => f.endsWith('.secret') || readFileSync(f).includes('PRIVATE+KEY+keyrite.transcript/'));
}

/** The private key objects pkcs11-tool lists, split into the transcript key(s) and the others. */
export function privateKeyObjects(objects: string): { transcript: string[]; others: string[] } {
  const privates = objects.split(/\n(?=\S)/).filter((b) => b.startsWith('Private Key Object'));
  const isTranscript = (b: string) => /label:\s+keyrite-transcript-/.test(b);
  return { transcript: privates.filter(isTranscript), others: privates.filter((b) => !isTranscript(b)) };
}

/**
 * The root-keygen template with Carol, Dan, Erin and Frank delivered as given and Grace's share
 * encrypted to her card key (PEM), her card named by label.
 */
export function rootKeygenWithGraceOnCard(gracePem: string, deliveries: { Erin: 'paper' | 'file'; Frank: 'paper' | 'file' }): string {
  const template = readFileSync(path.join(TEMPLATES, 'root-keygen.yaml'), 'utf8');
  const custodians = `    - { name: Carol, delivery: paper }
    - { name: Dan, delivery: paper }
    - { name: Erin, delivery: ${deliveries.Erin} }
    - { name: Frank, delivery: ${deliveries.Frank} }
    - name: Grace
      delivery: token
      recipient:
        token: { label: grace-card }
        publicKey: |
${gracePem.trim().split('\n').map((l) => `          ${l}`).join('\n')}
`;
  return template.replace(/ {4}- \{ name: Carol, delivery: paper \}\n[\s\S]*?- \{ name: Grace, delivery: paper \}\n/, custodians);
}
