/**
 * The KSK ceremony's work on a DNSKEY RRset, independent of the token: find the ceremony's key in
 * the set (a set without it, or with it under other flags, is refused before anything is signed),
 * list every key for the people in the room, sign once per window through the given signer, and
 * write the signed RRset and the DS in zone-file text.
 */
import { createHash } from 'node:crypto';
import { KeyriteError } from '../util/errors';
import type { KeyAlgorithm, SignatureScheme } from '../token/types';
import { dnskeyText, dsRecord, dsText, isSep, isZoneKey, keyTag, type DnskeyRecord, type DnssecAlgorithm } from './records';
import { canonicalRrsetWire, dnskeyPublicKey, dnssecAlgorithmOf, dnssecSignature, rrsigFields, rrsigSigningInput, rrsigText, sigTimeText, type ValidityWindow } from './rrsig';

export interface KeyListing { tag: number; flags: number; algorithm: number; role: 'KSK' | 'ZSK' | 'not a zone key'; ceremonyKey: boolean }

export interface CeremonyKsk { record: DnskeyRecord; tag: number; algorithm: DnssecAlgorithm; scheme: SignatureScheme; listing: KeyListing[] }

function refuse(code: string, message: string, action: string): never {
  throw new KeyriteError(code, message, { action });
}

/** The set's record for the ceremony's key (matched by public key, then checked by tag and flags). */
export function findCeremonyKsk(rrset: DnskeyRecord[], spki: Uint8Array, keyAlgorithm: KeyAlgorithm, expectedTag?: number): CeremonyKsk {
  const alg = dnssecAlgorithmOf(keyAlgorithm);
  if (!alg) refuse('DNSSEC_ALGORITHM_UNSUPPORTED', `The ceremony's key is ${keyAlgorithm}, which has no DNSSEC algorithm Keyrite signs with (8, 13, 14, 15).`, 'Use an RSA, EC P-256, EC P-384 or Ed25519 key for a KSK.');
  const pub = Buffer.from(dnskeyPublicKey(spki, alg.algorithm));
  const listing = rrset.map((r): KeyListing => ({
    tag: keyTag(r), flags: r.flags, algorithm: r.algorithm, role: !isZoneKey(r) ? 'not a zone key' : isSep(r) ? 'KSK' : 'ZSK',
    ceremonyKey: r.algorithm === alg.algorithm && pub.equals(Buffer.from(r.publicKey)),
  }));
  const at = listing.findIndex((l) => l.ceremonyKey);
  if (at < 0) {
    refuse('DNSKEY_KSK_NOT_CEREMONY_KEY', `No DNSKEY in the set is the ceremony's key (algorithm ${alg.algorithm}); the set holds ${listing.map((l) => `${l.tag}/${l.algorithm}/${l.flags}`).join(', ')}.`,
      'Stop: this set was not made for the key on this token. Check the token and the DNSKEY file agreed for the ceremony.');
  }
  const record = rrset[at]!;
  const tag = listing[at]!.tag;
  if (!isZoneKey(record) || !isSep(record)) {
    refuse('DNSKEY_KSK_FLAGS', `The ceremony's key is in the set with flags ${record.flags}, not as a KSK (257: zone key and secure entry point).`, 'Fix the DNSKEY file: the KSK record needs flags 257.');
  }
  if (expectedTag !== undefined && tag !== expectedTag) {
    refuse('DNSKEY_KSK_TAG', `The ceremony's key has key tag ${tag}, not ${expectedTag} as the script says.`, 'Stop: check which key the script was agreed for.');
  }
  return { record, tag, algorithm: alg.algorithm, scheme: alg.scheme, listing };
}

export interface SignedDnskey {
  rrsetSha256: string;
  rrsigs: { inception: string; expiration: string; text: string }[];
  signedText: string;
  dsText: string;
}

/**
 * Signs the RRset once per window. `sign` returns the token API's signature (ECDSA in DER) and
 * `verify` checks it with the public key: a signature that does not verify is never written.
 */
export async function signDnskeyRrset(rrset: DnskeyRecord[], ksk: CeremonyKsk, windows: ValidityWindow[],
  sign: (data: Uint8Array) => Promise<Uint8Array>, verify: (data: Uint8Array, sig: Uint8Array) => boolean): Promise<SignedDnskey> {
  const rrsigs = [];
  for (const w of windows) {
    const f = rrsigFields(rrset, ksk.record, ksk.tag, w);
    const data = rrsigSigningInput(rrset, f);
    const sig = await sign(data);
    if (!verify(data, sig)) {
      refuse('RRSIG_SIGNATURE_INVALID', 'The token\'s signature over the DNSKEY RRset does not verify with the key\'s public key.', 'Do not publish it; check the key on the token and sign again.');
    }
    rrsigs.push({ inception: sigTimeText(w.inception), expiration: sigTimeText(w.expiration), text: rrsigText(ksk.record.owner, f, dnssecSignature(ksk.algorithm, sig)) });
  }
  const sorted = [...rrset].sort((a, b) => Buffer.compare(Buffer.from(canonicalRrsetWire([a], a.ttl)), Buffer.from(canonicalRrsetWire([b], b.ttl))));
  const signedText = `; DNSKEY RRset of ${ksk.record.owner} signed by KSK ${ksk.tag} (algorithm ${ksk.algorithm})\n${[...sorted.map(dnskeyText), ...rrsigs.map((r) => r.text)].join('\n')}\n`;
  return {
    rrsetSha256: createHash('sha256').update(canonicalRrsetWire(rrset, rrset[0]!.ttl)).digest('hex'),
    rrsigs, signedText, dsText: `${dsText(dsRecord(ksk.record))}\n`,
  };
}
