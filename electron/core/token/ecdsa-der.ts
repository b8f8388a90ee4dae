/**
 * The one ECDSA signature codec: PKCS#11 gives r||s, X.509, OpenSSL and signed notes want DER
 * (ECDSA-Sig-Value, RFC 3279 2.2.3), WebCrypto wants r||s again. Decoding is strict DER: minimal
 * lengths, minimal positive non-zero INTEGERs, nothing after the SEQUENCE, so one signature has one
 * encoding (test/unit/token/ecdsa-der.test.ts fuzzes it).
 */
import { KeyriteError } from '../util/errors';

function malformed(what: string): KeyriteError {
  return new KeyriteError('SIGNATURE_MALFORMED', `The ECDSA signature is not valid DER: ${what}.`, { action: 'Check the token; try the signing step again.' });
}

/** Index of the first byte of the minimal unsigned encoding of `v` (keeps one byte of an all-zero value). */
function firstSignificant(v: Uint8Array): number {
  let i = 0;
  while (i < v.length - 1 && v[i] === 0) i++;
  return i;
}

/** Writes an INTEGER holding the unsigned value v[from..] at `at`; returns where the next field starts. */
function writeInteger(out: Uint8Array, at: number, v: Uint8Array, from: number, len: number): number {
  out[at++] = 0x02;
  if (len >= 0x80) out[at++] = 0x81;
  out[at++] = len;
  // A set high bit would read as negative: a leading zero keeps it positive.
  if (len > v.length - from) out[at++] = 0;
  out.set(v.subarray(from), at);
  return at + v.length - from;
}

/**
 * r||s (two halves of equal length) -> DER ECDSA-Sig-Value. Written into one preallocated buffer:
 * it runs once per signature, and a bulk signMany spends a measurable share of its time here.
 */
export function ecdsaRawToDer(raw: Uint8Array): Uint8Array {
  if (raw.length === 0 || raw.length % 2 !== 0 || raw.length > 132) throw malformed(`r||s of ${raw.length} bytes`);
  const half = raw.length / 2;
  const r = raw.subarray(0, half);
  const s = raw.subarray(half);
  const rFrom = firstSignificant(r);
  const sFrom = firstSignificant(s);
  const rLen = half - rFrom + (((r[rFrom] ?? 0) & 0x80) ? 1 : 0);
  const sLen = half - sFrom + (((s[sFrom] ?? 0) & 0x80) ? 1 : 0);
  const head = (len: number): number => (len < 0x80 ? 2 : 3);
  const body = head(rLen) + rLen + head(sLen) + sLen;
  const out = new Uint8Array(head(body) + body);
  let at = 0;
  out[at++] = 0x30;
  if (body >= 0x80) out[at++] = 0x81;
  out[at++] = body;
  at = writeInteger(out, at, r, rFrom, rLen);
  writeInteger(out, at, s, sFrom, sLen);
  return out;
}

/** Reads a definite, minimally encoded length at `at`; returns [length, bytes used]. */
function readLength(der: Uint8Array, at: number): [number, number] {
  const first = der[at];
  if (first === undefined) throw malformed('it ends inside a length');
  if (first < 0x80) return [first, 1];
  if (first !== 0x81) throw malformed('a length is not in short or one-byte long form');
  const len = der[at + 1];
  if (len === undefined || len < 0x80) throw malformed('a length is not minimally encoded');
  return [len, 2];
}

/** DER ECDSA-Sig-Value -> r||s, each left-padded to `size` bytes (32 for P-256, 48 P-384, 66 P-521). */
export function ecdsaDerToRaw(der: Uint8Array, size: number): Uint8Array {
  if (der[0] !== 0x30) throw malformed('it does not start with a SEQUENCE');
  const [seqLen, seqHead] = readLength(der, 1);
  let off = 1 + seqHead;
  if (off + seqLen !== der.length) throw malformed('the SEQUENCE length does not match the bytes given');
  const out = new Uint8Array(size * 2);
  for (let part = 0; part < 2; part++) {
    if (der[off] !== 0x02) throw malformed(`${part === 0 ? 'r' : 's'} is not an INTEGER`);
    const [len, head] = readLength(der, off + 1);
    off += 1 + head;
    const v = der.subarray(off, off + len);
    if (len === 0 || v.length !== len) throw malformed(`${part === 0 ? 'r' : 's'} is empty or cut short`);
    if ((v[0] ?? 0) & 0x80) throw malformed(`${part === 0 ? 'r' : 's'} is negative`);
    if (v[0] === 0 && (len === 1 || ((v[1] ?? 0) & 0x80) === 0)) throw malformed(`${part === 0 ? 'r' : 's'} has a needless leading zero or is zero`);
    const value = v[0] === 0 ? v.subarray(1) : v;
    if (value.length > size) throw malformed(`${part === 0 ? 'r' : 's'} is longer than the curve allows`);
    out.set(value, part * size + (size - value.length));
    off += len;
  }
  if (off !== der.length) throw malformed('bytes follow the two INTEGERs');
  return out;
}
