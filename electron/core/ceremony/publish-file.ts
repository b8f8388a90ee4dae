/**
 * Publishing a ceremony output: the file is written atomically, then its SHA-256 is journaled
 * (`file.published`) before the step ends, so the checkpoint after the step covers the hash and
 * `keyrite verify` can tell a changed file from the one the ceremony wrote. Every output someone
 * relies on (public keys, certificates, CRLs, signatures, backup.json, share sheets) goes through here.
 */
import { createHash } from 'node:crypto';
import path from 'node:path';
import { writeFileAtomic } from '../util/fs-durable';
import { ENTRY_KINDS, type FilePublishedData } from '../transcript/entry-kinds';
import type { JournalAppend, RunRead } from './step-context';

/** The journal entry's data for a file's bytes; `name` is relative to the ceremony folder. */
export function filePublishedData(name: string, data: string | Uint8Array): FilePublishedData {
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  return { file: name.split(path.sep).join('/'), sha256: createHash('sha256').update(bytes).digest('hex'), bytes: bytes.length };
}

/** Writes OUT/name atomically, then journals its hash. A crash between the two re-runs the step, which writes and journals again. */
export async function publishFile(ctx: Pick<RunRead, 'outDir'> & Pick<JournalAppend, 'append'>, name: string, data: string | Uint8Array, opts: { mode?: number } = {}): Promise<void> {
  await writeFileAtomic(path.join(ctx.outDir, name), data, opts);
  await ctx.append({ kind: ENTRY_KINDS.filePublished, data: filePublishedData(name, data) });
}
