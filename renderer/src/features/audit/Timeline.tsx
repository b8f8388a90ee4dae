import { useEffect, useRef } from 'react';
import type { AuditEntryView } from '../../api';
import { StatusBadge, formatDateTime } from '../../components';

const STATUS_TEXT = { ok: 'Intact', failed: 'Failed', unchecked: 'Not checked' } as const;
const STATUS_KIND = { ok: 'ok', failed: 'failed', unchecked: 'skipped' } as const;

/**
 * The journal as a timeline. The first failing entry carries its problem in place and receives
 * focus when the report opens, so the auditor lands on it; entries after it are "not checked".
 */
export function Timeline({ entries, firstFailure }: { entries: AuditEntryView[]; firstFailure: number | null }) {
  const failRef = useRef<HTMLLIElement>(null);
  useEffect(() => {
    if (firstFailure === null) return;
    failRef.current?.scrollIntoView({ block: 'center' });
    failRef.current?.focus({ preventScroll: true });
  }, [firstFailure]);
  return (
    <ol className="timeline" aria-label="Transcript entries">
      {entries.map((e) => {
        const isFirstFailure = e.seq === firstFailure;
        return (
          <li
            key={e.seq}
            ref={isFirstFailure ? failRef : undefined}
            tabIndex={isFirstFailure ? -1 : undefined}
            id={`entry-${e.seq}`}
            data-seq={e.seq}
            data-status={e.status}
            className={`timeline-entry timeline-${e.status}`}
            aria-label={isFirstFailure ? `Entry ${e.seq}: first failure` : undefined}
          >
            <span className="timeline-seq" aria-hidden="true">{e.seq}</span>
            <div className="timeline-text">
              <p className="timeline-title">
                <span className="visually-hidden">Entry {e.seq}: </span>
                {e.summary}
              </p>
              <p className="timeline-meta">
                <span className="mono">{e.kind}</span>
                {e.step !== '-' ? <> · step <span className="mono">{e.step}</span></> : null}
                {' · '}{e.actor.name} ({e.actor.role}) · {formatDateTime(e.time)}
              </p>
              {e.problem ? (
                <div className="timeline-problem">
                  <p><strong>{e.problem.message}</strong></p>
                  {e.problem.action ? <p>{e.problem.action}</p> : null}
                  <p className="error-code">Error code <code>{e.problem.code}</code></p>
                </div>
              ) : null}
            </div>
            <StatusBadge status={STATUS_KIND[e.status]}>{STATUS_TEXT[e.status]}</StatusBadge>
          </li>
        );
      })}
    </ol>
  );
}
