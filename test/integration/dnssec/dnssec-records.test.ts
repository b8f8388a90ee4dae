import { generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { dnskeyText, dsRecord, dsText, keyTag, parseDnskeyRrset, type DnssecAlgorithm } from '../../../electron/core/dnssec/records';
import { dnskeyPublicKey, dnssecSignature, rrsigFields, rrsigSigningInput, rrsigText } from '../../../electron/core/dnssec/rrsig';
import { bindVerify, dsFromKey, ldnsVerifyZone, makeZsk, signedZone, tamperRrsig } from '../../helpers/dnssec-zone';

const ORIGIN = 'Example.Test.';

function kskPair(alg: DnssecAlgorithm): { privateKey: KeyObject; spki: Uint8Array; hash: string | null } {
  const pair = alg === 8 ? generateKeyPairSync('rsa', { modulusLength: 2048 })
    : alg === 15 ? generateKeyPairSync('ed25519')
      : generateKeyPairSync('ec', { namedCurve: alg === 13 ? 'P-256' : 'P-384' });
  const spki = new Uint8Array(pair.publicKey.export({ type: 'spki', format: 'der' }));
  return { privateKey: pair.privateKey, spki, hash: alg === 15 ? null : alg === 14 ? 'sha384' : 'sha256' };
}

/** Signs as the token API would answer: ECDSA in DER, RSA PKCS#1 v1.5 and Ed25519 as they are. */
function tokenLikeSign(k: ReturnType<typeof kskPair>, data: Uint8Array): Uint8Array {
  return new Uint8Array(sign(k.hash, data, { key: k.privateKey, dsaEncoding: 'der' }));
}

const now = Date.now();
const windows = [
  { inception: new Date(now - 3600_000), expiration: new Date(now + 20 * 86400_000) },
  { inception: new Date(now - 7200_000), expiration: new Date(now + 40 * 86400_000) },
];

describe.each([13, 14, 8, 15] as DnssecAlgorithm[])('DNSSEC algorithm %i, checked by ldns and BIND tools', (alg) => {
  const dir = mkdtempSync(path.join(tmpdir(), `keyrite-dnssec-${alg}-`));
  const k = kskPair(alg);
  // The ZSK of the KSK's algorithm, so that BIND's check (every algorithm signs everything) applies too.
  const zsk = makeZsk(dir, ORIGIN.toLowerCase(), 3600, alg);
  const ksk = { owner: ORIGIN.toLowerCase(), ttl: 3600, flags: 257, protocol: 3, algorithm: alg, publicKey: dnskeyPublicKey(k.spki, alg) };
  // The KSK written with the owner's case as given and split over lines: parsing must canonicalise both.
  const b64 = Buffer.from(ksk.publicKey).toString('base64');
  const rrsetText = `; the zone's keys\n${ORIGIN} 3600 IN DNSKEY 257 3 ${alg} ( ${b64.slice(0, 20)}\n  ${b64.slice(20)} )\n${zsk.dnskeyLine}\n`;
  const rrset = parseDnskeyRrset(rrsetText);
  const parsedKsk = rrset.find((r) => r.flags === 257)!;
  const tag = keyTag(parsedKsk);
  const rrsigs = windows.map((w) => {
    const f = rrsigFields(rrset, parsedKsk, tag, w);
    return rrsigText(parsedKsk.owner, f, dnssecSignature(alg, tokenLikeSign(k, rrsigSigningInput(rrset, f))));
  });
  const dsFile = path.join(dir, 'ds.txt');
  writeFileSync(dsFile, `${dsText(dsRecord(parsedKsk))}\n`);

  it('key tags and DS records equal dnssec-dsfromkey\'s', () => {
    const keysFile = path.join(dir, 'keys.db');
    writeFileSync(keysFile, `${rrset.map(dnskeyText).join('\n')}\n`);
    const ours = rrset.map((r) => { const d = dsRecord(r); return `${d.keyTag} ${d.algorithm} 2 ${d.digest}`; });
    expect(dsFromKey(keysFile, ORIGIN.toLowerCase()).sort()).toEqual(ours.sort());
    expect(parsedKsk.publicKey).toEqual(ksk.publicKey);
  });

  it('ldns-verify-zone accepts the zone with only the KSK\'s RRSIGs on the DNSKEY RRset and the DS as anchor; a changed RRSIG byte is rejected', () => {
    const zone = signedZone(dir, ORIGIN.toLowerCase(), rrsetText, zsk.base, rrsigs, windows[0]!);
    const good = ldnsVerifyZone(zone, dsFile);
    expect(good.output).not.toMatch(/bogus|error/i);
    expect(good.ok, good.output).toBe(true);
    const bind = bindVerify(zone, ORIGIN.toLowerCase());
    expect(bind.ok, bind.output).toBe(true);
    tamperRrsig(zone, rrsigs[0]!);
    tamperRrsig(zone, rrsigs[1]!);
    const bad = ldnsVerifyZone(zone, dsFile);
    expect(bad.ok, bad.output).toBe(false);
    expect(bindVerify(zone, ORIGIN.toLowerCase()).ok).toBe(false);
  });

  it('a DS for another key is no trust anchor for the zone', () => {
    const zone = signedZone(dir, ORIGIN.toLowerCase(), rrsetText, zsk.base, rrsigs, windows[0]!);
    const zskDs = path.join(dir, 'zsk-ds.txt');
    writeFileSync(zskDs, `${dsText(dsRecord({ ...parsedKsk, publicKey: dnskeyPublicKey(kskPair(alg).spki, alg) }))}\n`);
    expect(ldnsVerifyZone(zone, zskDs).ok).toBe(false);
  });
});
