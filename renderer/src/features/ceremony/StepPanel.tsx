import { useState, type RefObject } from 'react';
import type { CeremonyStepView, CeremonyView } from '../../api';
import { Button, Loading } from '../../components';
import { useFields } from '../../store';
import { HandOff } from '../custodian/HandOff';
import { CeremonyShareEntry } from '../recovery/CeremonyShareEntry';
import { DeviationForm } from './DeviationForm';
import { ErrorAlert } from './ErrorAlert';
import { Facts } from './Facts';
import { actionLabel } from './labels';
import { NeedAirGap, NeedAttest, NeedConfirm, NeedRunning } from './Needs';
import { NeedPin } from './NeedPin';
import { NeedReview } from './NeedReview';
import { NeedWitnessCosign } from './NeedWitnessCosign';

function whoActs(view: CeremonyView): string {
  const need = view.need;
  switch (need.kind) {
    case 'pin':
    case 'confirm':
    case 'review':
      return need.who ?? 'The administrator';
    case 'attest':
      return need.witnesses.filter((w) => !need.attested.includes(w)).join(', ') || 'The witnesses';
    case 'show-share':
    case 'verify-share':
    case 'share-file':
    case 'verify-share-file':
    case 'share-token':
    case 'verify-share-token':
      return need.custodian;
    case 'witness-cosign':
      return need.witness;
    case 'share-input':
      return 'Each custodian in turn';
    case 'air-gap-override':
      return 'The administrator, watched by the witnesses';
    case 'running':
      return 'Keyrite (automated)';
    case 'done':
      return '—';
  }
}

/** Needs whose screen says itself what is happening while main works (running, encrypting a share). */
const SHOWS_OWN_PROGRESS: ReadonlySet<CeremonyView['need']['kind']> = new Set(['running', 'share-file', 'verify-share-file']);

export function StepPanel({ view, step, headingRef }: { view: CeremonyView; step: CeremonyStepView; headingRef: RefObject<HTMLHeadingElement | null> }) {
  const { runError: storeError, clearRunError: clearError, runBusy: busy, closeRun: close } = useFields('runError', 'clearRunError', 'runBusy', 'closeRun');
  const [deviating, setDeviating] = useState(false);
  const error = storeError ?? view.error;

  return (
    <section className={`cer-panel${step.irreversible ? ' cer-panel--irreversible' : ''}`} aria-labelledby="cer-step-title">
      <p className="cer-eyebrow">Step {step.index + 1} of {view.steps.length}</p>
      {step.irreversible ? <p className="cer-irrev-mark" data-testid="irreversible-mark"><span aria-hidden="true">⚠ </span>Cannot be undone: Keyrite asks you to confirm what this step does before it starts.</p> : null}
      <h2 id="cer-step-title" className="cer-h2" tabIndex={-1} ref={headingRef}>{actionLabel(step.action)}</h2>
      <p className="cer-instruction">{step.instruction}</p>
      <dl className="cer-facts cer-facts--inline">
        <div><dt>Who acts</dt><dd data-testid="who-acts">{whoActs(view)}</dd></div>
        {step.attest.length > 0 ? <div><dt>Witnessed by</dt><dd>{step.attest.join(', ')}</dd></div> : null}
      </dl>
      <Facts facts={step.facts} />

      <div className="cer-need">
        <NeedView view={view} />
        {busy && !SHOWS_OWN_PROGRESS.has(view.need.kind) ? <Loading label="Working… the token may take a few seconds." /> : <p className="cer-busy" />}
      </div>
      {/* Under the form, next to what was pressed: a refusal appearing never moves the fields being typed in. */}
      {error ? <ErrorAlert error={error} onDismiss={storeError ? clearError : undefined} /> : null}

      <footer className="cer-panel__footer">
        {deviating
          ? <DeviationForm participants={view.participants} onDone={() => setDeviating(false)} />
          : (
            <div className="cer-row">
              <Button type="button" variant="quiet" onClick={() => setDeviating(true)}>Record a deviation from the script…</Button>
              <Button type="button" variant="quiet" disabled={busy} onClick={() => { void close(); }}>Close for now (resume later)</Button>
            </div>
          )}
        {view.deviations.length > 0 ? (
          <details className="cer-deviations">
            <summary>{view.deviations.length} deviation{view.deviations.length === 1 ? '' : 's'} recorded</summary>
            <ul>{view.deviations.map((d, i) => <li key={i}><strong>{d.who}</strong> at step {d.step}: {d.why}</li>)}</ul>
          </details>
        ) : null}
      </footer>
    </section>
  );
}

export function NeedView({ view }: { view: CeremonyView }) {
  const need = view.need;
  switch (need.kind) {
    case 'confirm': {
      const step = view.current === null ? undefined : view.steps[view.current];
      return <NeedConfirm need={need} participants={view.participants} action={step?.action ?? 'confirm'} irreversible={step?.irreversible && view.subject ? view.subject : null} />;
    }
    case 'review': return <NeedReview need={need} participants={view.participants} />;
    case 'pin': return <NeedPin need={need} />;
    case 'attest': return <NeedAttest need={need} />;
    case 'air-gap-override': return <NeedAirGap need={need} participants={view.participants} rehearsal={view.rehearsal} />;
    case 'show-share':
    case 'verify-share':
    case 'share-file':
    case 'verify-share-file':
    case 'share-token':
    case 'verify-share-token': return <HandOff need={need} handedOff={view.handedOff} />;
    case 'witness-cosign': return <NeedWitnessCosign need={need} />;
    case 'share-input': return <CeremonyShareEntry need={need} />;
    case 'running': return <NeedRunning need={need} />;
    case 'done': return null;
  }
}
