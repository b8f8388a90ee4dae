import type { CeremonyStepView, StepStatus } from '../../api';
import { StepList as Steps, type Status } from '../../components';
import { actionLabel } from './labels';

const STATUS: Record<StepStatus, { status: Status; text: string }> = {
  done: { status: 'ok', text: 'Done' },
  // A static mark: the step waits for a person, nothing spins.
  current: { status: 'info', text: 'Now' },
  pending: { status: 'pending', text: 'To do' },
  failed: { status: 'failed', text: 'Failed' },
};

/** The script's steps with their status, in words and icons as well as colour; a finished step reopens. */
export function CeremonyStepList({ steps, onReview }: { steps: CeremonyStepView[]; onReview?: (index: number) => void }) {
  return (
    <nav aria-label="Ceremony steps" className="cer-steps">
      <Steps label="Steps of this ceremony" steps={steps.map((s) => ({
        id: s.id,
        title: actionLabel(s.action),
        status: STATUS[s.status].status,
        statusText: STATUS[s.status].text,
        current: s.status === 'current',
        detail: s.status === 'done' && onReview
          ? <button type="button" className="cer-review" onClick={() => onReview(s.index)}>Review the result<span className="visually-hidden"> of step {s.index + 1}, {actionLabel(s.action)}</span></button>
          : undefined,
      }))} />
    </nav>
  );
}
