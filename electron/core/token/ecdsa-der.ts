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

function lengthBytes(len: number): number[] {
  return len < 0x80 ? [len] : [0x81, len];
}

function integer(bytes: Uint8Array): number[] {
  let i = 0;
  while (i < bytes.length - 1 && bytes[i] === 0) i++;
  const v = Array.from(bytes.subarray(i));
  if ((v[0] ?? 0) & 0x80) v.unshift(0);
  return [0x02, ...lengthBytes(v.length), ...v];
}

/** r||s (two halves of equal length) -> DER ECDSA-Sig-Value. */
export function ecdsaRawToDer(raw: Uint8Array): Uint8Array {
  if (raw.length === 0 || raw.length % 2 !== 0 || raw.length > 132) throw malformed(`r||s of ${raw.length} bytes`);
  const half = raw.length / 2;
  const body = [...integer(raw.subarray(0, half)), ...integer(raw.subarray(half))];
  return new Uint8Array([0x30, ...lengthBytes(body.length), ...body]);
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
