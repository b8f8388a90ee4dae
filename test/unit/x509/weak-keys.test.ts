/**
 * Each weak-key check refuses a known weak key, made here with the weakness on purpose: RSA-1024,
 * exponent 3, primes close enough for Fermat, a ROCA-structured modulus (primes k*M + 65537^a mod M,
 * as Infineon's RSALib made them), and an EC point moved off its curve. A CSR with a weak key is
 * refused by the issuing path before anything is signed.
 */
import { checkPrimeSync, createPrivateKey, createPublicKey, generateKeyPairSync, randomBytes, webcrypto } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import * as x509 from '../../../electron/core/x509/lib';
import { readCsr } from '../../../electron/core/x509/certificates';
import { assertStrongKey } from '../../../electron/core/x509/weak-keys';
import { tempDir } from '../../helpers/softhsm';

const tmp = tempDir('keyrite-weak-keys-');
afterAll(() => tmp.cleanup());

const b64u = (n: bigint) => Buffer.from(n.toString(16).padStart(Math.ceil(n.toString(16).length / 2) * 2, '0'), 'hex').toString('base64url');
const big = (bytes: number) => BigInt(`0x${randomBytes(bytes).toString('hex')}`);
function nextPrime(n: bigint): bigint {
  let c = n | 1n;
  while (!checkPrimeSync(c)) c += 2n;
  return c;
}
function modPow(b: bigint, e: bigint, m: bigint): bigint {
  let r = 1n;
  for (b %= m; e > 0n; e >>= 1n, b = (b * b) % m) if (e & 1n) r = (r * b) % m;
  return r;
}
function modInv(a: bigint, m: bigint): bigint {
  let [r0, r1, s0, s1] = [a % m, m, 1n, 0n];
  while (r1 !== 0n) { const q = r0 / r1; [r0, r1] = [r1, r0 - q * r1]; [s0, s1] = [s1, s0 - q * s1]; }
  return ((s0 % m) + m) % m;
}
function rsaSpki(n: bigint, e = 65537n): Uint8Array {
  return new Uint8Array(createPublicKey({ key: { kty: 'RSA', n: b64u(n), e: b64u(e) }, format: 'jwk' }).export({ type: 'spki', format: 'der' }));
}
function privateJwk(p: bigint, q: bigint, e = 65537n) {
  const n = p * q;
  const d = modInv(e, (p - 1n) * (q - 1n));
  return { kty: 'RSA', n: b64u(n), e: b64u(e), d: b64u(d), p: b64u(p), q: b64u(q), dp: b64u(d % (p - 1n)), dq: b64u(d % (q - 1n)), qi: b64u(modInv(q, p)) };
}
const spkiOf = (k: ReturnType<typeof generateKeyPairSync>['publicKey']) => new Uint8Array(k.export({ type: 'spki', format: 'der' }));
const checkOf = (f: () => unknown) => { try { f(); return 'passed'; } catch (e) { return (e as { code: string; details?: { check?: string } }).code === 'WEAK_KEY' ? (e as { details: { check: string } }).details.check : String(e); } };

/** ROCA: p = k*M + (65537^a mod M), M the primorial of the primes up to 167 (Infineon's structure, for 2048-bit keys). */
const M = [3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37, 41, 43, 47, 53, 59, 61, 67, 71, 73, 79, 83, 89, 97, 101, 103, 107, 109, 113, 127, 131, 137, 139, 149, 151, 157, 163, 167].reduce((m, p) => m * BigInt(p), 2n);
/** p in [2^1023.5, 2^1024), so that a product of two is exactly 2048 bits. */
const LOW = 0xb504f333f9de6484n << 960n;
function rocaPrime(): bigint {
  const kMin = LOW / M + 1n;
  const kSpan = (1n << 1024n) / M - kMin;
  for (;;) {
    const p = (kMin + (big(120) % kSpan)) * M + modPow(65537n, big(8), M);
    if (checkPrimeSync(p)) return p;
  }
}

describe('weak keys are refused', () => {
  it('sound keys pass: RSA-2048 e=65537, P-256, P-384, P-521', () => {
    expect(checkOf(() => assertStrongKey(spkiOf(generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey)))).toBe('passed');
    for (const c of ['P-256', 'P-384', 'P-521']) expect(checkOf(() => assertStrongKey(spkiOf(generateKeyPairSync('ec', { namedCurve: c }).publicKey)))).toBe('passed');
  });

  it('RSA-1024 (rsa-size)', () => {
    expect(checkOf(() => assertStrongKey(spkiOf(generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey)))).toBe('rsa-size');
  });

  it('RSA exponent 3 (rsa-exponent)', () => {
    expect(checkOf(() => assertStrongKey(spkiOf(generateKeyPairSync('rsa', { modulusLength: 2048, publicExponent: 3 }).publicKey)))).toBe('rsa-exponent');
  });

  it('primes close together (fermat)', () => {
    const p = nextPrime(big(128) | LOW);
    const q = nextPrime(p + 2n + (big(4) << 1n));
    expect(checkOf(() => assertStrongKey(rsaSpki(p * q)))).toBe('fermat');
  });

  it('a ROCA-structured modulus (roca), while a sound one of the same size passes', () => {
    const n = rocaPrime() * rocaPrime();
    expect(n.toString(2).length).toBe(2048);
    expect(checkOf(() => assertStrongKey(rsaSpki(n)))).toBe('roca');
    expect(checkOf(() => assertStrongKey(rsaSpki(nextPrime(big(128) | LOW) * nextPrime(big(128) | LOW))))).toBe('passed');
  });

  it('an EC point moved off its curve (ec-point), and an Ed25519 key (key-type)', () => {
    const spki = spkiOf(generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey);
    spki[spki.length - 1] = (spki[spki.length - 1] ?? 0) ^ 0x01;
    expect(checkOf(() => assertStrongKey(spki))).toBe('ec-point');
    expect(checkOf(() => assertStrongKey(spkiOf(generateKeyPairSync('ed25519').publicKey)))).toBe('key-type');
  });

  it('a CSR carrying a ROCA key is refused by the issuing path (readCsr), one made by OpenSSL with RSA-1024 too', async () => {
    const p = rocaPrime();
    const q = rocaPrime();
    const key = await webcrypto.subtle.importKey('jwk', privateJwk(p, q), { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' }, false, ['sign']);
    const pub = await webcrypto.subtle.importKey('spki', rsaSpki(p * q), { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' }, true, ['verify']);
    const csr = await x509.Pkcs10CertificateRequestGenerator.create({ name: 'CN=Weak', keys: { privateKey: key, publicKey: pub }, signingAlgorithm: { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' } }, webcrypto as unknown as Crypto);
    expect(createPrivateKey({ key: privateJwk(p, q), format: 'jwk' }).asymmetricKeyType).toBe('rsa');
    await expect(readCsr(csr.toString('pem'))).rejects.toMatchObject({ code: 'WEAK_KEY', details: { check: 'roca' } });
    const file = path.join(tmp.dir, 'weak.csr');
    execFileSync('openssl', ['req', '-new', '-newkey', 'rsa:1024', '-nodes', '-keyout', path.join(tmp.dir, 'weak.key'), '-out', file, '-subj', '/CN=weak'], { stdio: 'ignore' });
    await expect(readCsr(readFileSync(file, 'utf8'))).rejects.toMatchObject({ code: 'WEAK_KEY', details: { check: 'rsa-size' } });
  });
});
