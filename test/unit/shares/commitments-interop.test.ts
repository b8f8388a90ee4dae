/**
 * The commitments in backup.json are the documented domain-separated hashes (docs/SHARES.md), so a
 * tool that is not Keyrite can check them: SHA-256 over a tag, a zero byte and the parts; the split
 * MAC is HMAC-SHA-256 keyed by HMAC(wrapping key, tag) over the RFC 8785 form of the split. Each
 * kind has its own tag, so a commitment of one kind never passes as another.
 */
import { describe, expect, it } from 'vitest';
import { createHash, createHmac, randomBytes } from 'node:crypto';
import { ceremonyTag, fingerprintFromCommitment, shareCommitment, splitMac, wrappingKeyCommitment } from '../../../electron/core/shares/commitments';

function tagged(tag: string, ...parts: Buffer[]): Buffer {
  return createHash('sha256').update(Buffer.concat([Buffer.from(tag, 'utf8'), Buffer.from([0]), ...parts])).digest();
}

describe('commitments, computed independently', () => {
  const key = randomBytes(32);

  it('the wrapping-key commitment', () => {
    expect(wrappingKeyCommitment(new Uint8Array(key))).toBe(tagged('keyrite.backup.v1 wrapping-key-commitment', key).toString('hex'));
  });

  it('a share commitment binds the split id and the share bytes', () => {
    const share = randomBytes(33);
    expect(shareCommitment('0a1b2c3d', new Uint8Array(share))).toBe(tagged('keyrite.backup.v1 share-commitment', Buffer.from('0a1b2c3d', 'hex'), share).toString('hex'));
    expect(shareCommitment('0a1b2c3e', new Uint8Array(share))).not.toBe(shareCommitment('0a1b2c3d', new Uint8Array(share)));
  });

  it('the ceremony tag is the first 4 bytes of the tagged hash of the id', () => {
    expect(ceremonyTag('root-2026')).toBe(tagged('keyrite.backup.v1 ceremony-tag', Buffer.from('root-2026', 'utf8')).subarray(0, 4).toString('hex'));
    expect(ceremonyTag('root-2026')).toMatch(/^[0-9a-f]{8}$/);
  });

  it('the fingerprint is the first 12 hex digits in three groups', () => {
    expect(fingerprintFromCommitment('0123456789abcdef0123')).toBe('0123-4567-89ab');
  });

  it('the split MAC is HMAC(HMAC(key, tag), canonical split), whatever the key order', () => {
    const split = { n: 3, k: 2, id: 'aabbccdd', shares: [{ x: 1, c: 'é' }] };
    const macKey = createHmac('sha256', key).update('keyrite.backup.v1 split-mac-key', 'utf8').digest();
    const expected = createHmac('sha256', macKey).update('{"id":"aabbccdd","k":2,"n":3,"shares":[{"c":"é","x":1}]}', 'utf8').digest('hex');
    expect(splitMac(new Uint8Array(key), split)).toBe(expected);
    expect(splitMac(new Uint8Array(key), { shares: split.shares, id: 'aabbccdd', n: 3, k: 2 })).toBe(expected);
    expect(splitMac(new Uint8Array(randomBytes(32)), split)).not.toBe(expected);
  });

  it('a split that has no JSON form is refused, not MACed', () => {
    expect(() => splitMac(new Uint8Array(key), undefined)).toThrow('cannot be canonicalised');
  });

  it('the same bytes under two kinds give two different values', () => {
    const b = new Uint8Array(32);
    expect(wrappingKeyCommitment(b)).not.toBe(tagged('keyrite.backup.v1 share-commitment', Buffer.from(b)).toString('hex'));
  });
});
