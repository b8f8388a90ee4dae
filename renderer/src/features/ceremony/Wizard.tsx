import { useEffect, useRef } from 'react';
import type { CeremonyView } from '../../api';
import { useFields } from '../../store';
import { StepResult } from './StepResult';
import { CeremonyStepList } from './StepList';
import { StepPanel } from './StepPanel';
import { SealedPanel } from './SealedPanel';

/** The running ceremony: header with progress, the step list, and the current step. */
export function Wizard({ view }: { view: CeremonyView }) {
  const done = view.steps.filter((s) => s.status === 'done').length;
  const total = view.steps.length;
  const headingRef = useRef<HTMLHeadingElement>(null);
  const topRef = useRef<HTMLDivElement>(null);
  const { heldResultStep: resultToAck, reviewedStep: reviewing, reviewStep: review } = useFields('heldResultStep', 'reviewedStep', 'reviewStep');
  const stepKey = `${view.current ?? 'end'}:${view.need.kind}:${resultToAck ?? ''}:${reviewing ?? ''}`;

  // A new step, need or result moves focus to its heading (keyboard and screen-reader users start
  // there) and brings the ceremony's title and progress back into view above it.
  useEffect(() => {
    headingRef.current?.focus({ preventScroll: true });
    topRef.current?.scrollIntoView({ block: 'start' });
  }, [stepKey]);

  const step = view.current === null ? undefined : view.steps[view.current];
  let main;
  if (reviewing !== null) main = <StepResult view={view} index={reviewing} mode="review" headingRef={headingRef} />;
  else if (resultToAck !== null) main = <StepResult view={view} index={resultToAck} mode="ack" headingRef={headingRef} />;
  else if (step) main = <StepPanel view={view} step={step} headingRef={headingRef} />;
  else main = <SealedPanel view={view} headingRef={headingRef} />;
  return (
    <div className="cer-wizard" ref={topRef}>
      <header className="cer-head">
        <div className="cer-head__titles">
          <p className="cer-eyebrow">Ceremony {view.ceremonyId}{view.rehearsal ? ' · rehearsal' : ''}</p>
          <h1 className="cer-h1">{view.title}</h1>
          {view.rehearsal && <p className="cer-rehearsal-folder" data-testid="rehearsal-folder">Rehearsal folder: <span className="cer-mono cer-wrap">{view.outDir}</span></p>}
        </div>
        <div className="cer-progress">
          <label htmlFor="cer-progress-bar" className="cer-progress__label">{done} of {total} steps done</label>
          <progress id="cer-progress-bar" className="cer-progress__bar" max={total} value={done} />
        </div>
      </header>
      <div className="cer-body">
        <CeremonyStepList steps={view.steps} onReview={review} />
        <div className="cer-main">{main}</div>
      </div>
    </div>
  );
}
