/**
 * Weak subject keys are refused before anything is signed for them (BR 6.1.1.3, 6.1.5, 6.1.6):
 * RSA below 2048 bits or not a multiple of 8, an exponent outside 65537..2^256-1 or even, a
 * modulus whose factors are close enough for Fermat's method, the ROCA (CVE-2017-15361)
 * fingerprint, an EC point that is not on its curve, and any other key type.
 */
import { createPublicKey } from 'node:crypto';
import { AsnConvert } from '@peculiar/asn1-schema';
import { ECParameters } from '@peculiar/asn1-ecc';
import { SubjectPublicKeyInfo } from '@peculiar/asn1-x509';
import { KeyriteError } from '../util/errors';

export type WeakKeyCheck = 'key-type' | 'rsa-size' | 'rsa-exponent' | 'fermat' | 'roca' | 'ec-point';

function weak(check: WeakKeyCheck, message: string): KeyriteError {
  return new KeyriteError('WEAK_KEY', message, { action: 'Refuse this request: ask the requester for a new key pair made on a sound generator.', details: { check } });
}

const bytesToBig = (b: Uint8Array): bigint => (b.length ? BigInt(`0x${Buffer.from(b).toString('hex')}`) : 0n);

function isqrt(n: bigint): bigint {
  if (n < 2n) return n;
  let x = 1n << BigInt(Math.ceil(n.toString(2).length / 2));
  for (;;) {
    const y = (x + n / x) >> 1n;
    if (y >= x) return x;
    x = y;
  }
}

/** Fermat's method from ceil(sqrt(n)): finds p and q in these rounds when |p - q| is small (close primes from a bad generator). */
const FERMAT_ROUNDS = 100;
function fermatFactor(n: bigint): bigint | undefined {
  let a = isqrt(n);
  if (a * a < n) a += 1n;
  for (let i = 0; i < FERMAT_ROUNDS; i++, a += 1n) {
    const b2 = a * a - n;
    const b = isqrt(b2);
    if (b * b === b2) return a - b;
  }
  return undefined;
}

/**
 * ROCA: Infineon's primes are k*M + (65537^a mod M), M the product of small primes, so n mod each
 * of these primes lies in the subgroup 65537 generates. A sound modulus lands there for all of
 * them with negligible probability (the test published with the attack checks the same).
 */
const ROCA_PRIMES = [3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37, 41, 43, 47, 53, 59, 61, 67, 71, 73, 79, 83, 89, 97, 101, 103, 107, 109, 113, 127, 131, 137, 139, 149, 151, 157, 163, 167];
const ROCA_SUBGROUPS = ROCA_PRIMES.map((p) => {
  const set = new Set<number>();
  for (let x = 1; !set.has(x); x = (x * (65537 % p)) % p) set.add(x);
  return set;
});
function rocaFingerprint(n: bigint): boolean {
  return ROCA_PRIMES.every((p, i) => ROCA_SUBGROUPS[i]?.has(Number(n % BigInt(p))));
}

function checkRsa(n: bigint, e: bigint): void {
  const bits = n.toString(2).length;
  if (bits < 2048 || bits % 8 !== 0) throw weak('rsa-size', `The RSA key is ${bits} bits; at least 2048 bits, a multiple of 8, is required (BR 6.1.5).`);
  if (e % 2n === 0n || e < 65537n || e >= 1n << 256n) throw weak('rsa-exponent', `The RSA public exponent ${e} is not odd and within 65537..2^256-1 (BR 6.1.6).`);
  const p = fermatFactor(n);
  if (p !== undefined) throw weak('fermat', `The RSA modulus factors by Fermat's method (its primes are too close, p = ${p.toString(16).slice(0, 16)}...): the private key is known.`);
  if (rocaFingerprint(n)) throw weak('roca', 'The RSA modulus has the ROCA fingerprint (CVE-2017-15361, Infineon RSALib): the private key can be computed.');
}

/** Curve parameters (SEC 2 / FIPS 186-4): y^2 = x^3 - 3x + b over GF(p). */
const CURVES: Record<string, { p: bigint; b: bigint; size: number }> = {
  '1.2.840.10045.3.1.7': { p: 2n ** 256n - 2n ** 224n + 2n ** 192n + 2n ** 96n - 1n, b: 0x5ac635d8aa3a93e7b3ebbd55769886bc651d06b0cc53b0f63bce3c3e27d2604bn, size: 32 },
  '1.3.132.0.34': { p: 2n ** 384n - 2n ** 128n - 2n ** 96n + 2n ** 32n - 1n, b: 0xb3312fa7e23ee7e4988e056be3f82d19181d9c6efe8141120314088f5013875ac656398d8a2ed19d2a85c8edd3ec2aefn, size: 48 },
  '1.3.132.0.35': { p: 2n ** 521n - 1n, b: 0x0051953eb9618e1c9a1f929a21a0b68540eea2da725b99b315f3b8b489918ef109e156193951ec7e937b1652c0bd3bb1bf073573df883d2c34f1ef451fd46b503f00n, size: 66 },
};

function checkEcPoint(curveOid: string, point: Uint8Array): void {
  const c = CURVES[curveOid];
  if (!c) throw weak('key-type', `The EC key is on curve ${curveOid}; only P-256, P-384 and P-521 are allowed (BR 6.1.5).`);
  if (point.length !== 1 + 2 * c.size || point[0] !== 0x04) throw weak('ec-point', 'The EC public key is not an uncompressed point of its curve\'s size.');
  const x = bytesToBig(point.subarray(1, 1 + c.size));
  const y = bytesToBig(point.subarray(1 + c.size));
  const mod = (v: bigint) => ((v % c.p) + c.p) % c.p;
  if (x >= c.p || y >= c.p || mod(y * y) !== mod(x * x * x - 3n * x + c.b)) throw weak('ec-point', 'The EC public key is not a point on its curve (an invalid-curve key).');
}

/** Throws WEAK_KEY (details.check names which test) unless the SubjectPublicKeyInfo is a sound RSA or ECDSA key. */
export function assertStrongKey(spki: Uint8Array): void {
  let info: SubjectPublicKeyInfo;
  try {
    info = AsnConvert.parse(new Uint8Array(spki), SubjectPublicKeyInfo);
  } catch (e) {
    throw weak('key-type', `The public key cannot be read: ${(e as Error).message}`);
  }
  const alg = info.algorithm.algorithm;
  if (alg === '1.2.840.10045.2.1') {
    const curve = info.algorithm.parameters ? AsnConvert.parse(info.algorithm.parameters, ECParameters).namedCurve ?? '' : '';
    checkEcPoint(curve, new Uint8Array(info.subjectPublicKey));
    return;
  }
  if (alg !== '1.2.840.113549.1.1.1') throw weak('key-type', `The key algorithm ${alg} is not RSA or ECDSA (BR 6.1.5).`);
  const jwk = createPublicKey({ key: Buffer.from(spki), format: 'der', type: 'spki' }).export({ format: 'jwk' });
  checkRsa(bytesToBig(Buffer.from(jwk.n ?? '', 'base64url')), bytesToBig(Buffer.from(jwk.e ?? '', 'base64url')));
}
