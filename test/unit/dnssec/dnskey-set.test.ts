/**
 * What the KSK ceremony refuses before anything is signed: input that is not one zone's DNSKEY
 * RRset, a set without the ceremony's key, the key under other flags or another key tag. And that
 * the signed input does not depend on how the set was written (case, order, line splits).
 */
import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { keyTag, parseDnskeyRrset } from '../../../electron/core/dnssec/records';
import { dnskeyPublicKey, rrsigFields, rrsigSigningInput } from '../../../electron/core/dnssec/rrsig';
import { findCeremonyKsk } from '../../../electron/core/dnssec/ksk-signing';

const spkiOf = (k: { publicKey: { export(o: { type: 'spki'; format: 'der' }): Buffer } }) => new Uint8Array(k.publicKey.export({ type: 'spki', format: 'der' }));
const ceremony = spkiOf(generateKeyPairSync('ec', { namedCurve: 'P-384' }));
const other = spkiOf(generateKeyPairSync('ec', { namedCurve: 'P-384' }));
const b64 = (spki: Uint8Array) => Buffer.from(dnskeyPublicKey(spki, 14)).toString('base64');
const line = (flags: number, spki: Uint8Array, owner = 'example.test.', ttl = 3600) => `${owner} ${ttl} IN DNSKEY ${flags} 3 14 ${b64(spki)}`;

describe('DNSKEY RRset input', () => {
  it.each([
    ['a relative owner', `example.test 3600 IN DNSKEY 257 3 14 ${b64(ceremony)}`, /not absolute/],
    ['no TTL', `example.test. IN DNSKEY 257 3 14 ${b64(ceremony)}`, /no TTL/],
    ['two owners', `${line(257, ceremony)}\n${line(256, other, 'other.test.')}`, /mixes owners/],
    ['two TTLs', `${line(257, ceremony)}\n${line(256, other, 'example.test.', 300)}`, /mixes TTLs/],
    ['another type', 'example.test. 3600 IN A 192.0.2.1', /Unexpected "A"/],
    ['another class', `example.test. 3600 CH DNSKEY 257 3 14 ${b64(ceremony)}`, /Unexpected "CH"/],
    ['protocol other than 3', `example.test. 3600 IN DNSKEY 257 2 14 ${b64(ceremony)}`, /protocol/],
    ['a key that is not base64', 'example.test. 3600 IN DNSKEY 257 3 14 not*base64', /not base64/],
    ['an unclosed parenthesis', `example.test. 3600 IN DNSKEY 257 3 14 ( ${b64(ceremony)}`, /never closed/],
    ['the same key twice', `${line(257, ceremony)}\n${line(257, ceremony)}`, /same DNSKEY twice/],
    ['nothing', '; only a comment\n', /no DNSKEY/],
  ])('refuses %s', (_what, text, message) => {
    expect(() => parseDnskeyRrset(text)).toThrow(message);
  });

  it('signs the same bytes however the set is written: owner case, record order, line splits, comments', () => {
    const a = parseDnskeyRrset(`${line(257, ceremony)}\n${line(256, other)}\n`);
    const k = b64(other);
    const b = parseDnskeyRrset(`; keys\nEXAMPLE.Test. IN 3600 DNSKEY 256 3 14 (\n ${k.slice(0, 30)} ; first half\n ${k.slice(30)} )\n${line(257, ceremony, 'Example.TEST.')}`);
    const w = { inception: new Date('2027-01-01T00:00:00Z'), expiration: new Date('2027-02-01T00:00:00Z') };
    const fa = rrsigFields(a, a[0]!, keyTag(a[0]!), w);
    const fb = rrsigFields(b, b[1]!, keyTag(b[1]!), w);
    expect(Buffer.from(rrsigSigningInput(b, fb))).toEqual(Buffer.from(rrsigSigningInput(a, fa)));
  });
});

describe('the ceremony key in the set', () => {
  it('is found as the KSK and every key is listed with tag, flags and role', () => {
    const set = parseDnskeyRrset(`${line(256, other)}\n${line(257, ceremony)}`);
    const ksk = findCeremonyKsk(set, ceremony, 'ec-p384');
    expect(ksk.algorithm).toBe(14);
    expect(ksk.tag).toBe(keyTag(set[1]!));
    expect(ksk.listing.map((l) => [l.role, l.flags, l.ceremonyKey])).toEqual([['ZSK', 256, false], ['KSK', 257, true]]);
  });

  it('refuses a set whose KSK is another key', () => {
    const zsk = spkiOf(generateKeyPairSync('ec', { namedCurve: 'P-384' }));
    const set = parseDnskeyRrset(`${line(257, other)}\n${line(256, zsk)}`);
    expect(() => findCeremonyKsk(set, ceremony, 'ec-p384')).toThrow(expect.objectContaining({ code: 'DNSKEY_KSK_NOT_CEREMONY_KEY' }));
  });

  it('refuses the ceremony key listed as a ZSK (flags 256) or not as a zone key', () => {
    expect(() => findCeremonyKsk(parseDnskeyRrset(line(256, ceremony)), ceremony, 'ec-p384')).toThrow(expect.objectContaining({ code: 'DNSKEY_KSK_FLAGS' }));
    expect(() => findCeremonyKsk(parseDnskeyRrset(line(1, ceremony)), ceremony, 'ec-p384')).toThrow(expect.objectContaining({ code: 'DNSKEY_KSK_FLAGS' }));
  });

  it('refuses a key tag other than the one the script names', () => {
    const set = parseDnskeyRrset(line(257, ceremony));
    const tag = keyTag(set[0]!);
    expect(findCeremonyKsk(set, ceremony, 'ec-p384', tag).tag).toBe(tag);
    expect(() => findCeremonyKsk(set, ceremony, 'ec-p384', (tag + 1) & 0xffff)).toThrow(expect.objectContaining({ code: 'DNSKEY_KSK_TAG' }));
  });

  it('refuses a key with no DNSSEC algorithm (P-521) and the same key bytes under another algorithm number', () => {
    expect(() => findCeremonyKsk(parseDnskeyRrset(line(257, ceremony)), ceremony, 'ec-p521')).toThrow(expect.objectContaining({ code: 'DNSSEC_ALGORITHM_UNSUPPORTED' }));
    const as13 = parseDnskeyRrset(`example.test. 3600 IN DNSKEY 257 3 13 ${b64(ceremony)}`);
    expect(() => findCeremonyKsk(as13, ceremony, 'ec-p384')).toThrow(expect.objectContaining({ code: 'DNSKEY_KSK_NOT_CEREMONY_KEY' }));
  });
});
