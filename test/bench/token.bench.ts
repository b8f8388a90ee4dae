/**
 * Token layer speed, in one run on one SoftHSM2 token:
 *  - ECDSA P-256 signatures per second through Keyrite (TokenClient -> token host process -> pkcs11js)
 *    and through a raw pkcs11js loop in this process, and their ratio;
 *  - the p99 event-loop delay of this process while the host generates an RSA-4096 key (and, for
 *    contrast, while pkcs11js generates one synchronously in this process).
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { createTokenClient } from '../../electron/core/token/client';
import { pkcs11 } from '../../electron/core/token/pkcs11js';
import { createRehearsalToken } from '../../electron/core/token/rehearsal';

const PIN = '123456';

/** `perCall`: signatures one call of fn makes (a batch), so every row counts signatures per second. */
type Sampler = { label: string; depth: number; perCall?: number; fn: () => Promise<unknown> | unknown };

interface Rate {
  median: number;
  /** Signatures per second in each round, in round order (rounds alternate between methods). */
  rounds: number[];
}

/**
 * Other work on the machine changes speed from second to second, so the methods take turns in short
 * rounds and each reports its median round: a fair comparison within one run.
 */
async function compare(samplers: Sampler[], rounds = 9, roundMs = 400): Promise<Rate[]> {
  const perRound: number[][] = samplers.map(() => []);
  for (const s of samplers) for (let i = 0; i < 30; i++) await s.fn();
  for (let r = 0; r < rounds; r++) {
    for (const [i, s] of samplers.entries()) {
      let n = 0;
      const start = performance.now();
      const worker = async (): Promise<void> => {
        while (performance.now() - start < roundMs) {
          await s.fn();
          n++;
        }
      };
      await Promise.all(Array.from({ length: s.depth }, worker));
      perRound[i]?.push((n * (s.perCall ?? 1) * 1000) / (performance.now() - start));
    }
  }
  return perRound.map((xs, i) => {
    const sorted = [...xs].sort((a, b) => a - b);
    const median = sorted[Math.floor(sorted.length / 2)] ?? 0;
    console.log(`  ${(samplers[i]?.label ?? '').padEnd(48)} ${median.toFixed(0).padStart(6)} signatures/s  (median of ${rounds} rounds; range ${sorted[0]?.toFixed(0)}-${sorted.at(-1)?.toFixed(0)})`);
    return { median, rounds: xs };
  });
}

/** Each round's ratio a/b (the two ran back to back, under the same load), as min / median / max over the rounds. */
function ratioSpread(a: Rate, b: Rate): string {
  const r = a.rounds.map((x, i) => x / (b.rounds[i] ?? Number.NaN)).sort((x, y) => x - y);
  const f = (x: number | undefined): string => (x ?? Number.NaN).toFixed(2);
  return `${f(r[0])} / ${f(r[Math.floor(r.length / 2)])} / ${f(r.at(-1))} (min / median / max over ${r.length} rounds)`;
}

async function loopDelayDuring(work: () => Promise<unknown>): Promise<{ p99: number; max: number; ms: number }> {
  const h = monitorEventLoopDelay({ resolution: 10 });
  h.enable();
  // Let the sampling timer start first; otherwise a block that begins at once is never sampled.
  await new Promise((r) => setTimeout(r, 100));
  const start = performance.now();
  await work();
  const ms = performance.now() - start;
  // One more turn so a delay that ended with the work is recorded.
  await new Promise((r) => setTimeout(r, 30));
  h.disable();
  return { p99: h.percentile(99) / 1e6, max: h.max / 1e6, ms };
}

export async function run(): Promise<void> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'keyrite-bench-'));
  try {
    const token = await createRehearsalToken({ dir, label: 'bench', pin: PIN });
    // The raw loop loads SoftHSM2 in this process, so it needs the same config as the host.
    process.env.SOFTHSM2_CONF = token.confPath;
    const client = createTokenClient({ modulePath: token.modulePath, env: token.env });
    const session = await client.openSession({ label: 'bench' }, { pin: PIN });
    const key = await client.generateKeyPair(session, { algorithm: 'ec-p256', label: 'bench-p256', id: 'be01', extractableForBackup: false });
    const data = new TextEncoder().encode('a checkpoint note body to sign');

    const raw = new pkcs11.PKCS11();
    raw.load(token.modulePath);
    raw.C_Initialize();
    const slot = raw.C_GetSlotList(true).find((s) => raw.C_GetTokenInfo(s).label.trim() === 'bench');
    if (!slot) throw new Error('bench token not found');
    const rs = raw.C_OpenSession(slot, pkcs11.CKF_SERIAL_SESSION | pkcs11.CKF_RW_SESSION);
    raw.C_Login(rs, pkcs11.CKU_USER, PIN);
    raw.C_FindObjectsInit(rs, [{ type: pkcs11.CKA_CLASS, value: pkcs11.CKO_PRIVATE_KEY }, { type: pkcs11.CKA_LABEL, value: 'bench-p256' }]);
    const [priv] = raw.C_FindObjects(rs, 1);
    raw.C_FindObjectsFinal(rs);
    if (!priv) throw new Error('bench key not found');
    const out = Buffer.alloc(256);

    console.log(`ECDSA P-256 (SHA-256 hashed in software, CKM_ECDSA on the token), SoftHSM2, ${os.cpus()[0]?.model ?? 'cpu'}`);
    // Distinct messages of the same length as `data`: one object repeated would be sent once (the
    // structured clone keeps references), hiding what a real batch costs to carry.
    const batch = (n: number): Uint8Array[] => Array.from({ length: n }, (_, i) => new TextEncoder().encode(`a checkpoint note body ${String(i).padStart(6, '0')}`));
    const [batch16, batch64, batch256] = [batch(16), batch(64), batch(256)];
    const rates = await compare([
      { label: 'Keyrite TokenClient (host process), one at a time', depth: 1, fn: () => client.sign(session, key, 'ecdsa-sha256', data) },
      { label: 'Keyrite TokenClient, 8 calls in flight', depth: 8, fn: () => client.sign(session, key, 'ecdsa-sha256', data) },
      { label: 'Keyrite signMany, 16 per call', depth: 1, perCall: 16, fn: () => client.signMany(session, key, 'ecdsa-sha256', batch16) },
      { label: 'Keyrite signMany, 64 per call, 2 calls in flight', depth: 2, perCall: 64, fn: () => client.signMany(session, key, 'ecdsa-sha256', batch64) },
      { label: 'Keyrite signMany, 256 per call, 2 calls in flight', depth: 2, perCall: 256, fn: () => client.signMany(session, key, 'ecdsa-sha256', batch256) },
      {
        label: 'raw pkcs11js loop in this process',
        depth: 1,
        fn: () => {
          const digest = createHash('sha256').update(data).digest();
          raw.C_SignInit(rs, { mechanism: pkcs11.CKM_ECDSA }, priv);
          return raw.C_Sign(rs, digest, out);
        },
      },
    ]);
    const [one, eight, many16, many64, many256, viaRaw] = rates as [Rate, Rate, Rate, Rate, Rate, Rate];
    console.log('  ratio Keyrite / raw pkcs11js loop (per-round ratios):');
    console.log(`    one at a time:                       ${ratioSpread(one, viaRaw)}`);
    console.log(`    8 in flight:                         ${ratioSpread(eight, viaRaw)}`);
    console.log(`    signMany, 16 per call:               ${ratioSpread(many16, viaRaw)}`);
    console.log(`    signMany, 64 per call, 2 in flight:  ${ratioSpread(many64, viaRaw)}`);
    console.log(`    signMany, 256 per call, 2 in flight: ${ratioSpread(many256, viaRaw)}  (target: batched >= 0.9)`);

    console.log('Event-loop delay of this process during RSA-4096 key generation:');
    const hosted = await loopDelayDuring(() => client.generateKeyPair(session, { algorithm: 'rsa-4096', label: 'bench-rsa', id: 'be02', extractableForBackup: false }));
    console.log(`  in the token host (Keyrite):        p99 ${hosted.p99.toFixed(1)} ms, max ${hosted.max.toFixed(1)} ms, generation took ${hosted.ms.toFixed(0)} ms`);
    const inline = await loopDelayDuring(async () => {
      raw.C_GenerateKeyPair(
        rs,
        { mechanism: pkcs11.CKM_RSA_PKCS_KEY_PAIR_GEN },
        [{ type: pkcs11.CKA_TOKEN, value: false }, { type: pkcs11.CKA_MODULUS_BITS, value: 4096 }, { type: pkcs11.CKA_PUBLIC_EXPONENT, value: Buffer.from([1, 0, 1]) }, { type: pkcs11.CKA_VERIFY, value: true }],
        [{ type: pkcs11.CKA_TOKEN, value: false }, { type: pkcs11.CKA_SIGN, value: true }, { type: pkcs11.CKA_SENSITIVE, value: true }],
      );
    });
    console.log(`  for contrast, sync pkcs11js inline:  p99 ${inline.p99.toFixed(1)} ms, max ${inline.max.toFixed(1)} ms, generation took ${inline.ms.toFixed(0)} ms`);

    raw.C_CloseSession(rs);
    raw.C_Finalize();
    await client.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
