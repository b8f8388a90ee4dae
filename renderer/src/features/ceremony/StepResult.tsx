import type { RefObject } from 'react';
import type { CeremonyView, RunSubjectView, StepFact } from '../../api';
import { Button, StatusBadge } from '../../components';
import { useCeremony } from '../../store/ceremony-stores';
import { Facts } from './Facts';
import { actionLabel } from './labels';

/** The proof read back, each attribute measured against what the policy requires for this key class. */
function ProofVerdict({ facts, subject }: { facts: StepFact[]; subject: RunSubjectView }) {
  const flags = facts.filter((f) => f.value === 'true' || f.value === 'false');
  const required = new Set(subject.requiredAttributes);
  const failing = flags.filter((f) => required.has(f.label) && f.value !== 'true');
  const missing = subject.requiredAttributes.filter((a) => !flags.some((f) => f.label === a));
  const pass = failing.length === 0 && missing.length === 0;
  return (
    <section className="cer-verdict" aria-labelledby="cer-verdict-title">
      <h3 id="cer-verdict-title" className="cer-h3">Against policy {subject.policyName}</h3>
      <p className={`cer-verdict__line cer-verdict__line--${pass ? 'pass' : 'fail'}`} data-testid="proof-verdict">
        <StatusBadge status={pass ? 'ok' : 'failed'}>{pass ? 'Pass' : 'Fail'}</StatusBadge>
        {pass
          ? ` Every attribute the policy requires for ${subject.keyClass} keys was read back true: ${subject.requiredAttributes.join(', ') || 'none required'}.`
          : ` Not true: ${[...failing.map((f) => f.label), ...missing].join(', ')}. This key must not be used.`}
      </p>
      <table className="table cer-verdict__table">
        <caption className="visually-hidden">Key attributes read back from the token</caption>
        <thead><tr><th scope="col">Attribute</th><th scope="col">Read back</th><th scope="col">Policy</th><th scope="col">Verdict</th></tr></thead>
        <tbody>
          {flags.map((f) => {
            const req = required.has(f.label);
            return (
              <tr key={f.label}>
                <td className="cer-mono">{f.label}</td>
                <td>{f.value}</td>
                <td>{req ? 'must be true' : 'not required'}</td>
                <td>{req ? <StatusBadge status={f.value === 'true' ? 'ok' : 'failed'}>{f.value === 'true' ? 'Pass' : 'Fail'}</StatusBadge> : <span className="cer-hint">—</span>}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </section>
  );
}

/**
 * A finished step's result: held on screen after a step that nobody attested (mode `ack`: the
 * administrator acknowledges it before the next step shows), or reopened from the step list
 * (mode `review`).
 */
export function StepResult({ view, index, mode, headingRef }: { view: CeremonyView; index: number; mode: 'ack' | 'review'; headingRef: RefObject<HTMLHeadingElement | null> }) {
  const acknowledge = useCeremony((s) => s.acknowledgeResult);
  const review = useCeremony((s) => s.review);
  const step = view.steps[index];
  if (!step) return null;
  const next = view.current === null ? undefined : view.steps[view.current];
  const title = actionLabel(step.action);
  return (
    <section className="cer-panel cer-panel--result" aria-labelledby="cer-result-title">
      <p className="cer-eyebrow">Step {index + 1} of {view.steps.length} · {mode === 'ack' ? 'just finished' : 'finished earlier'}</p>
      <h2 id="cer-result-title" className="cer-h2" tabIndex={-1} ref={headingRef}>{title}: result</h2>
      <p className="cer-instruction">{step.instruction}</p>
      {step.action === 'read-proof' && view.subject ? <ProofVerdict facts={step.facts} subject={view.subject} /> : null}
      {step.action === 'read-proof' && view.subject
        ? <Facts facts={step.facts.filter((f) => f.value !== 'true' && f.value !== 'false')} title="Also read back" />
        : <Facts facts={step.facts} />}
      {mode === 'ack'
        ? (
            <Button type="button" variant="primary" size="large" onClick={acknowledge}>
              {next ? `Seen: continue to step ${next.index + 1}, ${actionLabel(next.action)}` : 'Seen: continue'}
            </Button>
          )
        : <Button type="button" variant="secondary" onClick={() => review(null)}>Back to the current step</Button>}
    </section>
  );
}
