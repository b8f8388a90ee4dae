/**
 * Small signed one-step transcripts for the file checks (smallTranscript's, with one step): ceremony.start,
 * step "a" with the entries given, then (unless open) the seal, all covered by a checkpoint signed
 * with the transcript key.
 * Entry seqs: 0 ceremony.start, 1 step.start, 2.. the rows in order.
 */
import { createHash, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { smallTranscript, type Row as SmallRow } from './small-transcript';

export interface Row { kind: string; data: unknown }

export const sha256 = (b: Uint8Array | string): string => createHash('sha256').update(b).digest('hex');

/** A P-384 key pair with its SPKI (DER). */
export function p384(): { spki: Buffer; privateKey: KeyObject } {
  const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-384' });
  return { spki: publicKey.export({ type: 'spki', format: 'der' }), privateKey };
}

/** The key.generated (or key.prior) entry for an SPKI, its fingerprint right. */
export const keyRow = (spki: Buffer, id = '01', kind = 'key.generated'): Row => ({
  kind, data: { label: `k${id}`, id, algorithm: 'ec-p384', spki: spki.toString('base64'), fingerprint: sha256(spki), fingerprintWords: [], proof: {} },
});

export async function signedFolder(root: string, rows: Row[], opts: { rehearsal?: boolean; open?: boolean; scriptSha256?: string } = {}): Promise<string> {
  const entries: SmallRow[] = [
    ['step.start', 'a'],
    // Keys set to undefined are left out, as JSON would.
    ...rows.map((r): SmallRow => [r.kind, 'a', JSON.parse(JSON.stringify(r.data)) as unknown]),
    ['step.result', 'a', { outcome: 'ok' }],
  ];
  // The seal counts the entries before it: ceremony.start and the rows above.
  if (!opts.open) entries.push(['ceremony.sealed', '-', { entries: 1 + entries.length, outcome: 'completed' }]);
  const t = await smallTranscript(root, entries, {
    start: { steps: ['a'], script: { id: 's', title: 'S', type: 'test', sha256: opts.scriptSha256 ?? '00'.repeat(32) }, rehearsal: opts.rehearsal ? true : undefined },
  });
  return t.dir;
}
