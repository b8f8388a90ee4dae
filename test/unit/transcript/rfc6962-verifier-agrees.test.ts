/**
 * The tree heads and proofs an auditor checks agree with a standard RFC 6962 verifier: every probe
 * of transparency-dev/merkle's verifier (the Go library behind Trillian, Sigsum and the Go checksum
 * database; Apache-2.0, copied in rfc6962-probes/, see its README) gets the same answer from
 * Keyrite's verifyInclusion and verifyConsistency, on the tree of the shared RFC 6962 vectors: the
 * happy paths accepted, each altered proof, size, index or root refused. Keyrite's own proofs for
 * those trees are accepted against the reference's roots. And a consistency proof between sizes that
 * cannot be (negative, or an old size past the new one) is refused even when its hashes chain.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  CompactRange, consistencyProof, inclusionProof, leafHash, merkleRoot, nodeHash, verifyConsistency, verifyInclusion,
} from '../../../electron/core/transcript/merkle';
import { HexFrontier } from '../../../electron/core/transcript/merkle-hex';

interface InclusionProbe { file: string; leafIdx: number; treeSize: number; root: string | null; leafHash: string | null; proof: string[] | null; desc: string; wantErr: boolean }
interface ConsistencyProbe { file: string; size1: number; size2: number; root1: string | null; root2: string | null; proof: string[] | null; desc: string; wantErr: boolean }
const probes = JSON.parse(readFileSync(path.join(__dirname, 'rfc6962-probes', 'probes.json'), 'utf8')) as { inclusion: InclusionProbe[]; consistency: ConsistencyProbe[] };
const vectors = JSON.parse(readFileSync('/work/shared/vectors/merkle-rfc6962.json', 'utf8')) as { leaves_hex: string[]; root_by_tree_size_hex: string[] };

/** Go's []byte in JSON: base64, null for nil. */
const b64 = (s: string | null): Uint8Array => new Uint8Array(Buffer.from(s ?? '', 'base64'));
const b64s = (a: string[] | null): Uint8Array[] => (a ?? []).map(b64);
const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
const leaves = vectors.leaves_hex.map((h) => leafHash(Buffer.from(h, 'hex')));

describe('transparency-dev/merkle verifier probes', () => {
  it('has the probe set it was copied with: inclusion and consistency, happy paths among them', () => {
    expect(probes.inclusion).toHaveLength(98);
    expect(probes.consistency).toHaveLength(98);
    expect(probes.inclusion.filter((p) => !p.wantErr).length).toBeGreaterThan(0);
    expect(probes.consistency.filter((p) => !p.wantErr).length).toBeGreaterThan(0);
  });

  it.each(probes.inclusion.map((p) => [p.file, p] as const))('inclusion %s: the same answer as the reference verifier', (_file, p) => {
    // A uint64 the probe holds as 2^64 - 1 (index 0 minus one) arrives here as an unsafe number: refused.
    expect(verifyInclusion(b64(p.leafHash), p.leafIdx, p.treeSize, b64s(p.proof), b64(p.root)), p.desc).toBe(!p.wantErr);
  });

  it.each(probes.consistency.map((p) => [p.file, p] as const))('consistency %s: the same answer as the reference verifier', (_file, p) => {
    expect(verifyConsistency(p.size1, p.size2, b64(p.root1), b64(p.root2), b64s(p.proof)), p.desc).toBe(!p.wantErr);
  });

  it('Keyrite\'s own proofs for each happy path are accepted against the reference\'s roots', () => {
    const roots = vectors.root_by_tree_size_hex;
    // The numbered folders use the shared vectors' tree; single-entry/ and additional/ use made-up hashes.
    const ofTheTree = (p: { file: string }): boolean => /^testdata\/\w+\/\d+\//.test(p.file);
    expect(probes.inclusion.filter((x) => !x.wantErr && ofTheTree(x))).toHaveLength(5);
    expect(probes.consistency.filter((x) => !x.wantErr && ofTheTree(x))).toHaveLength(5);
    for (const p of probes.inclusion.filter((x) => !x.wantErr && ofTheTree(x))) {
      expect(hex(b64(p.root))).toBe(roots[p.treeSize]);
      const proof = inclusionProof(leaves, p.leafIdx, p.treeSize);
      expect(proof.map(hex)).toEqual(b64s(p.proof).map(hex));
      expect(verifyInclusion(leaves[p.leafIdx] as Uint8Array, p.leafIdx, p.treeSize, proof, b64(p.root))).toBe(true);
    }
    for (const p of probes.consistency.filter((x) => !x.wantErr && ofTheTree(x))) {
      expect([hex(b64(p.root1)), hex(b64(p.root2))]).toEqual([roots[p.size1], roots[p.size2]]);
      expect(consistencyProof(leaves, p.size1, p.size2).map(hex)).toEqual(b64s(p.proof).map(hex));
    }
  });

  it('the tree head of every size, by recursion, compact range and hex frontier, is the reference\'s', () => {
    const range = new CompactRange();
    const frontier = new HexFrontier();
    vectors.root_by_tree_size_hex.forEach((root, size) => {
      expect(hex(merkleRoot(leaves, size))).toBe(root);
      expect(hex(range.root())).toBe(root);
      expect(frontier.root()).toBe(root);
      if (size < leaves.length) {
        range.append(leaves[size] as Uint8Array);
        frontier.append(hex(leaves[size] as Uint8Array));
      }
    });
  });
});

describe('an inclusion proof is refused for a leaf that is not a SHA-256 hash, even when its bytes hash to the root', () => {
  it('the leaf and its sibling as one proof node, split after 0 or 16 bytes', () => {
    const [l0, l1] = [leaves[0] as Uint8Array, leaves[1] as Uint8Array];
    const root = merkleRoot(leaves, 2);
    expect(verifyInclusion(l0, 0, 2, [l1], root)).toBe(true);
    // H(0x01 || leaf || node) is the root whenever leaf || node = l0 || l1.
    const both = Buffer.concat([l0, l1]);
    expect(verifyInclusion(new Uint8Array(0), 0, 2, [both], root)).toBe(false);
    expect(verifyInclusion(both.subarray(0, 16), 0, 2, [both.subarray(16)], root)).toBe(false);
  });
});

describe('a consistency proof between sizes that cannot be is refused, even when its hashes chain', () => {
  const x = leaves[0] as Uint8Array;
  const y = leaves[1] as Uint8Array;

  it('an old size past the new one', () => {
    // From 3 to 2, the path [x, y] ends with old root x and new root H(x, y): refused for its sizes.
    expect(verifyConsistency(3, 2, x, nodeHash(x, y), [x, y])).toBe(false);
    expect(verifyConsistency(2, 1, x, x, [x])).toBe(false);
  });

  it('a negative old size', () => {
    expect(verifyConsistency(-1, 1, x, x, [x])).toBe(false);
    expect(verifyConsistency(-1, -1, x, x, [])).toBe(false);
    expect(verifyConsistency(-2, 5, x, x, [x, y])).toBe(false);
  });

  it('sizes that are not whole numbers', () => {
    expect(verifyConsistency(1.5, 2, x, nodeHash(x, y), [y])).toBe(false);
    expect(verifyConsistency(1, 2.5, x, nodeHash(x, y), [y])).toBe(false);
    expect(verifyConsistency(1, 2, x, nodeHash(x, y), [y])).toBe(true);
  });
});
