import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { bytesToSymbols } from '../../../electron/core/shares/words';
import { wordlist } from '@scure/bip39/wordlists/english.js';

/** Every file under dir (recursively). */
export function allFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = path.join(dir, name);
    return statSync(p).isDirectory() ? allFiles(p) : [p];
  });
}

const B32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
function base32(bytes: Uint8Array): string {
  let out = '';
  let acc = 0;
  let bits = 0;
  for (const b of bytes) {
    acc = (acc << 8) | b;
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      out += B32[(acc >> bits) & 31];
    }
    acc &= (1 << bits) - 1;
  }
  return out;
}

/**
 * Forms the wrapping key could take in a file: raw bytes, hex (both cases), base64, base64url,
 * base32, and BIP-39 words (as Keyrite would write them, 11 bits per word). Searching for a 16-byte
 * window of each catches partial leaks too.
 */
export function keyEncodings(key: Uint8Array): { name: string; needle: Buffer }[] {
  const out: { name: string; needle: Buffer }[] = [];
  for (const [start, end] of [[0, 32], [0, 16], [16, 32]] as const) {
    const part = Buffer.from(key.subarray(start, end));
    out.push({ name: `raw[${start}:${end}]`, needle: part });
    out.push({ name: `hex[${start}:${end}]`, needle: Buffer.from(part.toString('hex')) });
    out.push({ name: `HEX[${start}:${end}]`, needle: Buffer.from(part.toString('hex').toUpperCase()) });
  }
  const b64 = Buffer.from(key).toString('base64');
  out.push({ name: 'base64', needle: Buffer.from(b64.slice(0, 40)) });
  out.push({ name: 'base64url', needle: Buffer.from(Buffer.from(key).toString('base64url').slice(0, 40)) });
  out.push({ name: 'base32', needle: Buffer.from(base32(key).slice(0, 48)) });
  const words = bytesToSymbols(key).map((i) => wordlist[i] ?? '');
  out.push({ name: 'words', needle: Buffer.from(words.slice(0, 8).join(' ')) });
  return out;
}

export function findLeaks(files: string[], key: Uint8Array): string[] {
  const needles = keyEncodings(key);
  const leaks: string[] = [];
  for (const f of files) {
    const data = readFileSync(f);
    // Share sheets number their words; compare words with the numbers taken out as well.
    const squeezed = Buffer.from(data.toString('latin1').replace(/\s*\d+\.\s*/g, ' ').replace(/\s+/g, ' '), 'latin1');
    for (const n of needles) if (data.includes(n.needle) || squeezed.includes(n.needle)) leaks.push(`${f}: ${n.name}`);
  }
  return leaks;
}
