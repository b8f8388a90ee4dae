/**
 * Opening a run's folder, fresh or after a crash. A crash can leave three things behind that a
 * resumed run must clear before it does anything else:
 *  - temp files of an interrupted publish (they may hold a share sheet or a key): shredded;
 *  - a transcript key caught halfway through its destruction: finished off;
 *  - a run that died before `ceremony.start` was durable (an empty journal, perhaps a key file that
 *    no entry records): nothing irreversible happened yet, so its key is destroyed and the run
 *    starts over in the same folder, rather than being refused as "a different script".
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { Journal } from '../transcript/journal';
import { makePrivateDir, removeLeftoverTemps } from '../util/fs-durable';
import { destroyTranscriptKey, finishKeyDestruction } from './transcript-key-file';

export const TRANSCRIPT_FILE = 'transcript.jsonl';
/** The rehearsal token's own store: SoftHSM2 manages its files, Keyrite leaves them alone. */
const NOT_OURS = ['token'];

export interface OpenedRunJournal {
  journal: Journal;
  /** True when the journal holds a started run to resume; false for a run to start. */
  resumed: boolean;
}

export async function openRunJournal(outDir: string, ceremonyId: string): Promise<OpenedRunJournal> {
  await makePrivateDir(outDir);
  await removeLeftoverTemps(outDir, NOT_OURS);
  await finishKeyDestruction(outDir);
  const file = path.join(outDir, TRANSCRIPT_FILE);
  if (!existsSync(file)) return { journal: await Journal.create(file, { ceremonyId }), resumed: false };
  const { journal } = await Journal.open(file, { ceremonyId });
  if (journal.size > 0) return { journal, resumed: true };
  // Died before ceremony.start: a key file here was never recorded and must not sign anything.
  await destroyTranscriptKey(outDir);
  return { journal, resumed: false };
}
