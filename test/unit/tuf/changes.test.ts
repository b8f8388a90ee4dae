import { describe, expect, it } from 'vitest';
import { canonicalSha256 } from '../../../electron/core/tuf/canonical';
import { describeRootChanges } from '../../../electron/core/tuf/changes';
import { prepareRootSigning } from '../../../electron/core/tuf/root-signing';
import { rootMetadata, signedRootText, softKey } from '../../fixtures/tuf/roots';
import { thrownKeyriteError } from '../../helpers/keyrite-error';

const NOW = new Date('2026-12-07T12:00:00Z');
const [a, b, c, d] = [softKey('p256'), softKey('ed25519'), softKey('p384'), softKey('p256')];
const online = softKey('p256');
const previous = rootMetadata({ version: 4, rootKeys: [a!, b!, c!], threshold: 2, online, expires: '2027-01-01T00:00:00Z' });
const prevText = signedRootText(previous, [a!, b!]);

describe('the change summary', () => {
  it('lists what a rotation changes: keys in and out, role keyids and thresholds, expiry, version, consistent snapshot, other members', () => {
    const next = rootMetadata({ version: 5, rootKeys: [a!, b!, d!], threshold: 3, online, expires: '2027-07-01T00:00:00Z', consistentSnapshot: false, extra: { 'x-tuf-on-ci-expiry-period': 180 } });
    const s = prepareRootSigning({ next: signedRootText(next, []), previous: prevText, now: NOW });
    const ch = s.changes!;
    expect(ch.version).toEqual({ from: 4, to: 5, changed: true });
    expect(ch.expires).toEqual({ from: '2027-01-01T00:00:00Z', to: '2027-07-01T00:00:00Z', changed: true });
    expect(ch.consistentSnapshot).toEqual({ from: true, to: false, changed: true });
    expect(ch.specVersion.changed).toBe(false);
    expect(ch.keysAdded).toEqual([{ keyid: d!.keyid, keytype: 'ecdsa', scheme: 'ecdsa-sha2-nistp256', roles: ['root'], fingerprint: expect.stringMatching(/^[0-9a-f]{64}$/) }]);
    expect(ch.keysRemoved.map((k) => [k.keyid, k.roles])).toEqual([[c!.keyid, ['root']]]);
    const root = ch.roles.find((r) => r.role === 'root')!;
    expect(root).toEqual({ role: 'root', threshold: { from: 2, to: 3, changed: true }, keyidsAdded: [d!.keyid], keyidsRemoved: [c!.keyid], changed: true });
    expect(ch.roles.filter((r) => r.changed).map((r) => r.role)).toEqual(['root']);
    expect(ch.otherFieldsChanged).toEqual(['x-tuf-on-ci-expiry-period']);
    expect(ch.newSignedSha256).toBe(s.signedSha256);
    expect(ch.previousSignedSha256).toBe(canonicalSha256(previous.signed));
    // Plain data: it crosses IPC and goes into the journal as it is.
    expect(structuredClone(ch)).toEqual(ch);
    expect(JSON.parse(JSON.stringify(ch))).toEqual(ch);
  });

  it('reads as lines a person can check against the plan', () => {
    const next = rootMetadata({ version: 5, rootKeys: [a!, b!, d!], threshold: 2, online, expires: '2027-01-01T00:00:00Z' });
    const lines = describeRootChanges(prepareRootSigning({ next: signedRootText(next, []), previous: prevText, now: NOW }).changes!);
    expect(lines).toEqual([
      'version 4 -> 5',
      'expires unchanged (2027-01-01T00:00:00Z)',
      `key added ${d!.keyid} (ecdsa-sha2-nistp256, root)`,
      `key removed ${c!.keyid} (ecdsa-sha2-nistp384, was root)`,
      `role root: +${d!.keyid}; -${c!.keyid}`,
      expect.stringMatching(/^signed part sha256 [0-9a-f]{64}$/),
    ]);
  });

  it('names every kind of change in its lines: spec version, consistent snapshot, threshold, other members', () => {
    const next = rootMetadata({ version: 5, rootKeys: [a!, b!, c!], threshold: 3, online, expires: '2027-03-01T00:00:00Z', consistentSnapshot: false, extra: { 'x-note': 'n' } });
    next.signed.spec_version = '1.0.32';
    const lines = describeRootChanges(prepareRootSigning({ next: signedRootText(next, []), previous: prevText, now: NOW }).changes!);
    expect(lines.slice(0, 6)).toEqual([
      'version 4 -> 5', 'spec_version 1.0.31 -> 1.0.32', 'expires 2027-01-01T00:00:00Z -> 2027-03-01T00:00:00Z',
      'consistent_snapshot true -> false', 'role root: threshold 2 -> 3', 'x-note changed',
    ]);
  });

  it('sees the same public key under a new keyid as one key, and a key entry rewritten under its keyid as a change', () => {
    const renamed = 'ef'.repeat(32);
    const next = rootMetadata({ version: 5, rootKeys: [a!, b!, c!], threshold: 2, online });
    const keys = next.signed.keys as Record<string, unknown>;
    keys[renamed] = keys[c!.keyid];
    delete keys[c!.keyid];
    (next.signed.roles as Record<string, { keyids: string[] }>).root!.keyids[2] = renamed;
    keys[a!.keyid] = { ...a!.key, 'x-tuf-on-ci-keyowner': '@someone' };
    const ch = prepareRootSigning({ next: signedRootText(next, []), previous: prevText, now: NOW }).changes!;
    expect(ch.keysAdded[0]).toMatchObject({ keyid: renamed, sameKeyAs: c!.keyid });
    expect(ch.keysRemoved[0]).toMatchObject({ keyid: c!.keyid, sameKeyAs: renamed });
    expect(ch.otherFieldsChanged).toEqual([`keys.${a!.keyid}`]);
    expect(describeRootChanges(ch)).toContain(`key added ${renamed} (ecdsa-sha2-nistp384, root, same public key as ${c!.keyid})`);
  });
});

describe('whether the new root may follow the previous one', () => {
  it.each([3, 4, 6])('refuses version %i after version 4', (version) => {
    const next = rootMetadata({ version, rootKeys: [a!, b!], threshold: 1, online });
    const e = thrownKeyriteError(() => prepareRootSigning({ next: signedRootText(next, []), previous: prevText, now: NOW }));
    expect(e.code).toBe('TUF_VERSION_NOT_NEXT');
    expect(e.details).toEqual({ previous: 4, next: version });
  });

  it('refuses a new root that has already expired (expiring now counts as expired, as clients count it)', () => {
    const next = rootMetadata({ version: 5, rootKeys: [a!], threshold: 1, online, expires: '2026-12-07T12:00:00Z' });
    expect(thrownKeyriteError(() => prepareRootSigning({ next: signedRootText(next, []), previous: prevText, now: NOW })).code).toBe('TUF_ROOT_EXPIRED');
    const later = rootMetadata({ version: 5, rootKeys: [a!], threshold: 1, online, expires: '2026-12-07T12:00:01Z' });
    expect(prepareRootSigning({ next: signedRootText(later, []), previous: prevText, now: NOW }).next.version).toBe(5);
  });

  it('refuses a new root role no client could ever accept (threshold above its keys of known schemes)', () => {
    const next = rootMetadata({ version: 5, rootKeys: [a!, b!], threshold: 2, online });
    const odd = 'cd'.repeat(32);
    (next.signed.keys as Record<string, unknown>)[odd] = { keytype: 'x', scheme: 'x-pq', keyval: { public: '00' } };
    (next.signed.roles as Record<string, { keyids: string[]; threshold: number }>).root = { keyids: [a!.keyid, odd], threshold: 2 };
    expect(thrownKeyriteError(() => prepareRootSigning({ next: signedRootText(next, []), previous: prevText, now: NOW })).code).toBe('TUF_THRESHOLD_INVALID');
  });

  it('takes a first root without a previous one, but no later version', () => {
    const first = rootMetadata({ version: 1, rootKeys: [a!], threshold: 1, online });
    const s = prepareRootSigning({ next: signedRootText(first, []), now: NOW });
    expect(s.previous).toBeUndefined();
    expect(s.changes).toBeUndefined();
    expect(Buffer.from(s.signedBytes).toString('utf8')).toMatch(/^\{"_type":"root","consistent_snapshot":true,"expires":/);
    const later = rootMetadata({ version: 2, rootKeys: [a!], threshold: 1, online });
    expect(thrownKeyriteError(() => prepareRootSigning({ next: signedRootText(later, []), now: NOW })).code).toBe('TUF_VERSION_NOT_NEXT');
  });

  it('takes a previous root whose expiry has fractional seconds (as go-tuf wrote them), noted; refuses them in the new root', () => {
    const old = rootMetadata({ version: 4, rootKeys: [a!, b!], threshold: 1, online, expires: '2027-01-01T00:00:00.663975009Z' });
    const next = rootMetadata({ version: 5, rootKeys: [a!, b!], threshold: 1, online });
    const s = prepareRootSigning({ next: signedRootText(next, []), previous: signedRootText(old, [a!]), now: NOW });
    expect(s.previous!.notes.map((n) => n.code)).toEqual(['TUF_EXPIRES_FRACTION']);
    expect(s.changes!.expires.from).toBe('2027-01-01T00:00:00.663975009Z');
    const e = thrownKeyriteError(() => prepareRootSigning({ next: signedRootText(old, []), previous: prevText, now: NOW }));
    expect(e).toMatchObject({ code: 'TUF_ROOT_FORMAT', message: expect.stringContaining('without fractional seconds') });
  });

  it('names which file is wrong', () => {
    expect(thrownKeyriteError(() => prepareRootSigning({ next: '{}', previous: prevText, now: NOW })).message).toMatch(/^the new root\.json/);
    const next = signedRootText(rootMetadata({ version: 5, rootKeys: [a!], threshold: 1, online }), []);
    expect(thrownKeyriteError(() => prepareRootSigning({ next, previous: 'nope', now: NOW })).message).toMatch(/^the previous root\.json/);
  });
});
