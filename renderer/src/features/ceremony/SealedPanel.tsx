import type { RefObject } from 'react';
import type { CeremonyView } from '../../api';
import { Button } from '../../components';
import { useFields } from '../../store';
import { ErrorAlert } from './ErrorAlert';
import { Facts } from './Facts';
import { actionLabel } from './labels';
import { NeedWitnessCosign } from './NeedWitnessCosign';

/**
 * The end: where the transcript and exports are, and the facts of every step for a last read-out.
 * If the runner reports the seal done while witnesses still have to cosign, their turn comes first.
 */
export function SealedPanel({ view, headingRef }: { view: CeremonyView; headingRef: RefObject<HTMLHeadingElement | null> }) {
  const { closeRun: close, runBusy: busy, runError: storeError, clearRunError: clearError } = useFields('closeRun', 'runBusy', 'runError', 'clearRunError');
  const error = storeError ?? view.error;
  const cosign = view.need.kind === 'witness-cosign' ? view.need : null;
  return (
    <section className="cer-panel" aria-labelledby="cer-step-title">
      <p className="cer-eyebrow">{cosign ? 'Witnesses cosign' : 'Ceremony complete'}</p>
      {/* "Sealed" only once every witness has cosigned: until then the final checkpoint waits for them. */}
      <h2 id="cer-step-title" className="cer-h2" tabIndex={-1} ref={headingRef}>
        {cosign ? 'Final checkpoint written: witnesses cosign' : <><span aria-hidden="true">✓ </span>The transcript is sealed</>}
      </h2>
      {cosign
        ? (
            <>
              <div className="cer-need cust-cosign-need"><NeedWitnessCosign need={cosign} /></div>
              {/* Under the form, as on every step: a refusal never moves what the witness is using. */}
              {error ? <ErrorAlert error={error} onDismiss={storeError ? clearError : undefined} /> : null}
            </>
          )
        : <p className="cer-instruction">Every step is recorded and signed. The printable report (report.html) is in the transcript folder, for the people in the room to sign by hand.</p>}
      <dl className="cer-facts">
        <div><dt>Transcript folder</dt><dd className="cer-mono cer-wrap" data-testid="out-dir">{view.outDir}</dd></div>
        <div><dt>Shares handed out and verified</dt><dd>{view.handedOff.length > 0 ? view.handedOff.join(', ') : 'none'}</dd></div>
        <div><dt>Deviations</dt><dd>{view.deviations.length}</dd></div>
      </dl>
      {cosign ? null : view.steps.filter((s) => s.facts.length > 0).map((s) => (
        <Facts key={s.id} facts={s.facts} title={`Step ${s.index + 1}: ${actionLabel(s.action)}`} />
      ))}
      <Button type="button" variant={cosign ? 'quiet' : 'primary'} disabled={busy} onClick={() => { void close(); }}>{cosign ? 'Close for now (resume later to cosign)' : 'Close the ceremony'}</Button>
    </section>
  );
}
