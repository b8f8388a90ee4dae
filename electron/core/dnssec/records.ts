/**
 * DNSKEY records in zone-file text and wire form (RFC 4034 section 2, 5 and Appendix B): parse an
 * RRset, encode its RDATA, compute key tags and SHA-256 DS records. Only what a KSK ceremony needs:
 * absolute owner names, class IN, no $ORIGIN or relative names (a relative name could silently sign
 * the wrong zone).
 */
import { createHash } from 'node:crypto';
import { KeyriteError } from '../util/errors';

export const TYPE_DNSKEY = 48;
export const CLASS_IN = 1;
/** Algorithms Keyrite signs with: 8 RSA/SHA-256, 13 ECDSA P-256, 14 ECDSA P-384, 15 Ed25519. */
export const DNSSEC_ALGORITHMS = [8, 13, 14, 15] as const;
export type DnssecAlgorithm = typeof DNSSEC_ALGORITHMS[number];

export interface DnskeyRecord {
  owner: string;
  ttl: number;
  flags: number;
  protocol: number;
  algorithm: number;
  publicKey: Uint8Array;
}

function bad(message: string): never {
  throw new KeyriteError('DNSKEY_INPUT_INVALID', message, { action: 'Give the DNSKEY RRset as zone-file text: "owner. TTL IN DNSKEY flags 3 algorithm base64-key", one record per line (parentheses allowed), absolute owner names.' });
}

/** Lowercased absolute name without escapes; the canonical form RFC 4034 6.2 asks for. */
export function canonicalName(name: string): string {
  if (!name.endsWith('.')) bad(`The owner name ${name} is not absolute (it must end with a dot).`);
  if (name.includes('\\')) bad(`The owner name ${name} has an escape; Keyrite takes plain names only.`);
  return name === '.' ? '.' : name.toLowerCase();
}

/** Uncompressed wire form of a canonical name (RFC 1035 3.1). */
export function nameWire(name: string): Uint8Array {
  const n = canonicalName(name);
  const labels = n === '.' ? [] : n.slice(0, -1).split('.');
  const out: number[] = [];
  for (const l of labels) {
    const b = Buffer.from(l, 'ascii');
    if (b.length === 0 || b.length > 63) bad(`The name ${name} has an empty or over-long label.`);
    out.push(b.length, ...b);
  }
  out.push(0);
  if (out.length > 255) bad(`The name ${name} is longer than 255 octets.`);
  return new Uint8Array(out);
}

/** Labels of the owner, not counting the root or a leading wildcard (the RRSIG Labels field). */
export function labelCount(name: string): number {
  const n = canonicalName(name);
  if (n === '.') return 0;
  const labels = n.slice(0, -1).split('.');
  return labels[0] === '*' ? labels.length - 1 : labels.length;
}

/** Strips comments and joins parenthesised continuations into one logical line per record. */
function logicalLines(text: string): string[] {
  const lines: string[] = [];
  let cur = '';
  let depth = 0;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.replace(/;.*$/, '');
    for (const ch of line) {
      if (ch === '(') depth++;
      else if (ch === ')') depth--;
      if (depth < 0) bad('A closing parenthesis has no opening one.');
    }
    cur += ` ${line.replace(/[()]/g, ' ')}`;
    if (depth === 0) {
      if (cur.trim()) lines.push(cur.trim());
      cur = '';
    }
  }
  if (depth !== 0) bad('An opening parenthesis is never closed.');
  return lines;
}

function parseRecord(line: string): DnskeyRecord {
  const t = line.split(/\s+/);
  const owner = canonicalName(t.shift() ?? '');
  let ttl: number | undefined;
  let sawClass = false;
  while (t.length > 0 && t[0]!.toUpperCase() !== 'DNSKEY') {
    const tok = t.shift()!;
    if (/^\d+$/.test(tok) && ttl === undefined) ttl = Number(tok);
    else if (tok.toUpperCase() === 'IN' && !sawClass) sawClass = true;
    else bad(`Unexpected "${tok}" in: ${line} (only DNSKEY records of class IN are taken).`);
  }
  if (t.shift()?.toUpperCase() !== 'DNSKEY') bad(`Not a DNSKEY record: ${line}`);
  if (ttl === undefined || ttl > 0x7fffffff) bad(`The record has no TTL (or one out of range): ${line}`);
  const [flags, protocol, algorithm, ...key] = t;
  const nums = [flags, protocol, algorithm].map((x) => (x && /^\d+$/.test(x) ? Number(x) : NaN));
  if (nums.some((x) => Number.isNaN(x)) || nums[0]! > 0xffff || nums[1]! > 255 || nums[2]! > 255) bad(`Flags, protocol or algorithm is not a number in range: ${line}`);
  const b64 = key.join('');
  if (!b64 || !/^[A-Za-z0-9+/]+={0,2}$/.test(b64)) bad(`The public key is not base64: ${line}`);
  if (nums[1] !== 3) bad(`The protocol field must be 3 (RFC 4034 2.1.2): ${line}`);
  return { owner, ttl, flags: nums[0]!, protocol: nums[1]!, algorithm: nums[2]!, publicKey: new Uint8Array(Buffer.from(b64, 'base64')) };
}

/** One DNSKEY RRset: every record has the same owner and TTL (RFC 2181 5.2); duplicates are refused. */
export function parseDnskeyRrset(text: string): DnskeyRecord[] {
  const records = logicalLines(text).filter((l) => !l.startsWith('$')).map(parseRecord);
  if (records.length === 0) bad('The input holds no DNSKEY record.');
  const { owner, ttl } = records[0]!;
  for (const r of records) {
    if (r.owner !== owner) bad(`The set mixes owners ${owner} and ${r.owner}; give one zone's DNSKEY RRset.`);
    if (r.ttl !== ttl) bad(`The set mixes TTLs ${ttl} and ${r.ttl}; an RRset has one TTL.`);
  }
  const seen = new Set(records.map((r) => Buffer.from(dnskeyRdata(r)).toString('hex')));
  if (seen.size !== records.length) bad('The set holds the same DNSKEY twice.');
  return records;
}

export function dnskeyRdata(r: Pick<DnskeyRecord, 'flags' | 'protocol' | 'algorithm' | 'publicKey'>): Uint8Array {
  const out = Buffer.alloc(4 + r.publicKey.length);
  out.writeUInt16BE(r.flags, 0);
  out[2] = r.protocol;
  out[3] = r.algorithm;
  out.set(r.publicKey, 4);
  return new Uint8Array(out);
}

/** RFC 4034 Appendix B (algorithm 1 keys, which use another rule, are never signed with). */
export function keyTag(r: Pick<DnskeyRecord, 'flags' | 'protocol' | 'algorithm' | 'publicKey'>): number {
  const rdata = dnskeyRdata(r);
  let ac = 0;
  for (let i = 0; i < rdata.length; i++) ac += i & 1 ? rdata[i]! : rdata[i]! << 8;
  ac += (ac >>> 16) & 0xffff;
  return ac & 0xffff;
}

export const isSep = (r: Pick<DnskeyRecord, 'flags'>): boolean => (r.flags & 1) === 1;
export const isZoneKey = (r: Pick<DnskeyRecord, 'flags'>): boolean => (r.flags & 0x100) !== 0;

export interface DsRecord { owner: string; ttl: number; keyTag: number; algorithm: number; digestType: 2; digest: string }

/** DS with SHA-256 (digest type 2, RFC 4509): digest over owner wire || DNSKEY RDATA. */
export function dsRecord(r: DnskeyRecord): DsRecord {
  const digest = createHash('sha256').update(nameWire(r.owner)).update(dnskeyRdata(r)).digest('hex').toUpperCase();
  return { owner: r.owner, ttl: r.ttl, keyTag: keyTag(r), algorithm: r.algorithm, digestType: 2, digest };
}

export function dsText(ds: DsRecord): string {
  return `${ds.owner} ${ds.ttl} IN DS ${ds.keyTag} ${ds.algorithm} ${ds.digestType} ${ds.digest}`;
}

export function dnskeyText(r: DnskeyRecord): string {
  return `${r.owner} ${r.ttl} IN DNSKEY ${r.flags} ${r.protocol} ${r.algorithm} ${Buffer.from(r.publicKey).toString('base64')}`;
}
