/** The verifier's hex twin of merkle.ts: same leaf hashes and roots as the byte-array code (itself checked against RFC 6962 vectors). */
import { describe, expect, it } from 'vitest';
import { hex } from '../../../electron/core/transcript/entry-codec';
import { leafHash, merkleRoot } from '../../../electron/core/transcript/merkle';
import { HexFrontier, leafHexAt } from '../../../electron/core/transcript/merkle-hex';

describe('merkle-hex', () => {
  it('hashes a line where it lies (first in the buffer or after a newline) as leafHash does, and leaves the buffer as it was', () => {
    const buf = Buffer.from('{"a":1}\n{"b":"é"}\nlast');
    const before = Buffer.from(buf);
    expect(leafHexAt(buf, 0, 7)).toBe(hex(leafHash(buf.subarray(0, 7))));
    expect(leafHexAt(buf, 8, 18)).toBe(hex(leafHash(buf.subarray(8, 18))));
    expect(leafHexAt(buf, 19, buf.length)).toBe(hex(leafHash(buf.subarray(19))));
    expect(buf).toEqual(before);
  });

  it('gives the root merkleRoot gives at every size from 0 to 70', () => {
    const leaves = Array.from({ length: 70 }, (_, i) => leafHash(Buffer.from(`entry ${i}`)));
    const f = new HexFrontier();
    expect(f.root()).toBe(hex(merkleRoot([])));
    leaves.forEach((l, i) => {
      f.append(hex(l));
      expect(f.root()).toBe(hex(merkleRoot(leaves, i + 1)));
    });
  });
});
