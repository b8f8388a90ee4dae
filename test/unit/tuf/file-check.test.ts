/** keyrite verify's content check of root.json (sign-tuf-root) and the root drafted by `keyrite tuf-root draft`. */
import { describe, expect, it } from 'vitest';
import { canonicalSha256 } from '../../../electron/core/tuf/canonical';
import { draftRoot } from '../../../electron/core/tuf/draft';
import { tufRootFileProblem } from '../../../electron/core/tuf/file-check';
import { parseRoot } from '../../../electron/core/tuf/root-file';
import { prepareRootSigning } from '../../../electron/core/tuf/root-signing';
import { rootMetadata, softKey, tufSign } from '../../fixtures/tuf/roots';

const NOW = new Date('2026-12-01T00:00:00Z');
const a = softKey('p256');
const b = softKey('ed25519');
const online = softKey('p384');

describe('tufRootFileProblem', () => {
  const meta = rootMetadata({ version: 2, rootKeys: [a, b], threshold: 2, online });
  const sigs = [tufSign(a, meta.signed), tufSign(b, meta.signed)];
  const sha = canonicalSha256(meta.signed);
  const text = (m: object) => Buffer.from(JSON.stringify(m));

  it('holds for the root journaled, with every journaled signature, each verifying', () => {
    expect(tufRootFileProblem(text({ ...meta, signatures: sigs }), sha, sigs)).toBeUndefined();
  });

  it('names a root whose signed part is not the one signed', () => {
    const other = { ...meta, signed: { ...meta.signed, version: 3 }, signatures: sigs };
    expect(tufRootFileProblem(text(other), sha, sigs)).toMatch(/its signed part \(SHA-256 [0-9a-f]{64}\) is not the one signed/);
  });

  it('names a journaled signature that is missing', () => {
    expect(tufRootFileProblem(text({ ...meta, signatures: sigs.slice(0, 1) }), sha, sigs)).toContain(`signature by key ${b.keyid} journaled in the ceremony is not in it`);
  });

  it('names a signature in the file that does not verify', () => {
    const bad = { keyid: b.keyid, sig: tufSign(b, { ...meta.signed, version: 9 }).sig };
    expect(tufRootFileProblem(text({ ...meta, signatures: [sigs[0], bad] }), sha, sigs.slice(0, 1))).toContain(`signature by key ${b.keyid} does not verify`);
  });

  it('names a file that is not root metadata', () => {
    expect(tufRootFileProblem(Buffer.from('not json'), sha, [])).toMatch(/^it is not TUF root metadata/);
  });
});

describe('draftRoot', () => {
  it('drafts a first root listing the keys in every role, and its next version with a key added to the root role', () => {
    const v1 = draftRoot({ rootKeys: [a.spki], now: NOW });
    const r1 = parseRoot(v1);
    expect(r1.version).toBe(1);
    expect(r1.expires).toBe('2027-12-01T00:00:00Z');
    expect(r1.roles.root).toEqual({ keyids: [a.keyid], threshold: 1 });
    expect(r1.roles.targets.keyids).toEqual([a.keyid]);
    const v2 = draftRoot({ rootKeys: [b.spki], previous: v1, threshold: 2, now: NOW, expires: new Date('2028-01-01T00:00:00Z') });
    const s = prepareRootSigning({ next: v2, previous: v1, now: NOW });
    expect(s.next.roles.root).toEqual({ keyids: [a.keyid, b.keyid], threshold: 2 });
    expect(s.changes?.keysAdded.map((k) => k.keyid)).toEqual([b.keyid]);
    expect(s.next.signatures).toEqual([]);
  });

  it('refuses a first root without a key', () => {
    expect(() => draftRoot({ rootKeys: [], now: NOW })).toThrow(/at least one key/);
  });
});
