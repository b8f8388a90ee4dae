import { useEffect, useId } from 'react';
import { formatDateTime } from '../../components';
import { useFields } from '../../store';

/**
 * When this script already has an unfinished run on this machine (closed, crashed, power cut), the
 * administrator chooses to resume it, from its journal, or to start a new run.
 */
export function ResumePicker({ ceremonyId }: { ceremonyId: string }) {
  const { recentCeremonies: recent, loadRecentCeremonies: loadRecent, resumeRunDir: resume, pickResumeRun: pickResume } = useFields('recentCeremonies', 'loadRecentCeremonies', 'resumeRunDir', 'pickResumeRun');
  const name = useId();
  useEffect(() => { void loadRecent(); }, [loadRecent]);
  const unfinished = (recent ?? []).filter((c) => c.id === ceremonyId && c.state === 'in-progress');
  if (unfinished.length === 0) return null;
  return (
    <fieldset className="cer-resume">
      <legend className="field-label">This ceremony has an unfinished run on this machine</legend>
      <label className="cer-choice">
        <input type="radio" name={name} checked={resume === null} onChange={() => pickResume(null)} />
        Start a new run
      </label>
      {unfinished.map((c) => (
        <label key={c.dir} className="cer-choice">
          <input type="radio" name={name} checked={resume === c.dir} onChange={() => pickResume(c.dir)} />
          Resume the run started {formatDateTime(c.startedAt)} ({c.entries} entries recorded)
        </label>
      ))}
    </fieldset>
  );
}
