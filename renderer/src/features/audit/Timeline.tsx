import { useEffect, useRef } from 'react';
import type { AuditEntryView } from '../../api';
import { StatusBadge, formatDateTime } from '../../components';

const STATUS_TEXT = { ok: 'Intact', failed: 'Failed', unchecked: 'Not checked' } as const;
const STATUS_KIND = { ok: 'ok', failed: 'failed', unchecked: 'skipped' } as const;

/**
 * The journal as a timeline. The first failing entry carries its problem in place and receives
 * focus when the report opens, so the auditor lands on it; entries after it are "not checked".
 */
/** Consecutive entries of the same step, so a step's many intact entries share one status line. */
function byStep(entries: AuditEntryView[]): { step: string; entries: AuditEntryView[] }[] {
  const groups: { step: string; entries: AuditEntryView[] }[] = [];
  for (const e of entries) {
    const last = groups.at(-1);
    if (last && last.step === e.step) last.entries.push(e);
    else groups.push({ step: e.step, entries: [e] });
  }
  return groups;
}

function groupStatus(entries: AuditEntryView[]): { status: 'ok' | 'failed' | 'skipped'; text: string } {
  if (entries.some((e) => e.status === 'failed')) return { status: 'failed', text: 'Failed here' };
  if (entries.every((e) => e.status === 'ok')) return { status: 'ok', text: entries.length === 1 ? 'Intact' : `All ${entries.length} intact` };
  if (entries.every((e) => e.status === 'unchecked')) return { status: 'skipped', text: 'Not checked' };
  return { status: 'skipped', text: 'Partly checked' };
}

export function Timeline({ entries, firstFailure }: { entries: AuditEntryView[]; firstFailure: number | null }) {
  const failRef = useRef<HTMLLIElement>(null);
  useEffect(() => {
    if (firstFailure === null) return;
    failRef.current?.scrollIntoView({ block: 'center' });
    failRef.current?.focus({ preventScroll: true });
  }, [firstFailure]);
  return (
    <ol className="timeline" aria-label="Transcript entries">
      {byStep(entries).map((g) => {
        const gs = groupStatus(g.entries);
        // Every entry of the step has the same status: the group's line says it once.
        const uniform = g.entries.every((e) => e.status === g.entries[0]!.status) && g.entries[0]!.status !== 'failed';
        return (
          <li key={g.entries[0]!.seq} className="timeline-group">
            <p className="timeline-group__head">
              <span>{g.step === '-' ? 'Ceremony' : <>Step <span className="mono">{g.step}</span></>} · {g.entries.length} {g.entries.length === 1 ? 'entry' : 'entries'}</span>
              <StatusBadge status={gs.status}>{gs.text}</StatusBadge>
            </p>
            {/* A step whose entries are all intact folds them away (its line says so); a step with anything
                failed or unchecked stays open, so the auditor sees what is wrong where it is. */}
            {gs.status === 'ok' && g.entries.length > 1 ? (
              <details className="timeline-group__more">
                <summary>Show the {g.entries.length} entries</summary>
                {entryList(g.entries, uniform)}
              </details>
            ) : entryList(g.entries, uniform)}
          </li>
        );
      })}
    </ol>
  );

  function entryList(list: AuditEntryView[], uniform: boolean) {
    return (
      <ol className="timeline-group__list">
      {list.map((e) => {
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
            {/* An intact entry's status (or a uniform step's) is its group's line; words stay for screen readers. */}
            {e.status === 'ok' || uniform ? <span className="visually-hidden">{STATUS_TEXT[e.status]}</span> : <StatusBadge status={STATUS_KIND[e.status]}>{STATUS_TEXT[e.status]}</StatusBadge>}
          </li>
        );
      })}
      </ol>
    );
  }
}
