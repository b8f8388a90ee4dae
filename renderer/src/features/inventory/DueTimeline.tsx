import type { DueDateView } from '../../api';
import { EmptyState, Panel, StatusBadge, formatDate, type Status } from '../../components';

const DUE_STATUS: Record<DueDateView['status'], { status: Status; text: string }> = {
  overdue: { status: 'failed', text: 'Overdue' },
  due: { status: 'warning', text: 'Due now' },
  upcoming: { status: 'info', text: 'Upcoming' },
};

/** What the live keys owe, in the order it falls due: the same list as the command-line due report. */
export function DueTimeline({ due }: { due: DueDateView[] | undefined }) {
  if (!due) return null;
  return (
    <Panel title="Due dates" description="Certificate expiry, CRL re-signing (from the policy's lead time before the next update), rotation and share check-ups, earliest first.">
      {due.length === 0 ? (
        <EmptyState icon="clock" title="Nothing falls due">
          <p>No live key has a certificate, CRL, rotation date or share check-up to track.</p>
        </EmptyState>
      ) : (
        <ol className="due-timeline" aria-label="Due dates">
          {due.map((d, i) => (
            <li key={`${d.kind}-${d.fingerprint}-${d.deadline}-${i}`} className={`due-item due-${d.status}`} data-testid="due-item" data-kind={d.kind}>
              <div className="due-date">
                <p className="strong mono">{formatDate(d.dueFrom)}</p>
                {d.deadline !== d.dueFrom ? <p className="small muted">deadline {formatDate(d.deadline)}</p> : null}
              </div>
              <div className="due-text">
                <p className="check-title">
                  <StatusBadge status={DUE_STATUS[d.status].status}>{DUE_STATUS[d.status].text}</StatusBadge> {d.title} · {d.keyLabel}
                </p>
                <p className="check-detail">{d.what}</p>
                <p className="small muted">Set by ceremony <span className="mono">{d.ceremony}</span> · key <span className="mono wrap-anywhere">{d.fingerprint.slice(0, 23)}…</span></p>
              </div>
            </li>
          ))}
        </ol>
      )}
    </Panel>
  );
}
