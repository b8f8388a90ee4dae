/**
 * Child process for the crash test: opens (or creates) a journal and appends entries as fast as it
 * can, telling the parent each seq only after append() has returned. The parent SIGKILLs it.
 */
import { existsSync } from 'node:fs';
import { Journal } from '../../../electron/core/transcript/journal';
import { crashEntryData } from './crash-data';

const [file, ceremonyId] = process.argv.slice(2) as [string, string];
const send = (m: unknown) => new Promise<void>((resolve) => process.send?.(m, undefined, {}, () => resolve()));

const { journal, repaired } = existsSync(file) ? await Journal.open(file, { ceremonyId }) : { journal: await Journal.create(file, { ceremonyId }), repaired: undefined };
await send({ opened: journal.size, repaired: repaired?.truncatedBytes ?? 0 });
for (;;) {
  const seq = journal.size;
  const e = await journal.append({ kind: 'step.note', step: 's', actor: { role: 'system', name: 'crash-test' }, data: crashEntryData(seq) });
  process.send?.({ seq: e.seq });
}
