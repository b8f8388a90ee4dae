/**
 * What became of one share of a split, read from the verified facts: a custodian may get a word
 * wrong and then right, or choose a file passphrase again, so the LAST check decides, and the
 * earlier failed ones are counted rather than hidden. The CLI, report.html and the Audit screen
 * all say it the same way.
 */
import type { ShareFact } from './verify-types';

export interface ShareOutcome {
  status: 'verified' | 'rejected' | 'not verified';
  /** How the passing check was made: words re-entered, the age file opened, or opened on the custodian's token. */
  method?: string;
  /** Failed checks of this share, the last one included when it failed. */
  failedChecks: number;
  /** The file the custodian took away (the last one written), for `file` and `token` deliveries. */
  file?: { name: string; sha256: string };
  medium?: string;
}

export function shareOutcome(split: ShareFact, index: number): ShareOutcome {
  const checks = split.verified.filter((v) => v.index === index);
  const last = checks[checks.length - 1];
  const files = split.delivered.filter((d) => d.index === index);
  const file = files[files.length - 1];
  const medium = split.shares.find((s) => s.index === index)?.medium;
  return {
    status: !last ? 'not verified' : last.ok ? 'verified' : 'rejected',
    ...(last?.ok && last.method ? { method: last.method } : {}),
    failedChecks: checks.filter((c) => !c.ok).length,
    ...(file ? { file: { name: file.fileName, sha256: file.sha256 } } : {}),
    ...(medium ? { medium } : {}),
  };
}

const METHOD_TEXT: Record<string, string> = { words: 'words re-entered', file: 'file opened with the passphrase', token: 'opened on the custodian\'s token' };

/** One line for a person: "verified (file opened with the passphrase; 1 failed check before)". */
export function describeShareOutcome(o: ShareOutcome): string {
  if (o.status === 'not verified') return 'not verified';
  const how = o.method ? METHOD_TEXT[o.method] ?? o.method : undefined;
  const before = o.failedChecks > 0 ? `${o.failedChecks} failed check${o.failedChecks === 1 ? '' : 's'} before` : undefined;
  const detail = [how, before].filter(Boolean).join('; ');
  if (o.status === 'rejected') return `REJECTED at verification${o.failedChecks > 1 ? ` (${o.failedChecks} failed checks)` : ''}`;
  return detail ? `verified (${detail})` : 'verified';
}
