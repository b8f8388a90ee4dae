/**
 * verifySignature (token/verify.ts) answers false, never throws, whatever it is handed: its callers
 * (the runner checking each token signature, the verifier reading a transcript) treat a throw as a
 * crash, not as "this signature is not valid". Values that are not what the types say arrive from
 * decoded files and IPC; each must be a plain false.
 */
import { generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { SignatureScheme } from '../../../electron/core/token/types';
import { verifySignature } from '../../../electron/core/token/verify';

const spkiOf = (k: { publicKey: KeyObject }): Uint8Array => new Uint8Array(k.publicKey.export({ type: 'spki', format: 'der' }));
const data = new TextEncoder().encode('bytes the token signed');
const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const ed = generateKeyPairSync('ed25519');
const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });

describe('verifySignature never throws', () => {
  it('a scheme that is not a string: false', () => {
    const sig = sign('sha256', data, { key: ec.privateKey, dsaEncoding: 'der' });
    for (const scheme of [undefined, null, 42, { scheme: 'ecdsa-sha256' }]) {
      expect(verifySignature(spkiOf(ec), scheme as unknown as SignatureScheme, data, sig), String(scheme)).toBe(false);
    }
  });

  it('a signature or data that is not bytes: false, for every key type', () => {
    for (const [spki, scheme] of [[spkiOf(ec), 'ecdsa-sha256'], [spkiOf(ed), 'ed25519'], [spkiOf(rsa), 'rsa-pss-sha256'], [spkiOf(rsa), 'rsa-pkcs1-sha256']] as const) {
      for (const bad of [undefined, 7, { length: 64 }]) {
        expect(verifySignature(spki, scheme, data, bad as unknown as Uint8Array), `${scheme} sig ${String(bad)}`).toBe(false);
        expect(verifySignature(spki, scheme, bad as unknown as Uint8Array, new Uint8Array(64)), `${scheme} data ${String(bad)}`).toBe(false);
      }
    }
  });
});
