/**
 * Where the streaming verifier's leaf hashes and tree are worked out (leaf-hasher.ts): on its own
 * thread or on a worker thread, each gives every line's RFC 6962 leaf hash and the root of exactly
 * the lines committed (the good ones), at each size asked for, as merkle.ts computes them.
 */
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { hex } from '../../../electron/core/transcript/entry-codec';
import { InlineLeaves, WorkerLeaves, type LeafSource } from '../../../electron/core/transcript/leaf-hasher';
import { leafHash, merkleRoot } from '../../../electron/core/transcript/merkle';

/** Lines of random printable bytes (no newline), as long as an entry can be (64 bytes, a prev hash) or longer, one long. */
function randomLines(n: number): Buffer[] {
  return Array.from({ length: n }, (_, i) => (i === 5 ? Buffer.alloc(5000, 0x61) : Buffer.from(randomBytes(64 + (i % 90)).map((b) => 0x20 + (b % 0x5f)))));
}

const sources: Array<[string, (sizes: ReadonlySet<number>) => LeafSource]> = [
  ['on its own thread', (sizes) => new InlineLeaves(sizes)],
  ['on a worker thread', (sizes) => new WorkerLeaves(sizes)],
];

describe.each(sources)('leaf hashes and tree %s', (_name, make) => {
  it('gives each line its leaf hash, across chunks and from an offset in shared memory, and the root of the committed lines only', async () => {
    const lines = randomLines(40);
    const leaves = lines.map((l) => leafHash(l));
    const sizes = new Set([1, 2, 5, 17, 30, 31, 40]);
    const h = make(sizes);
    try {
      const chunk = (from: number, to: number): Buffer => {
        const bytes = Buffer.concat(lines.slice(from, to).flatMap((l) => [l, Buffer.from('\n')]));
        // Behind 3 bytes of another line and with a torn line after it, as a reader's buffer is.
        const b = h.alloc(bytes.length + 10);
        b.write('xyz', 0, 'latin1');
        bytes.copy(b, 3);
        b.write('torn', 3 + bytes.length, 'latin1');
        return b.subarray(3);
      };
      const first = chunk(0, 25);
      const second = chunk(25, 40);
      const [a, b] = await Promise.all([h.leaves(first.subarray(0, first.length - 7)), h.leaves(second.subarray(0, second.length - 7))]);
      expect(a).toBe(leaves.slice(0, 25).map(hex).join(''));
      expect(b).toBe(leaves.slice(25).map(hex).join(''));
      h.commit(10);
      h.commit(30);
      const t = await h.finish(31);
      expect(hex(t.root)).toBe(hex(merkleRoot(leaves, 31)));
      expect([...t.roots.keys()].sort((x, y) => x - y)).toEqual([1, 2, 5, 17, 30, 31]);
      for (const [n, root] of t.roots) expect(hex(root), `size ${n}`).toBe(hex(merkleRoot(leaves, n)));
    } finally {
      await h.close();
    }
  });

  it('gives the empty tree root when nothing is committed, and no line for a buffer without a newline', async () => {
    const h = make(new Set([0, 1]));
    try {
      const b = h.alloc(8);
      b.write('abc', 0, 'latin1');
      expect(await h.leaves(b.subarray(0, 0))).toBe('');
      const t = await h.finish(0);
      expect(hex(t.root)).toBe(hex(merkleRoot([])));
      expect(t.roots.size).toBe(0);
    } finally {
      await h.close();
    }
  });
});

describe('WorkerLeaves', () => {
  it('hashes lines from memory it shares with the reader: nothing is copied back and forth, and the bytes are left as they were', async () => {
    const h = new WorkerLeaves(new Set());
    try {
      const [ab, cd, ef] = ['a', 'c', 'e'].map((c) => c.repeat(70)) as [string, string, string];
      const b = h.alloc(256);
      expect(b.buffer).toBeInstanceOf(SharedArrayBuffer);
      b.write(`${ab}\n${cd}\n${ef}\n`, 0, 'latin1');
      const before = Buffer.from(b);
      expect(await h.leaves(b.subarray(71, 213))).toBe([cd, ef].map((l) => hex(leafHash(Buffer.from(l)))).join(''));
      expect(b.equals(before)).toBe(true);
    } finally {
      await h.close();
    }
  });

  it('stops a batch at a line too short to be an entry (reading stops there), so tiny lines cost it nothing', async () => {
    const h = new WorkerLeaves(new Set());
    try {
      const long = 'a'.repeat(64);
      const b = h.alloc(4096);
      const text = `${long}\n${'b'.repeat(63)}\n${long}\n${'\n'.repeat(1000)}`;
      b.write(text, 0, 'latin1');
      expect(await h.leaves(b.subarray(0, text.length))).toBe(hex(leafHash(Buffer.from(long))));
    } finally {
      await h.close();
    }
  });

  it('refuses further work once its thread has stopped, instead of waiting for ever', async () => {
    const h = new WorkerLeaves(new Set());
    await h.close();
    await expect(h.finish(0)).rejects.toThrow('the hashing thread was closed');
    await expect(h.leaves(h.alloc(8))).rejects.toThrow('the hashing thread was closed');
  });
});
