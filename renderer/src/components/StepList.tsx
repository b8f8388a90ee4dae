import type { ReactNode } from 'react';
import { StatusBadge, type Status } from './StatusBadge';

export interface StepItem {
  id: string;
  title: string;
  status: Status;
  /** Words for the status (e.g. "Done", "Waiting for witness"). */
  statusText: string;
  detail?: ReactNode;
  current?: boolean;
}

/** An ordered list of steps with their status; the current one is marked for screen readers too. */
export function StepList({ steps, label }: { steps: StepItem[]; label: string }) {
  return (
    <ol className="steplist" aria-label={label}>
      {steps.map((s, i) => (
        <li key={s.id} className={`steplist-item steplist-${s.status}${s.current ? ' steplist-current' : ''}`} aria-current={s.current ? 'step' : undefined}>
          <span className="steplist-number" aria-hidden="true">{i + 1}</span>
          <div className="steplist-text">
            <p className="steplist-title">{s.title}</p>
            {s.detail ? <div className="steplist-detail">{s.detail}</div> : null}
          </div>
          <StatusBadge status={s.status}>{s.statusText}</StatusBadge>
        </li>
      ))}
    </ol>
  );
}
