import { readFileSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { KeyriteError } from '../../core/util/errors';

/** A folder that is not there (or is a file) is unusable input (exit 2), said as such, never a stack trace. */
export async function assertFolder(dir: string, action: string): Promise<void> {
  const st = await stat(dir).catch(() => null);
  if (!st?.isDirectory()) throw new KeyriteError('INPUT_NOT_A_FOLDER', `${dir} is not a folder${st ? '' : ' (it does not exist)'}.`, { action });
}

/** The contents of an input file, or unusable input (exit 2) naming `what` and the file. */
export function readInputFile(file: string, what: string): Buffer {
  try {
    return readFileSync(file);
  } catch (e) {
    throw new KeyriteError('INPUT_UNREADABLE', `Cannot read the ${what} ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}.`, { action: 'Check the path and permissions.' });
  }
}
