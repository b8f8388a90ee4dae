import { useEffect, useId } from 'react';
import { formatDateTime } from '../../components';
import { useStore } from '../../store';
import { useCeremony } from '../../store/ceremony-stores';

/**
 * When this script already has an unfinished run on this machine (closed, crashed, power cut), the
 * administrator chooses to resume it, from its journal, or to start a new run.
 */
export function ResumePicker({ ceremonyId }: { ceremonyId: string }) {
  const recent = useStore((s) => s.recent);
  const loadRecent = useStore((s) => s.loadRecent);
  const resume = useCeremony((s) => s.resume);
  const pickResume = useCeremony((s) => s.pickResume);
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
