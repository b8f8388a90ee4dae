import { Button } from '../../components';
import type { RefObject } from 'react';
import type { CeremonyView } from '../../../../electron/contract/ceremony';
import { useCeremony } from '../../store/ceremony-stores';
import { Facts } from './Facts';
import { actionLabel } from './labels';

/** The end: where the transcript and exports are, and the facts of every step for a last read-out. */
export function SealedPanel({ view, headingRef }: { view: CeremonyView; headingRef: RefObject<HTMLHeadingElement | null> }) {
  const close = useCeremony((s) => s.close);
  const busy = useCeremony((s) => s.busy);
  return (
    <section className="cer-panel" aria-labelledby="cer-step-title">
      <p className="cer-eyebrow">Ceremony complete</p>
      <h2 id="cer-step-title" className="cer-h2" tabIndex={-1} ref={headingRef}><span aria-hidden="true">✓ </span>The transcript is sealed</h2>
      <p className="cer-instruction">Every step is recorded and signed. The printable report (report.html) is in the transcript folder, for the people in the room to sign by hand.</p>
      <dl className="cer-facts">
        <div><dt>Transcript folder</dt><dd className="cer-mono cer-wrap" data-testid="out-dir">{view.outDir}</dd></div>
        <div><dt>Shares handed out and verified</dt><dd>{view.handedOff.length > 0 ? view.handedOff.join(', ') : 'none'}</dd></div>
        <div><dt>Deviations</dt><dd>{view.deviations.length}</dd></div>
      </dl>
      {view.steps.filter((s) => s.facts.length > 0).map((s) => (
        <Facts key={s.id} facts={s.facts} title={`Step ${s.index + 1}: ${actionLabel(s.action)}`} />
      ))}
      <Button type="button" variant="primary" disabled={busy} onClick={() => { void close(); }}>Close the ceremony</Button>
    </section>
  );
}
