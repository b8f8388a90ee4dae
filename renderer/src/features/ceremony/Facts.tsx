import type { StepFact } from '../../api';
import { groupHexRuns, KeyValue } from '../../components';

/** What a step produced; long values (hex, PGP words) wrap in monospace. Never a secret. */
export function Facts({ facts, title = 'Result' }: { facts: StepFact[]; title?: string }) {
  if (facts.length === 0) return null;
  return (
    <section className="cer-result" aria-label={title}>
      <h3 className="cer-h3">{title}</h3>
      <KeyValue items={facts.map((f) => ({ label: f.label, value: f.mono === true ? groupHexRuns(f.value) : f.value, mono: f.mono === true }))} />
    </section>
  );
}
