/** The verifier's per-file list (transcript/verify-files) as the audit screen shows it. */
import type { AuditCheckView, AuditFileView, CheckStatus } from '../../contract/views';
import type { FileFact, FileStatus, VerificationReport } from '../transcript/verify-types';

const SHOWN: Record<FileStatus, { status: CheckStatus; label: string }> = {
  bound: { status: 'pass', label: 'Bound' },
  'content-checked': { status: 'pass', label: 'Content matches' },
  changed: { status: 'fail', label: 'Changed' },
  'not-present': { status: 'warn', label: 'Not present, not checked' },
  'not-bound': { status: 'skipped', label: 'Not bound by this transcript' },
  unexpected: { status: 'warn', label: 'Unexpected' },
  'report-matches': { status: 'pass', label: 'Matches the transcript' },
  'report-differs': { status: 'warn', label: 'Does not match the transcript' },
  transcript: { status: 'pass', label: 'Transcript' },
  working: { status: 'skipped', label: 'Not checked' },
};

export function fileViews(files: readonly FileFact[]): AuditFileView[] {
  return files.map((f) => ({
    file: f.file, ...SHOWN[f.status], detail: f.detail,
    ...(f.entry ? { entry: `entry ${f.entry.seq} (${f.entry.kind})` } : {}),
  }));
}

const count = (n: number, what: string) => `${n} ${what}${n === 1 ? '' : 's'}`;

/** The integrity check for the files: failed if one changed, a warning if some were not there to check. */
export function filesCheck(r: VerificationReport): AuditCheckView | undefined {
  if (!r.files) return undefined;
  const changed = r.files.filter((f) => f.status === 'changed');
  const missing = r.files.filter((f) => f.status === 'not-present');
  const title = 'Files beside the transcript';
  if (changed.length > 0) return { id: 'files', title, status: 'fail', detail: `${changed.map((f) => `${f.file}: ${f.detail}`).join('; ')}.` };
  if (missing.length > 0) return { id: 'files', title, status: 'warn', detail: `Not all checked: ${count(missing.length, 'file')} the transcript names ${missing.length === 1 ? 'is' : 'are'} not in the folder (${missing.map((f) => f.file).join(', ')}).` };
  return { id: 'files', title, status: 'pass', detail: `Every file the transcript names is present and is the one the ceremony wrote (${count(r.files.filter((f) => f.status === 'bound' || f.status === 'content-checked').length, 'file')}).` };
}

/** Added to a VALID headline when not every named file was there to check. */
export function filesHeadline(r: VerificationReport): string {
  const missing = r.files?.filter((f) => f.status === 'not-present').length ?? 0;
  return missing > 0 ? ` Not every file was checked: ${count(missing, 'file')} the transcript names ${missing === 1 ? 'is' : 'are'} not present.` : '';
}
