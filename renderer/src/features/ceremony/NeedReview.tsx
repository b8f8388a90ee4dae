import { useState } from 'react';
import type { CeremonyNeed, ParticipantView } from '../../api';
import { Button, groupHexRuns } from '../../components';
import { useFields } from '../../store';
import { PersonSelect } from './Needs';

type ReviewNeed = Extract<CeremonyNeed, { kind: 'review' }>;

export interface ReviewPanelProps {
  need: ReviewNeed;
  /** Who may confirm when the need names nobody (the administrators, else everyone). */
  people: ParticipantView[];
  who: string;
  onWho: (name: string) => void;
  busy: boolean;
  onConfirm: (who: string) => void;
}

/**
 * What a step is about to sign (what changes, the hash of the bytes signed), read aloud and checked
 * by the room; the confirm sends the step on to sign. Nothing is signed before it. The lines are
 * keyed by position: a label ("Change") repeats.
 */
export function ReviewPanel({ need, people, who, onWho, busy, onConfirm }: ReviewPanelProps) {
  return (
    <form className="cer-form" onSubmit={(e) => { e.preventDefault(); onConfirm(who); }}>
      <section className="cer-result" aria-label={need.title} data-testid="review-facts">
        <h3 className="cer-h3">{need.title}</h3>
        <dl className="kv">
          {need.facts.map((f, i) => (
            <div className="kv-row" key={i}>
              <dt>{f.label}</dt>
              <dd className={f.mono ? 'mono wrap-anywhere' : undefined}>{f.mono ? groupHexRuns(f.value) : f.value}</dd>
            </div>
          ))}
        </dl>
      </section>
      {need.who
        ? <p className="cer-lead">{need.who} reads each line aloud; the witnesses check it is what they expect to be signed. Nothing is signed before the confirmation.</p>
        : <PersonSelect label="Confirmed by" people={people} value={who} onChange={onWho} />}
      <Button type="submit" variant="primary" size="large" disabled={busy || who === ''}>Confirm: sign what is shown</Button>
    </form>
  );
}

/** The `review` need: the room confirms what is shown with the plain `confirm` input. */
export function NeedReview({ need, participants }: { need: ReviewNeed; participants: ParticipantView[] }) {
  const { runBusy: busy, submitInput: submit } = useFields('runBusy', 'submitInput');
  const admins = participants.filter((p) => p.role === 'administrator');
  const [who, setWho] = useState(need.who ?? admins[0]?.name ?? participants[0]?.name ?? '');
  return <ReviewPanel need={need} people={admins.length > 0 ? admins : participants} who={who} onWho={setWho} busy={busy} onConfirm={(by) => { void submit({ kind: 'confirm', who: by }); }} />;
}
