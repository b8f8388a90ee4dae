/**
 * Outside DNSSEC tools for tests: a software ZSK from ldns-keygen signs a small zone with
 * ldns-signzone, the DNSKEY RRset keeps only the KSK signatures given, and ldns-verify-zone (with the
 * DS as the only trust anchor) or dnssec-dsfromkey judges the result.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const LDNS_ALGORITHMS: Record<number, string[]> = { 8: ['-a', 'RSASHA256', '-b', '2048'], 13: ['-a', 'ECDSAP256SHA256'], 14: ['-a', 'ECDSAP384SHA384'], 15: ['-a', 'ED25519'] };

/** A ZSK made by ldns-keygen (algorithm 13 unless given: BIND wants every algorithm of the set to sign the whole zone). */
export function makeZsk(dir: string, origin: string, ttl: number, algorithm = 13): { base: string; dnskeyLine: string } {
  const base = execFileSync('ldns-keygen', [...LDNS_ALGORITHMS[algorithm]!, origin.replace(/\.$/, '')], { cwd: dir, encoding: 'utf8' }).trim();
  const key = readFileSync(path.join(dir, `${base}.key`), 'utf8').replace(/;.*$/m, '').trim();
  const [, , , flags, proto, alg, ...pub] = key.split(/\s+/);
  return { base: path.join(dir, base), dnskeyLine: `${origin} ${ttl} IN DNSKEY ${flags} ${proto} ${alg} ${pub.join('')}` };
}

const stamp = (d: Date): string => d.toISOString().replace(/[-:T]/g, '').slice(0, 14);

/** A zone (SOA, NS, A and the DNSKEY RRset) signed by the ZSK, its DNSKEY RRSIGs replaced by `kskRrsigs`. */
export function signedZone(dir: string, origin: string, dnskeyRrset: string, zskBase: string, kskRrsigs: string[], w: { inception: Date; expiration: Date }): string {
  const zone = path.join(dir, 'zone.db');
  writeFileSync(zone, [
    `$ORIGIN ${origin}`,
    `${origin} 3600 IN SOA ns1.${origin} hostmaster.${origin} 2026120701 7200 3600 1209600 3600`,
    `${origin} 3600 IN NS ns1.${origin}`,
    `ns1.${origin} 3600 IN A 192.0.2.53`,
    `www.${origin} 3600 IN A 192.0.2.80`,
    dnskeyRrset.trim(), '',
  ].join('\n'));
  execFileSync('ldns-signzone', ['-i', stamp(w.inception), '-e', stamp(w.expiration), '-f', `${zone}.zsk`, zone, zskBase], { cwd: dir });
  const lines = readFileSync(`${zone}.zsk`, 'utf8').split('\n').filter((l) => !/\sRRSIG\s+DNSKEY\s/.test(l));
  const out = path.join(dir, 'zone.signed');
  writeFileSync(out, [...lines.filter((l) => l.trim()), ...kskRrsigs, ''].join('\n'));
  return out;
}

/** `at`: validation time as YYYYMMDDhhmmss (default now). */
export function ldnsVerifyZone(zone: string, anchorFile: string, at?: string): { ok: boolean; output: string } {
  const r = spawnSync('ldns-verify-zone', ['-V', '2', ...(at ? ['-t', at] : []), '-k', anchorFile, zone], { encoding: 'utf8' });
  return { ok: r.status === 0, output: `${r.stdout}${r.stderr}` };
}

/** BIND's `dnssec-verify -x` (the DNSKEY RRset signed by KSKs only), at the current time. */
export function bindVerify(zone: string, origin: string): { ok: boolean; output: string } {
  const r = spawnSync('dnssec-verify', ['-x', '-o', origin, zone], { encoding: 'utf8' });
  return { ok: r.status === 0, output: `${r.stdout}${r.stderr}` };
}

/** `dnssec-dsfromkey -2` for every DNSKEY in a zone file (-A: ZSKs too), as "tag alg 2 DIGEST" strings. */
export function dsFromKey(zoneFile: string, origin: string): string[] {
  const out = execFileSync('dnssec-dsfromkey', ['-2', '-A', '-f', zoneFile, origin], { encoding: 'utf8' });
  return out.trim().split('\n').map((l) => l.trim().split(/\s+/).slice(-4).join(' ').toUpperCase());
}

/** Flips one byte of the signature of each RRSIG line given, in the zone file. */
export function tamperRrsig(zone: string, line: string): void {
  const parts = line.trim().split(/\s+/);
  const sig = Buffer.from(parts[parts.length - 1]!, 'base64');
  sig[5] = sig[5]! ^ 0x01;
  const changed = [...parts.slice(0, -1), sig.toString('base64')].join(' ');
  writeFileSync(zone, readFileSync(zone, 'utf8').replace(line, changed));
}
