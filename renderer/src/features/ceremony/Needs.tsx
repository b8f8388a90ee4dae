import { Button } from '../../components';
import { useId, useState } from 'react';
import type { CeremonyNeed, ParticipantView, RunSubjectView } from '../../api';
import { ConfirmIrreversible } from './ConfirmIrreversible';
import { useFields, useStore } from '../../store';
import { actionLabel, ROLE_LABELS } from './labels';

type NeedOf<K extends CeremonyNeed['kind']> = Extract<CeremonyNeed, { kind: K }>;

export function PersonSelect({ label, people, value, onChange }: { label: string; people: ParticipantView[]; value: string; onChange: (name: string) => void }) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id} className="field-label">{label}</label>
      <select id={id} className="field-input" value={value} onChange={(e) => onChange(e.target.value)}>
        {people.map((p) => <option key={p.name} value={p.name}>{p.name} ({ROLE_LABELS[p.role] ?? p.role})</option>)}
      </select>
    </div>
  );
}

/**
 * The administrator's "go" for a step; for a manual step, the confirmation that it was done. An
 * irreversible step (with what it acts on known) first asks for ConfirmIrreversible.
 */
export function NeedConfirm({ need, participants, action, irreversible = null }: { need: NeedOf<'confirm'>; participants: ParticipantView[]; action: string; irreversible?: RunSubjectView | null }) {
  const { runBusy: busy, submitInput: submit } = useFields('runBusy', 'submitInput');
  const admins = participants.filter((p) => p.role === 'administrator');
  const [who, setWho] = useState(need.who ?? admins[0]?.name ?? participants[0]?.name ?? '');
  const [asking, setAsking] = useState(false);
  const manual = action === 'confirm';
  const go = () => { void submit({ kind: 'confirm', who }); };
  return (
    <>
      <form className="cer-form" onSubmit={(e) => { e.preventDefault(); if (irreversible) setAsking(true); else go(); }}>
        {need.who
          ? <p className="cer-lead">{manual ? `${need.who} confirms this was done as read aloud.` : `${need.who} reads the instruction aloud, then starts the step.`}</p>
          : <PersonSelect label="Confirmed by" people={admins.length > 0 ? admins : participants} value={who} onChange={setWho} />}
        <Button type="submit" variant={irreversible ? 'danger' : 'primary'} size="large" disabled={busy || who === ''}>
          {manual ? 'Confirm: done as read aloud' : `Start: ${actionLabel(action)}`}
        </Button>
      </form>
      {irreversible
        ? <ConfirmIrreversible open={asking} action={action} subject={irreversible} busy={busy} onCancel={() => setAsking(false)} onConfirm={() => { setAsking(false); go(); }} />
        : null}
    </>
  );
}

export function NeedAttest({ need }: { need: NeedOf<'attest'> }) {
  const { runBusy: busy, submitInput: submit } = useFields('runBusy', 'submitInput');
  return (
    <div className="cer-attest">
      <p className="cer-lead">Each witness attests, in person, that they watched this step happen as shown.</p>
      <ul className="cer-attest__list">
        {need.witnesses.map((w) => {
          const done = need.attested.includes(w);
          return (
            <li key={w} className={`cer-attest__row${done ? ' cer-attest__row--done' : ''}`}>
              <span className="cer-attest__name">{w}</span>
              {done
                ? <span className="cer-attest__status"><span aria-hidden="true">✓ </span>Attested</span>
                : <Button type="button" variant="primary" disabled={busy} onClick={() => { void submit({ kind: 'attest', witness: w }); }}>I, {w}, attest this step</Button>}
            </li>
          );
        })}
      </ul>
    </div>
  );
}

export function NeedAirGap({ need, participants, rehearsal }: { need: NeedOf<'air-gap-override'>; participants: ParticipantView[]; rehearsal: boolean }) {
  const { runBusy: busy, submitInput: submit } = useFields('runBusy', 'submitInput');
  const admins = participants.filter((p) => p.role === 'administrator');
  const [who, setWho] = useState(admins[0]?.name ?? '');
  const [reason, setReason] = useState('');
  const reasonId = useId();
  return (
    <div className="cer-airgap">
      <p className="cer-lead"><span aria-hidden="true">⚠ </span>This machine is not air-gapped:</p>
      <ul className="cer-findings">{need.findings.map((f) => <li key={f}>{f}</li>)}</ul>
      <Button type="button" variant="secondary" className="cer-airgap__again" disabled={busy || who === ''} onClick={() => { void submit({ kind: 'confirm', who }); }}>Check again</Button>
      {need.overrideAllowed ? (
        <form className="cer-form" onSubmit={(e) => { e.preventDefault(); void submit({ kind: 'air-gap-override', who, reason: reason.trim() }); }}>
          <p>{rehearsal ? 'Rehearsal mode allows going on with a recorded reason (a rehearsal never makes a production key).' : 'The policy allows going on with a recorded reason for this key class.'} The reason goes into the signed transcript.</p>
          <PersonSelect label="Decided by" people={admins.length > 0 ? admins : participants} value={who} onChange={setWho} />
          <div className="field">
            <label htmlFor={reasonId} className="field-label">Why is it safe to go on?</label>
            <textarea id={reasonId} className="field-input cer-textarea" rows={3} value={reason} onChange={(e) => setReason(e.target.value)} />
          </div>
          <Button type="submit" variant="danger" disabled={busy || reason.trim().length < 3}>Override the air-gap check</Button>
        </form>
      ) : (
        <p>The policy does not allow an override. Disconnect the network (unplug the cable, switch off wireless and bluetooth), then press Check again.</p>
      )}
    </div>
  );
}

export function NeedRunning({ need }: { need: NeedOf<'running'> }) {
  const progress = useStore((s) => s.runProgress);
  const message = progress?.message ?? need.message;
  return (
    <div className="cer-running" role="status" aria-live="polite">
      <span className="cer-spinner" aria-hidden="true" />
      <p className="cer-lead">{message}</p>
      {progress?.fraction != null
        ? <progress className="cer-progress__bar" max={1} value={progress.fraction} aria-label="Progress of this action" />
        : <progress className="cer-progress__bar" aria-label="Working" />}
    </div>
  );
}
