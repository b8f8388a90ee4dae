/**
 * The inventory as a CycloneDX 1.6 CBOM: per key, its algorithm, the private key (NIST SP 800-57
 * state, dates, the token that secures it), the public key (SHA-256 fingerprint of its SPKI) and
 * its certificates. Only what the verified transcripts say; nothing is guessed.
 */
import { randomUUID } from 'node:crypto';
import type { Inventory, KeyRecord } from '../lifecycle/inventory';

const ALGORITHMS: Record<string, { name: string; primitive: string; curve?: string; size: number; security: number; oid: string }> = {
  'ec-p256': { name: 'ECDSA-P256', primitive: 'signature', curve: 'secp256r1', size: 256, security: 128, oid: '1.2.840.10045.2.1' },
  'ec-p384': { name: 'ECDSA-P384', primitive: 'signature', curve: 'secp384r1', size: 384, security: 192, oid: '1.2.840.10045.2.1' },
  'ec-p521': { name: 'ECDSA-P521', primitive: 'signature', curve: 'secp521r1', size: 521, security: 256, oid: '1.2.840.10045.2.1' },
  'rsa-3072': { name: 'RSA-3072', primitive: 'signature', size: 3072, security: 128, oid: '1.2.840.113549.1.1.1' },
  'rsa-4096': { name: 'RSA-4096', primitive: 'signature', size: 4096, security: 152, oid: '1.2.840.113549.1.1.1' },
  ed25519: { name: 'Ed25519', primitive: 'signature', curve: 'Ed25519', size: 255, security: 128, oid: '1.3.101.112' },
};

type Json = Record<string, unknown>;

function dateOf(k: KeyRecord, state: string): string | undefined {
  return k.history.find((h) => h.state === state)?.date;
}

function opt<T>(key: string, v: T | undefined): Record<string, T> {
  return v === undefined ? {} : { [key]: v };
}

/** A certificate's notAfter as RFC 3339 (the transcript may give a bare date). */
function dateTime(d: string): string {
  return /^\d{4}-\d{2}-\d{2}$/.test(d) ? `${d}T00:00:00Z` : new Date(d).toISOString();
}

function keyComponents(k: KeyRecord, algRefs: Map<string, Json>): Json[] {
  const alg = ALGORITHMS[k.algorithm];
  const algRef = `crypto/algorithm/${k.algorithm}`;
  if (alg && !algRefs.has(algRef)) {
    algRefs.set(algRef, {
      type: 'cryptographic-asset', 'bom-ref': algRef, name: alg.name,
      cryptoProperties: {
        assetType: 'algorithm', oid: alg.oid,
        algorithmProperties: { primitive: alg.primitive, ...opt('curve', alg.curve), executionEnvironment: 'hardware', implementationPlatform: 'unknown', cryptoFunctions: ['keygen', 'sign', 'verify'], classicalSecurityLevel: alg.security, nistQuantumSecurityLevel: 0 },
      },
    });
  }
  const tokens = k.tokens.map((t) => `${t.label} (serial ${t.serial})`);
  const updated = k.history[k.history.length - 1]?.date;
  const priv: Json = {
    type: 'cryptographic-asset', 'bom-ref': `crypto/key/${k.fingerprint}/private`, name: `${k.label} private key`,
    cryptoProperties: {
      assetType: 'related-crypto-material',
      relatedCryptoMaterialProperties: {
        type: 'private-key', id: k.id, state: k.state, ...(alg ? { algorithmRef: algRef, size: alg.size } : {}),
        ...opt('creationDate', dateOf(k, 'pre-activation')), ...opt('activationDate', dateOf(k, 'active')),
        ...opt('updateDate', updated), ...opt('expirationDate', k.rotationDue),
        format: 'PKCS#11 token object (CKA_ID hex)',
        securedBy: { mechanism: 'HSM' },
      },
    },
    properties: [
      { name: 'keyrite:class', value: k.class },
      ...tokens.map((t) => ({ name: 'keyrite:token', value: t })),
      ...k.backups.map((b) => ({ name: 'keyrite:backup', value: `${b.k}-of-${b.n} split ${b.splitId} ${b.status} (${b.custodians.join(', ')})` })),
    ],
  };
  const pub: Json = {
    type: 'cryptographic-asset', 'bom-ref': `crypto/key/${k.fingerprint}/public`, name: `${k.label} public key`,
    hashes: [{ alg: 'SHA-256', content: k.fingerprint }],
    cryptoProperties: {
      assetType: 'related-crypto-material',
      relatedCryptoMaterialProperties: { type: 'public-key', id: k.id, state: k.state, ...(alg ? { algorithmRef: algRef, size: alg.size } : {}), format: 'SubjectPublicKeyInfo (DER); hash is its SHA-256 fingerprint' },
    },
  };
  const certs = k.certificates.map((c): Json => ({
    type: 'cryptographic-asset', 'bom-ref': `crypto/certificate/${c.sha256}`, name: c.subject,
    hashes: [{ alg: 'SHA-256', content: c.sha256 }],
    cryptoProperties: {
      assetType: 'certificate',
      certificateProperties: {
        subjectName: c.subject, ...(alg ? { signatureAlgorithmRef: algRef } : {}), subjectPublicKeyRef: `crypto/key/${k.fingerprint}/public`,
        ...opt('notValidAfter', c.notAfter ? dateTime(c.notAfter) : undefined), certificateFormat: 'X.509',
      },
    },
    properties: [{ name: 'keyrite:role', value: c.role }, { name: 'keyrite:serial', value: c.serial }],
  }));
  return [priv, pub, ...certs];
}

export function inventoryToCbom(inv: Inventory, tool: { version: string }): Json {
  const algRefs = new Map<string, Json>();
  const keys = inv.keys.flatMap((k) => keyComponents(k, algRefs));
  return {
    bomFormat: 'CycloneDX', specVersion: '1.6', serialNumber: `urn:uuid:${randomUUID()}`, version: 1,
    metadata: { timestamp: inv.generatedAt, tools: { components: [{ type: 'application', name: 'keyrite', version: tool.version }] } },
    components: [...algRefs.values(), ...keys],
  };
}
