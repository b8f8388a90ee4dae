import type { ErrorData } from '../../api';

/**
 * The 1-based number of the word a refusal names, as printed on the share sheet, when it names
 * one (a checksum failure, an unknown word, a verification mismatch). The shares core reports it
 * in details.wordIndex (1-based).
 */
export function wrongWordNumber(error: ErrorData | null): number | null {
  const d = error?.details;
  if (!d) return null;
  for (const key of ['wordIndex', 'position']) {
    const v = d[key];
    if (typeof v === 'number' && Number.isInteger(v) && v >= 1) return v;
  }
  return null;
}

/**
 * Every word a refusal names: the share check at the hand-off lists all wrong positions
 * (details.wrongPositions, 1-based), other refusals name one word at most.
 */
export function wrongWordNumbers(error: ErrorData | null): number[] {
  const list = error?.details?.wrongPositions;
  if (Array.isArray(list)) return list.filter((v): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 1);
  const one = wrongWordNumber(error);
  return one === null ? [] : [one];
}
