import type { CeremonyStepView, StepStatus } from '../../api';
import { StepList as Steps, type Status } from '../../components';
import { actionLabel } from './labels';

const STATUS: Record<StepStatus, { status: Status; text: string }> = {
  done: { status: 'ok', text: 'Done' },
  current: { status: 'running', text: 'Now' },
  pending: { status: 'pending', text: 'To do' },
  failed: { status: 'failed', text: 'Failed' },
};

/** The script's steps with their status, in words and icons as well as colour. */
export function CeremonyStepList({ steps }: { steps: CeremonyStepView[] }) {
  return (
    <nav aria-label="Ceremony steps" className="cer-steps">
      <Steps label="Steps of this ceremony" steps={steps.map((s) => ({
        id: s.id,
        title: actionLabel(s.action),
        status: STATUS[s.status].status,
        statusText: STATUS[s.status].text,
        current: s.status === 'current',
      }))} />
    </nav>
  );
}
