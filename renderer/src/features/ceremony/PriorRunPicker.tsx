import { useEffect, useId } from 'react';
import { formatDateTime } from '../../components';
import { useFields } from '../../store';

/**
 * For ceremonies that use an existing key (recovery, reshare, signing, rotation, destruction): the
 * earlier ceremony whose folder holds the key's backup and public key, chosen from this machine's.
 */
export function PriorRunPicker() {
  const { recentCeremonies: recent, loadRecentCeremonies: loadRecent, priorRunDir: from, pickPriorRun: pickFrom } = useFields('recentCeremonies', 'loadRecentCeremonies', 'priorRunDir', 'pickPriorRun');
  const id = useId();
  useEffect(() => { void loadRecent(); }, [loadRecent]);
  const sealed = (recent ?? []).filter((c) => c.state === 'completed');
  return (
    <div className="field">
      <label htmlFor={id} className="field-label">Earlier ceremony that made the key</label>
      <p className="field-hint">Its folder holds the backup file and the public key this ceremony works from.</p>
      <select id={id} className="field-input" value={from ?? ''} onChange={(e) => pickFrom(e.target.value === '' ? null : e.target.value)}>
        <option value="">{sealed.length === 0 ? 'No completed ceremony on this machine' : 'Choose the ceremony…'}</option>
        {sealed.map((c) => <option key={c.dir} value={c.dir}>{c.title} ({c.id}, {formatDateTime(c.startedAt)})</option>)}
      </select>
    </div>
  );
}
