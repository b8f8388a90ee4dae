import type { RefObject } from 'react';
import type { CeremonyView, RunSubjectView, StepFact } from '../../api';
import { Button, StatusBadge } from '../../components';
import { useFields } from '../../store';
import { Facts } from './Facts';
import { actionLabel } from './labels';

/**
 * The proof read back, each attribute measured against the policy's rules for this key class, as the
 * core states them: rules the lock makes true are due after the backup (the key is still extractable
 * for the wrap here), and a restored key's origin was proven by the ceremony that generated it.
 */
function ProofVerdict({ facts, subject }: { facts: StepFact[]; subject: RunSubjectView }) {
  const flags = facts.filter((f) => f.value === 'true' || f.value === 'false');
  const later = (r: RunSubjectView['attributeRules'][number]) => r.atLock || (r.origin && subject.restored);
  const due = subject.attributeRules.filter((r) => !later(r));
  const failing = due.filter((r) => flags.some((f) => f.label === r.field && f.value !== String(r.want)));
  const missing = due.filter((r) => !flags.some((f) => f.label === r.field));
  const pass = failing.length === 0 && missing.length === 0;
  const rule = (label: string) => subject.attributeRules.find((r) => r.field === label);
  const atLock = subject.attributeRules.filter((r) => r.atLock).map((r) => `${r.attribute} ${String(r.want).toUpperCase()}`);
  return (
    <section className="cer-verdict" aria-labelledby="cer-verdict-title">
      <h3 id="cer-verdict-title" className="cer-h3">Against policy {subject.policyName}</h3>
      <p className={`cer-verdict__line cer-verdict__line--${pass ? 'pass' : 'fail'}`} data-testid="proof-verdict">
        <StatusBadge status={pass ? 'ok' : 'failed'}>{pass ? 'Pass' : 'Fail'}</StatusBadge>
        {pass
          ? ` Every attribute the policy requires of ${subject.keyClass} keys at this point reads as required: ${due.map((r) => r.name).join(', ') || 'none required'}.`
          : ` Not as required: ${[...failing, ...missing].map((r) => r.attribute).join(', ')}. This key must not be used.`}
        {atLock.length > 0 ? ` Due when the key is locked after its backup: ${atLock.join(', ')}.` : ''}
      </p>
      <table className="table cer-verdict__table">
        <caption className="visually-hidden">Key attributes read back from the token</caption>
        <thead><tr><th scope="col">Attribute</th><th scope="col">Read back</th><th scope="col">Policy</th><th scope="col">Verdict</th></tr></thead>
        <tbody>
          {flags.map((f) => {
            const r = rule(f.label);
            const ok = r !== undefined && f.value === String(r.want);
            return (
              <tr key={f.label}>
                <td className="cer-mono">{f.label}</td>
                <td>{f.value}</td>
                <td>{r ? `must be ${String(r.want)}${r.atLock ? ' once locked' : ''}` : 'not required'}</td>
                <td>
                  {!r ? <span className="cer-hint">—</span>
                    : later(r) ? <StatusBadge status="pending">{r.atLock ? 'At the lock' : 'Proven at generation'}</StatusBadge>
                      : <StatusBadge status={ok ? 'ok' : 'failed'}>{ok ? 'Pass' : 'Fail'}</StatusBadge>}
                </td>
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
  const { acknowledgeResult: acknowledge, reviewStep: review } = useFields('acknowledgeResult', 'reviewStep');
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
