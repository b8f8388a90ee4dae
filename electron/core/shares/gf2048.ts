/**
 * GF(2^11) arithmetic for the word checksum: one field element per BIP-39 word (11 bits), so a
 * Reed-Solomon check over words detects any single wrong word and tells which one it is.
 * Field polynomial x^11 + x^2 + 1 (0x805), which is primitive: alpha = x generates all 2047
 * non-zero elements (asserted when the tables are built).
 */
const ORDER = 2047;
const POLY = 0x805;

const EXP = new Uint16Array(ORDER * 2);
const LOG = new Int32Array(ORDER + 1).fill(-1);

(function buildTables() {
  let v = 1;
  for (let i = 0; i < ORDER; i++) {
    if (LOG[v] !== -1) throw new Error('GF(2^11) polynomial is not primitive');
    EXP[i] = v;
    EXP[i + ORDER] = v;
    LOG[v] = i;
    v <<= 1;
    if (v & 0x800) v ^= POLY;
  }
})();

export function gfMul(a: number, b: number): number {
  if (a === 0 || b === 0) return 0;
  return EXP[(LOG[a] ?? 0) + (LOG[b] ?? 0)] ?? 0;
}

export function gfDiv(a: number, b: number): number {
  if (b === 0) throw new RangeError('division by zero in GF(2^11)');
  if (a === 0) return 0;
  return EXP[((LOG[a] ?? 0) - (LOG[b] ?? 0) + ORDER) % ORDER] ?? 0;
}

export function gfPow(i: number): number {
  return EXP[((i % ORDER) + ORDER) % ORDER] ?? 0;
}

export function gfLog(a: number): number {
  return LOG[a] ?? -1;
}

/** Syndromes S0 = sum c_i, S1 = sum c_i * alpha^i; both zero for a valid codeword. */
export function syndromes(c: readonly number[]): [number, number] {
  let s0 = 0;
  let s1 = 0;
  c.forEach((v, i) => {
    s0 ^= v;
    s1 ^= gfMul(v, gfPow(i));
  });
  return [s0, s1];
}

/** Appends the two check symbols that make `data` a codeword. */
export function addChecks(data: readonly number[]): number[] {
  const m = data.length;
  const [a, b] = syndromes(data);
  // Solve c_m + c_{m+1} = A and c_m a^m + c_{m+1} a^{m+1} = B (addition is XOR).
  const am = gfPow(m);
  const am1 = gfPow(m + 1);
  const cm1 = gfDiv(b ^ gfMul(a, am), am ^ am1);
  const cm = a ^ cm1;
  return [...data, cm, cm1];
}

/**
 * For a word sequence whose syndromes are not zero: the position of the single wrong symbol and
 * the value that would fix it, or undefined if the damage is not one symbol (swaps, several errors).
 */
export function locateSingleError(c: readonly number[]): { position: number; fixed: number } | undefined {
  const [s0, s1] = syndromes(c);
  if (s0 === 0 || s1 === 0) return undefined;
  const position = (gfLog(s1) - gfLog(s0) + ORDER) % ORDER;
  if (position >= c.length) return undefined;
  return { position, fixed: (c[position] ?? 0) ^ s0 };
}
