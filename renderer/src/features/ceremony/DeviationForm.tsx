import { Button } from '../../components';
import { useId, useState } from 'react';
import type { ParticipantView } from '../../api';
import { useFields } from '../../store';
import { PersonSelect } from './Needs';

/** A departure from the script, recorded in the transcript with who decided it and why. */
export function DeviationForm({ participants, onDone }: { participants: ParticipantView[]; onDone: () => void }) {
  const { runBusy: busy, recordDeviation: record } = useFields('runBusy', 'recordDeviation');
  const [who, setWho] = useState(participants.find((p) => p.role === 'administrator')?.name ?? participants[0]?.name ?? '');
  const [why, setWhy] = useState('');
  const whyId = useId();
  return (
    <form className="cer-form cer-deviation" aria-label="Record a deviation"
      onSubmit={(e) => { e.preventDefault(); void record(who, why.trim()).then((ok) => { if (ok) onDone(); }); }}>
      <h3 className="cer-h3">Record a deviation</h3>
      <p>It goes into the signed transcript with the current step, the person and the reason.</p>
      <PersonSelect label="Recorded by" people={participants} value={who} onChange={setWho} />
      <div className="field">
        <label htmlFor={whyId} className="field-label">What differs from the script, and why</label>
        <textarea id={whyId} className="field-input cer-textarea" rows={3} value={why} onChange={(e) => setWhy(e.target.value)} />
      </div>
      <div className="cer-row">
        <Button type="submit" variant="primary" disabled={busy || why.trim().length < 3}>Record the deviation</Button>
        <Button type="button" variant="quiet" onClick={onDone}>Cancel</Button>
      </div>
    </form>
  );
}
