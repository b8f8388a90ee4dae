/**
 * RFC 6962 / RFC 9162 Merkle tree hashing, inclusion and consistency proofs.
 * Leaf hash = SHA-256(0x00 || data), node hash = SHA-256(0x01 || left || right),
 * root of the empty tree = SHA-256(""). Tree sizes stay well below 2^53, so plain numbers suffice;
 * bit tricks are done with arithmetic because `>>` truncates to 32 bits.
 */
import * as nodeCrypto from 'node:crypto';
import { createHash } from 'node:crypto';

const LEAF_PREFIX = Buffer.from([0x00]);
const HASH_BYTES = 32;
const NODE_PREFIX = Buffer.from([0x01]);

export function sha256(...parts: Uint8Array[]): Uint8Array {
  const h = createHash('sha256');
  for (const p of parts) h.update(p);
  return new Uint8Array(h.digest());
}

// crypto.hash (Node >= 20.12) is a one-shot digest without a Hash object: several times faster for
// the short inputs a verifier hashes 100,000 times.
const oneShot = (nodeCrypto as { hash?: (alg: string, data: Uint8Array, enc: 'buffer') => Buffer }).hash;

export function leafHash(data: Uint8Array): Uint8Array {
  if (!oneShot) return sha256(LEAF_PREFIX, data);
  const buf = Buffer.allocUnsafe(data.length + 1);
  buf[0] = 0x00;
  buf.set(data, 1);
  return oneShot('sha256', buf, 'buffer');
}

export function nodeHash(left: Uint8Array, right: Uint8Array): Uint8Array {
  if (!oneShot) return sha256(NODE_PREFIX, left, right);
  const buf = Buffer.allocUnsafe(1 + left.length + right.length);
  buf[0] = 0x01;
  buf.set(left, 1);
  buf.set(right, 1 + left.length);
  return oneShot('sha256', buf, 'buffer');
}

export const EMPTY_ROOT: Uint8Array = sha256();

export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Largest power of two strictly smaller than n (n >= 2). */
function splitPoint(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

/**
 * Perfect subtrees never change once complete, so proofs for successive tree sizes share them:
 * remembering them per leaf array makes a run of consistency proofs cost O(n) in total, not each.
 */
const perfectCache = new WeakMap<readonly Uint8Array[], Map<number, Uint8Array>>();

/** Root over leafHashes[lo, hi): the recursive MTH of RFC 6962 section 2.1. */
function subtreeRoot(leaves: readonly Uint8Array[], lo: number, hi: number): Uint8Array {
  const n = hi - lo;
  if (n === 0) return EMPTY_ROOT;
  if (n === 1) return leaves[lo] as Uint8Array;
  const perfect = Number.isInteger(Math.log2(n));
  let cache = perfectCache.get(leaves);
  // Key: lo and size packed into one number (sizes are powers of two below 2^26 here).
  const key = lo * 64 + Math.log2(n);
  if (perfect) {
    const hit = cache?.get(key);
    if (hit) return hit;
  }
  const k = splitPoint(n);
  const root = nodeHash(subtreeRoot(leaves, lo, lo + k), subtreeRoot(leaves, lo + k, hi));
  if (perfect && n >= 16) {
    if (!cache) {
      cache = new Map();
      perfectCache.set(leaves, cache);
    }
    cache.set(key, root);
  }
  return root;
}

/** Merkle tree hash of the first `size` leaf hashes (all of them by default). */
export function merkleRoot(leafHashes: readonly Uint8Array[], size: number = leafHashes.length): Uint8Array {
  if (size < 0 || size > leafHashes.length) throw new RangeError(`tree size ${size} outside 0..${leafHashes.length}`);
  return subtreeRoot(leafHashes, 0, size);
}

/**
 * The right edge of a growing tree: one perfect subtree root per set bit of the size. Appending and
 * asking for the root are O(log n), so a verifier can check every checkpoint in one pass.
 */
export class CompactRange {
  private readonly stack: { size: number; hash: Uint8Array }[] = [];
  private count = 0;

  get size(): number {
    return this.count;
  }

  append(hash: Uint8Array): void {
    let node = { size: 1, hash };
    for (;;) {
      const top = this.stack[this.stack.length - 1];
      if (!top || top.size !== node.size) break;
      this.stack.pop();
      node = { size: top.size * 2, hash: nodeHash(top.hash, node.hash) };
    }
    this.stack.push(node);
    this.count++;
  }

  root(): Uint8Array {
    if (this.stack.length === 0) return EMPTY_ROOT;
    let acc = (this.stack[this.stack.length - 1] as { hash: Uint8Array }).hash;
    for (let i = this.stack.length - 2; i >= 0; i--) acc = nodeHash((this.stack[i] as { hash: Uint8Array }).hash, acc);
    return acc;
  }
}

function path(m: number, leaves: readonly Uint8Array[], lo: number, hi: number): Uint8Array[] {
  const n = hi - lo;
  if (n <= 1) return [];
  const k = splitPoint(n);
  if (m < k) return [...path(m, leaves, lo, lo + k), subtreeRoot(leaves, lo + k, hi)];
  return [...path(m - k, leaves, lo + k, hi), subtreeRoot(leaves, lo, lo + k)];
}

/** Audit path for leaf `index` in the tree of the first `size` leaves (RFC 6962 2.1.1). */
export function inclusionProof(leafHashes: readonly Uint8Array[], index: number, size: number = leafHashes.length): Uint8Array[] {
  if (size > leafHashes.length || index < 0 || index >= size) throw new RangeError(`leaf ${index} not in a tree of ${size}`);
  return path(index, leafHashes, 0, size);
}

function subproof(m: number, leaves: readonly Uint8Array[], lo: number, hi: number, whole: boolean): Uint8Array[] {
  const n = hi - lo;
  if (m === n) return whole ? [] : [subtreeRoot(leaves, lo, hi)];
  const k = splitPoint(n);
  if (m <= k) return [...subproof(m, leaves, lo, lo + k, whole), subtreeRoot(leaves, lo + k, hi)];
  return [...subproof(m - k, leaves, lo + k, hi, false), subtreeRoot(leaves, lo, lo + k)];
}

/** Consistency proof between the trees of the first `m` and first `n` leaves (RFC 6962 2.1.2). */
export function consistencyProof(leafHashes: readonly Uint8Array[], m: number, n: number = leafHashes.length): Uint8Array[] {
  if (n > leafHashes.length || m < 0 || m > n) throw new RangeError(`no consistency proof from ${m} to ${n}`);
  if (m === 0 || m === n) return [];
  return subproof(m, leafHashes, 0, n, true);
}

const isOdd = (x: number): boolean => x % 2 === 1;
const half = (x: number): number => Math.floor(x / 2);

/** Both node indices one level up the tree (RFC 9162's "right-shift fn and sn by one"). */
function up(fn: number, sn: number): [number, number] {
  return [half(fn), half(sn)];
}

/** Up until fn is a right child or the root (RFC 9162: "until LSB(fn) is set or fn is equal to 0"). */
function upToRightChild(fn: number, sn: number): [number, number] {
  while (!isOdd(fn) && fn !== 0) [fn, sn] = up(fn, sn);
  return [fn, sn];
}

/**
 * RFC 9162 2.1.3.2. The leaf must be a SHA-256 hash (32 bytes), as in transparency-dev/merkle's
 * verifier: a leaf of another length could be a node's two halves split elsewhere.
 */
export function verifyInclusion(leaf: Uint8Array, index: number, size: number, proof: readonly Uint8Array[], root: Uint8Array): boolean {
  if (!Number.isSafeInteger(index) || !Number.isSafeInteger(size) || index < 0 || index >= size) return false;
  if (leaf.length !== HASH_BYTES) return false;
  let fn = index;
  let sn = size - 1;
  let r = leaf;
  for (const p of proof) {
    if (sn === 0) return false;
    if (isOdd(fn) || fn === sn) {
      r = nodeHash(p, r);
      [fn, sn] = upToRightChild(fn, sn);
    } else {
      r = nodeHash(r, p);
    }
    [fn, sn] = up(fn, sn);
  }
  return sn === 0 && bytesEqual(r, root);
}

/**
 * RFC 9162 2.1.4.2. As in transparency-dev/merkle's verifier, a proof from the empty tree (m = 0) is
 * refused: it would prove nothing about either root.
 */
export function verifyConsistency(m: number, n: number, rootM: Uint8Array, rootN: Uint8Array, proof: readonly Uint8Array[]): boolean {
  if (!Number.isSafeInteger(m) || !Number.isSafeInteger(n) || m <= 0 || m > n) return false;
  if (m === n) return proof.length === 0 && bytesEqual(rootM, rootN);
  if (proof.length === 0) return false;
  let fn = m - 1;
  let sn = n - 1;
  const isPowerOfTwo = Number.isInteger(Math.log2(m));
  const path = isPowerOfTwo ? [rootM, ...proof] : [...proof];
  while (isOdd(fn)) [fn, sn] = up(fn, sn);
  let fr = path[0] as Uint8Array;
  let sr = fr;
  for (const c of path.slice(1)) {
    if (sn === 0) return false;
    if (isOdd(fn) || fn === sn) {
      fr = nodeHash(c, fr);
      sr = nodeHash(c, sr);
      [fn, sn] = upToRightChild(fn, sn);
    } else {
      sr = nodeHash(sr, c);
    }
    [fn, sn] = up(fn, sn);
  }
  return sn === 0 && bytesEqual(fr, rootM) && bytesEqual(sr, rootN);
}
