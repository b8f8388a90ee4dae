import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  CompactRange, consistencyProof, inclusionProof, leafHash, merkleRoot, verifyConsistency, verifyInclusion,
} from '../../../electron/core/transcript/merkle';

interface Vectors { leaves_hex: string[]; leaf_hashes_hex: string[]; root_by_tree_size_hex: string[] }
const vectors = JSON.parse(readFileSync('/work/shared/vectors/merkle-rfc6962.json', 'utf8')) as Vectors;
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const leaves = vectors.leaves_hex.map((h) => leafHash(Buffer.from(h, 'hex')));

describe('RFC 6962 Merkle tree (shared vectors)', () => {
  it('hashes every leaf as in the vectors', () => {
    expect(leaves.map(hex)).toEqual(vectors.leaf_hashes_hex);
  });

  it('gives the root for every tree size, both by recursion and by compact range', () => {
    const range = new CompactRange();
    vectors.root_by_tree_size_hex.forEach((root, size) => {
      expect(hex(merkleRoot(leaves, size))).toBe(root);
      expect(hex(range.root())).toBe(root);
      if (size < leaves.length) range.append(leaves[size] as Uint8Array);
    });
  });

  it('proves and verifies inclusion of every leaf in every tree, and rejects altered proofs', () => {
    for (let n = 1; n <= leaves.length; n++) {
      const root = merkleRoot(leaves, n);
      for (let i = 0; i < n; i++) {
        const proof = inclusionProof(leaves, i, n);
        expect(verifyInclusion(leaves[i] as Uint8Array, i, n, proof, root)).toBe(true);
        expect(verifyInclusion(leaves[(i + 1) % n] as Uint8Array, i, n, proof, root)).toBe(n === 1);
        if (proof.length > 0) {
          const bad = proof.map((p) => new Uint8Array(p));
          const first = bad[0] as Uint8Array;
          first[0] = (first[0] as number) ^ 1;
          expect(verifyInclusion(leaves[i] as Uint8Array, i, n, bad, root)).toBe(false);
          expect(verifyInclusion(leaves[i] as Uint8Array, i, n, proof.slice(1), root)).toBe(false);
        }
        expect(verifyInclusion(leaves[i] as Uint8Array, i, n, proof, merkleRoot(leaves, n - 1))).toBe(false);
        expect(verifyInclusion(leaves[i] as Uint8Array, n, n, proof, root)).toBe(false);
      }
    }
  });

  it('proves and verifies consistency between every pair of sizes, and rejects wrong ones', () => {
    for (let n = 1; n <= leaves.length; n++) {
      const rootN = merkleRoot(leaves, n);
      for (let m = 1; m <= n; m++) {
        const rootM = merkleRoot(leaves, m);
        const proof = consistencyProof(leaves, m, n);
        expect(verifyConsistency(m, n, rootM, rootN, proof)).toBe(true);
        if (m < n) {
          const other = merkleRoot([...leaves.slice(0, m - 1), leafHash(Buffer.from('x'))], m);
          expect(verifyConsistency(m, n, other, rootN, proof)).toBe(false);
          expect(verifyConsistency(m, n, rootM, rootN, proof.slice(0, -1))).toBe(false);
        }
      }
    }
  });

  it('handles larger trees (1000 leaves) the same way', () => {
    const many = Array.from({ length: 1000 }, (_, i) => leafHash(Buffer.from(String(i))));
    const range = new CompactRange();
    many.forEach((l) => range.append(l));
    expect(hex(range.root())).toBe(hex(merkleRoot(many)));
    for (const [m, n] of [[1, 1000], [512, 1000], [513, 999], [999, 1000], [64, 64]] as const) {
      expect(verifyConsistency(m, n, merkleRoot(many, m), merkleRoot(many, n), consistencyProof(many, m, n))).toBe(true);
    }
    expect(verifyInclusion(many[777] as Uint8Array, 777, 1000, inclusionProof(many, 777), merkleRoot(many))).toBe(true);
  });
});
