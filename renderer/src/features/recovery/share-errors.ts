import type { ErrorData } from '../../../../electron/contract/index';

/**
 * The 0-based position of the word a refusal names, when it names one (a checksum failure or a
 * verification mismatch). The shares core reports it in details.
 */
export function wrongWordPosition(error: ErrorData | null): number | null {
  const d = error?.details;
  if (!d) return null;
  for (const key of ['wordIndex', 'position', 'index']) {
    const v = d[key];
    if (typeof v === 'number' && Number.isInteger(v) && v >= 0) return v;
  }
  return null;
}
