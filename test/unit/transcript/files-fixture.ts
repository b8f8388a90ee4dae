/**
 * Small signed one-step transcripts for the file checks: ceremony.start, step "a" with the entries
 * given, then (unless open) the seal, all covered by a checkpoint signed with the transcript key.
 * Entry seqs: 0 ceremony.start, 1 step.start, 2.. the rows in order.
 */
import { createHash, generateKeyPairSync, type KeyObject } from 'node:crypto';
import path from 'node:path';
import { Journal } from '../../../electron/core/transcript/journal';
import { writeCheckpoint } from '../../../electron/core/transcript/checkpoint';
import { generateNoteKey, keyFileSigner } from '../../../electron/core/transcript/note';

export interface Row { kind: string; data: unknown }
const admin = { role: 'administrator', name: 'Ada' };
let n = 0;

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
  const dir = path.join(root, `f${n++}`);
  const id = `files-${n}`;
  const t = generateNoteKey(`keyrite.transcript/${id}`);
  const j = await Journal.create(path.join(dir, 'transcript.jsonl'), { ceremonyId: id });
  await j.append({
    kind: 'ceremony.start', step: '-', actor: admin,
    data: {
      script: { id: 's', title: 'S', type: 'test', sha256: opts.scriptSha256 ?? '00'.repeat(32) }, steps: ['a'], transcriptKey: t.verifierKey, transcriptKeySource: 'file',
      participants: [admin], ...(opts.rehearsal ? { rehearsal: true } : {}),
    },
  });
  await j.append({ kind: 'step.start', step: 'a', actor: admin, data: {} });
  // Keys set to undefined are left out, as JSON would.
  for (const r of rows) await j.append({ kind: r.kind, step: 'a', actor: admin, data: JSON.parse(JSON.stringify(r.data)) as unknown });
  await j.append({ kind: 'step.result', step: 'a', actor: admin, data: { outcome: 'ok' } });
  if (!opts.open) await j.append({ kind: 'ceremony.sealed', step: '-', actor: admin, data: { entries: j.size, outcome: 'completed' } });
  await writeCheckpoint(dir, j, [keyFileSigner(t.signerKey)]);
  await j.close();
  return dir;
}
