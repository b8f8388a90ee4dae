/**
 * The Merkle proofs an auditor checks (RFC 6962 / 9162) at their edges: a proof is asked for only
 * inside the tree, and a verifier given an impossible index or size, a proof of the wrong length,
 * a proof for m = 0 or m = n that is not empty, or roots that differ says false, never true.
 */
import { describe, expect, it } from 'vitest';
import { CompactRange, consistencyProof, EMPTY_ROOT, inclusionProof, leafHash, merkleRoot, verifyConsistency, verifyInclusion } from '../../../electron/core/transcript/merkle';

const leaves = Array.from({ length: 40 }, (_, i) => leafHash(Buffer.from(`entry ${i}`)));

describe('proofs are asked for only inside the tree', () => {
  it('refuses sizes and indices outside it, saying which', () => {
    expect(() => merkleRoot(leaves, -1)).toThrow('tree size -1 outside 0..40');
    expect(() => merkleRoot(leaves, 41)).toThrow('tree size 41 outside 0..40');
    expect(merkleRoot(leaves, 0)).toEqual(EMPTY_ROOT);
    expect(() => inclusionProof(leaves, -1, 10)).toThrow('leaf -1 not in a tree of 10');
    expect(() => inclusionProof(leaves, 10, 10)).toThrow('leaf 10 not in a tree of 10');
    expect(() => inclusionProof(leaves, 3, 41)).toThrow('leaf 3 not in a tree of 41');
    expect(inclusionProof(leaves, 0, 1)).toEqual([]);
    expect(() => consistencyProof(leaves, -1, 10)).toThrow('no consistency proof from -1 to 10');
    expect(() => consistencyProof(leaves, 11, 10)).toThrow('no consistency proof from 11 to 10');
    expect(() => consistencyProof(leaves, 3, 41)).toThrow('no consistency proof from 3 to 41');
    expect(consistencyProof(leaves, 0, 10)).toEqual([]);
    expect(consistencyProof(leaves, 10, 10)).toEqual([]);
  });
});

describe('an inclusion proof is accepted only for a possible leaf and the right path', () => {
  const n = 37;
  const root = merkleRoot(leaves, n);
  const proof = inclusionProof(leaves, 20, n);

  it('refuses impossible indices and sizes', () => {
    expect(verifyInclusion(leaves[20]!, 20, n, proof, root)).toBe(true);
    for (const [i, size] of [[-1, n], [n, n], [20.5, n], [20, 2 ** 53], [Number.NaN, n]] as const) {
      expect(verifyInclusion(leaves[20]!, i, size, proof, root), `${i} ${size}`).toBe(false);
    }
  });

  it('refuses index -1 with leaf 0\'s path (both always go left), and a root with a byte added', () => {
    expect(verifyInclusion(leaves[0]!, 0, n, inclusionProof(leaves, 0, n), root)).toBe(true);
    expect(verifyInclusion(leaves[0]!, -1, n, inclusionProof(leaves, 0, n), root)).toBe(false);
    expect(verifyInclusion(leaves[20]!, 20, n, proof, new Uint8Array([...root, 0]))).toBe(false);
  });

  it('refuses a path that stops short of the root, even when the root given is where it stops', () => {
    // Leaf 0 of a tree of 4 with one node: that is the root of the first 2, not of 4.
    expect(verifyInclusion(leaves[0]!, 0, 4, [leaves[1]!], merkleRoot(leaves, 2))).toBe(false);
    expect(verifyInclusion(leaves[0]!, 0, 2, [leaves[1]!], merkleRoot(leaves, 2))).toBe(true);
  });

  it('refuses a proof with a node too many, and the last leaf of a tree of one with any proof', () => {
    expect(verifyInclusion(leaves[20]!, 20, n, [...proof, proof[0]!], root)).toBe(false);
    expect(verifyInclusion(leaves[0]!, 0, 1, [], merkleRoot(leaves, 1))).toBe(true);
    expect(verifyInclusion(leaves[0]!, 0, 1, [leaves[1]!], merkleRoot(leaves, 1))).toBe(false);
  });

  it('accepts the last leaf of every size (the right edge, where the path climbs past missing siblings)', () => {
    for (let size = 1; size <= leaves.length; size++) {
      expect(verifyInclusion(leaves[size - 1]!, size - 1, size, inclusionProof(leaves, size - 1, size), merkleRoot(leaves, size)), `${size}`).toBe(true);
    }
  });
});

describe('a consistency proof is accepted only between possible sizes with the right nodes', () => {
  it('m = n: only with an empty proof and the same root', () => {
    const r = merkleRoot(leaves, 16);
    expect(verifyConsistency(16, 16, r, r, [])).toBe(true);
    expect(verifyConsistency(16, 16, r, r, [r])).toBe(false);
    expect(verifyConsistency(16, 16, r, merkleRoot(leaves, 15), [])).toBe(false);
  });

  it('m = 0: never (a proof from the empty tree proves nothing; transparency-dev/merkle refuses it too)', () => {
    expect(verifyConsistency(0, 16, EMPTY_ROOT, merkleRoot(leaves, 16), [])).toBe(false);
    expect(verifyConsistency(0, 16, EMPTY_ROOT, merkleRoot(leaves, 16), [leaves[0]!])).toBe(false);
    expect(verifyConsistency(0, 0, EMPTY_ROOT, EMPTY_ROOT, [])).toBe(false);
  });

  it('refuses impossible sizes, an empty proof, and a proof with a node too many', () => {
    const proof = consistencyProof(leaves, 13, 37);
    const [r13, r37] = [merkleRoot(leaves, 13), merkleRoot(leaves, 37)];
    expect(verifyConsistency(13, 37, r13, r37, proof)).toBe(true);
    for (const [m, n] of [[-1, 37], [38, 37], [13.5, 37], [13, 2 ** 53]] as const) expect(verifyConsistency(m, n, r13, r37, proof), `${m} ${n}`).toBe(false);
    expect(verifyConsistency(13, 37, r13, r37, [])).toBe(false);
    expect(verifyConsistency(13, 37, r13, r37, [...proof, proof[0]!])).toBe(false);
    expect(verifyConsistency(13, 37, r13, merkleRoot(leaves, 36), proof)).toBe(false);
  });

  it('refuses a path that stops short of the new size, even when the new root given is where it stops', () => {
    // From 1 to 4 with only leaf 1: that proves 1 -> 2, not 1 -> 4.
    expect(verifyConsistency(1, 4, merkleRoot(leaves, 1), merkleRoot(leaves, 2), [leaves[1]!])).toBe(false);
    expect(verifyConsistency(1, 2, merkleRoot(leaves, 1), merkleRoot(leaves, 2), [leaves[1]!])).toBe(true);
  });

  it('counts what a compact range holds', () => {
    const range = new CompactRange();
    expect(range.size).toBe(0);
    for (let i = 0; i < 5; i++) range.append(leaves[i]!);
    expect(range.size).toBe(5);
    expect(range.root()).toEqual(merkleRoot(leaves, 5));
  });

  it('holds from every power-of-two size (where the old root starts the path) and to every size', () => {
    for (let n = 2; n <= leaves.length; n++) {
      for (let m = 1; m < n; m++) {
        expect(verifyConsistency(m, n, merkleRoot(leaves, m), merkleRoot(leaves, n), consistencyProof(leaves, m, n)), `${m} ${n}`).toBe(true);
      }
    }
  });

  it('gives the same roots for a tree built again from a copy of its leaves (the subtree cache is per leaf array)', () => {
    const copy = leaves.map((l) => new Uint8Array(l));
    for (const size of [16, 17, 32, 33, 40]) expect(merkleRoot(copy, size)).toEqual(merkleRoot(leaves, size));
    const changed = [...leaves];
    changed[3] = leafHash(Buffer.from('changed'));
    expect(merkleRoot(changed, 32)).not.toEqual(merkleRoot(leaves, 32));
  });
});
