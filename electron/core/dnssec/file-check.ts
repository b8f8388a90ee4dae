/**
 * `keyrite verify` on a sign-dnskey folder: dnskey.signed must hold the RRset journaled (its
 * canonical SHA-256) and only RRSIGs that verify with the recorded key; ds.txt must be the DS
 * journaled. Each check returns why the file fails, or undefined when it holds.
 */
import { createHash } from 'node:crypto';
import { ecdsaRawToDer, verifySignature } from '../token/verify';
import { parseDnskeyRrset, type DnssecAlgorithm } from './records';
import { canonicalRrsetWire, rrsigSigningInput, type RrsigFields } from './rrsig';

const SCHEMES = { 8: 'rsa-pkcs1-sha256', 13: 'ecdsa-sha256', 14: 'ecdsa-sha384', 15: 'ed25519' } as const;

function seconds(text: string): number {
  const m = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})$/.exec(text);
  return m ? Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!) / 1000 : NaN;
}

function parseRrsig(line: string): { f: RrsigFields; sig: Buffer } | undefined {
  const t = line.trim().split(/\s+/);
  if (t.length < 13 || t[3] !== 'RRSIG' || t[4] !== 'DNSKEY') return undefined;
  const algorithm = Number(t[5]) as DnssecAlgorithm;
  if (!(algorithm in SCHEMES)) return undefined;
  return {
    f: { algorithm, labels: Number(t[6]), originalTtl: Number(t[7]), expiration: seconds(t[8]!), inception: seconds(t[9]!), keyTag: Number(t[10]), signer: t[11]! },
    sig: Buffer.from(t.slice(12).join(''), 'base64'),
  };
}

/** Why dnskey.signed is not what the transcript records (`rrsetSha256`, signed by `spki`), or undefined. */
export function dnskeySignedProblem(text: string, rrsetSha256: string, spki: Uint8Array | undefined): string | undefined {
  const lines = text.split('\n').map((l) => l.replace(/;.*$/, '').trim()).filter(Boolean);
  const rrsigLines = lines.filter((l) => /\sRRSIG\s/.test(l));
  let rrset;
  try {
    rrset = parseDnskeyRrset(lines.filter((l) => !/\sRRSIG\s/.test(l)).join('\n'));
  } catch {
    return 'it does not hold a DNSKEY RRset';
  }
  if (createHash('sha256').update(canonicalRrsetWire(rrset, rrset[0]!.ttl)).digest('hex') !== rrsetSha256) return 'its DNSKEY RRset is not the one signed';
  if (rrsigLines.length === 0) return 'it holds no RRSIG';
  if (!spki) return 'the signing key is not recorded in this transcript';
  for (const l of rrsigLines) {
    const r = parseRrsig(l);
    if (!r) return `an RRSIG cannot be read: ${l.slice(0, 60)}`;
    const scheme = SCHEMES[r.f.algorithm];
    const sig = scheme.startsWith('ecdsa') ? ecdsaRawToDer(r.sig) : r.sig;
    if (!verifySignature(spki, scheme, rrsigSigningInput(rrset, r.f), sig)) return `an RRSIG (key tag ${r.f.keyTag}) is not a valid signature over the RRset by the recorded key`;
  }
  return undefined;
}
