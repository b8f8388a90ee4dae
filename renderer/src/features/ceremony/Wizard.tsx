import { useEffect, useRef } from 'react';
import type { CeremonyView } from '../../api';
import { CeremonyStepList } from './StepList';
import { StepPanel } from './StepPanel';
import { SealedPanel } from './SealedPanel';

/** The running ceremony: header with progress, the step list, and the current step. */
export function Wizard({ view }: { view: CeremonyView }) {
  const done = view.steps.filter((s) => s.status === 'done').length;
  const total = view.steps.length;
  const headingRef = useRef<HTMLHeadingElement>(null);
  const stepKey = `${view.current ?? 'end'}:${view.need.kind}`;

  // A new step or a new need moves focus to its heading: keyboard and screen-reader users start there.
  useEffect(() => {
    headingRef.current?.focus();
  }, [stepKey]);

  const step = view.current === null ? undefined : view.steps[view.current];
  return (
    <div className="cer-wizard">
      <header className="cer-head">
        <div className="cer-head__titles">
          <p className="cer-eyebrow">Ceremony {view.ceremonyId}{view.rehearsal ? ' · rehearsal' : ''}</p>
          <h1 className="cer-h1">{view.title}</h1>
        </div>
        <div className="cer-progress">
          <label htmlFor="cer-progress-bar" className="cer-progress__label">{done} of {total} steps done</label>
          <progress id="cer-progress-bar" className="cer-progress__bar" max={total} value={done} />
        </div>
      </header>
      <div className="cer-body">
        <CeremonyStepList steps={view.steps} />
        <div className="cer-main">
          {step ? <StepPanel view={view} step={step} headingRef={headingRef} /> : <SealedPanel view={view} headingRef={headingRef} />}
        </div>
      </div>
    </div>
  );
}
