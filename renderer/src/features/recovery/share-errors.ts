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
