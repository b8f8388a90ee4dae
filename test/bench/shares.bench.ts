import { randomBytes } from 'node:crypto';
import { combine, split } from 'shamir-secret-sharing';
import { makeEnvelope } from '../../electron/core/shares/envelope';
import { decodeShareWords, encodeShareWords } from '../../electron/core/shares/words';
import { decryptAgeShare, encryptShareToPassphrase } from '../../electron/core/shares/age-file';

function time(label: string, reps: number, fn: () => void): void {
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < reps; i++) fn();
  const us = Number(process.hrtime.bigint() - t0) / 1000 / reps;
  console.log(`${label.padEnd(44)} ${us.toFixed(1).padStart(10)} us/op`);
}

async function timeAsync(label: string, reps: number, fn: () => Promise<unknown>): Promise<void> {
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < reps; i++) await fn();
  const ms = Number(process.hrtime.bigint() - t0) / 1e6 / reps;
  console.log(`${label.padEnd(44)} ${ms.toFixed(1).padStart(10)} ms/op`);
}

export async function run(): Promise<void> {
  const key = new Uint8Array(randomBytes(32));
  await timeAsync('split 3-of-5 (32-byte key)', 200, () => split(new Uint8Array(key), 5, 3));
  await timeAsync('split 128-of-255', 5, () => split(new Uint8Array(key), 255, 128));
  const parts = await split(new Uint8Array(key), 5, 3);
  await timeAsync('combine 3 shares', 200, () => combine(parts.slice(0, 3)));
  const e = makeEnvelope({ ceremonyTag: '01020304', splitId: '0a0b0c0d', k: 3, n: 5, share: parts[0] as Uint8Array });
  const words = encodeShareWords(e);
  time('encode 37 words', 2000, () => encodeShareWords(e));
  time('decode 37 words (checks)', 2000, () => decodeShareWords(words));
  const typo = [...words];
  typo[20] = typo[20] === 'zoo' ? 'zone' : 'zoo';
  time('decode with one wrong word (locate + suggest)', 2000, () => {
    try {
      decodeShareWords(typo);
    } catch {
      // expected: the wrong word is named
    }
  });
  const file = await encryptShareToPassphrase(e, 'correct horse battery', {});
  await timeAsync('age encrypt (scrypt default work factor)', 3, () => encryptShareToPassphrase(e, 'correct horse battery', {}));
  await timeAsync('age decrypt (scrypt default work factor)', 3, () => decryptAgeShare(file, 'correct horse battery'));
}
