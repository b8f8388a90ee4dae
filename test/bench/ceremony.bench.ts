/**
 * Wall time of a full root-keygen rehearsal (EC P-384, 3-of-5 backup, root certificate, transcript,
 * checkpoints, report) and its verification, split into token work (time spent waiting on the
 * token host: every TokenApi call, including process start-up) and Keyrite's own work.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable, Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { runHeadless } from '../../electron/core/ceremony/headless';
import { verifyTranscript } from '../../electron/core/transcript/verify';
import { createTokenClient } from '../../electron/core/token/client';
import type { TokenApi } from '../../electron/core/token/types';
import { decryptAgeShare, encryptShareToPassphrase, type ShareEnvelope } from '../../electron/core/shares';

const here = path.dirname(fileURLToPath(import.meta.url));
const TEMPLATES = path.resolve(here, '../../resources/ceremonies');

async function once(): Promise<{ total: number; token: number; provision: number; verify: number; calls: Record<string, number> }> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'keyrite-bench-ceremony-'));
  let token = 0;
  const calls: Record<string, number> = {};
  const sink = new Writable({ write(_c, _e, cb) { cb(); } });
  try {
    const t0 = performance.now();
    let provisionEnd = 0;
    await runHeadless({
      scriptFile: path.join(TEMPLATES, 'root-keygen.yaml'), outDir: path.join(dir, 'out'), rehearsal: true,
      inputsFile: path.join(TEMPLATES, 'root-keygen.rehearsal.yaml'), io: { stdout: sink, stderr: sink, stdin: Readable.from([]) },
      tokenFactory: async ({ modulePath, env }) => {
        provisionEnd = performance.now();
        const client = createTokenClient({ modulePath, env });
        const timed = new Proxy(client, {
          get(target, prop, receiver) {
            const v = Reflect.get(target, prop, receiver) as unknown;
            if (typeof v !== 'function' || prop === 'close') return v;
            return async (...args: unknown[]) => {
              const s = performance.now();
              try { return await (v as (...a: unknown[]) => Promise<unknown>).apply(target, args); } finally {
                const ms = performance.now() - s;
                token += ms;
                calls[String(prop)] = (calls[String(prop)] ?? 0) + ms;
              }
            };
          },
        });
        return timed as TokenApi & { close: () => Promise<void> };
      },
    });
    const runEnd = performance.now();
    const report = await verifyTranscript(path.join(dir, 'out'));
    if (!report.valid) throw new Error(`bench transcript invalid: ${report.failure?.message}`);
    const end = performance.now();
    return { total: runEnd - t0, token, provision: provisionEnd - t0, verify: end - runEnd, calls };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function run(): Promise<void> {
  const rounds = 3;
  const results: Awaited<ReturnType<typeof once>>[] = [];
  for (let i = 0; i < rounds; i++) results.push(await once());
  const med = (f: (r: (typeof results)[number]) => number) => results.map(f).sort((a, b) => a - b)[Math.floor(rounds / 2)] ?? 0;
  const total = med((r) => r.total);
  const tokenMs = med((r) => r.token);
  const provision = med((r) => r.provision);
  console.log(`root-keygen rehearsal, EC P-384, 3-of-5, root certificate, ${rounds} runs (median):`);
  console.log(`  ceremony run wall time        ${total.toFixed(0)} ms`);
  console.log(`    token provisioning (softhsm2-util --init-token)  ${provision.toFixed(0)} ms`);
  console.log(`    token calls (token host, incl. its start-up)     ${tokenMs.toFixed(0)} ms`);
  console.log(`    Keyrite's own work (journal+fsync, checkpoints, X.509, shares, files)  ${(total - tokenMs - provision).toFixed(0)} ms`);
  // The template's file custodian (Frank): his share is encrypted to his passphrase and opened again
  // at the check, two scrypt derivations at age's default work factor, deliberately slow.
  const t0 = performance.now();
  const share = new Uint8Array(33).fill(7);
  share[32] = 4;
  const envelope: ShareEnvelope = { version: 1, ceremonyTag: '0badcafe', splitId: '00c0ffee', k: 3, n: 5, x: 4, share };
  await decryptAgeShare(await encryptShareToPassphrase(envelope, 'bench passphrase for frank'), 'bench passphrase for frank');
  console.log(`      of which the file custodian's age file (scrypt logN 18, written and opened again), measured apart  ${(performance.now() - t0).toFixed(0)} ms`);
  console.log(`  keyrite verify of the result  ${med((r) => r.verify).toFixed(0)} ms`);
  const last = results[results.length - 1]!;
  console.log(`  token time by call (last run): ${Object.entries(last.calls).sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k} ${v.toFixed(0)}`).join(', ')} ms`);
}
