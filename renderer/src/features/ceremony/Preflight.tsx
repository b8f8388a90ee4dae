import { useCallback, useEffect, useId, useState, type ReactNode } from 'react';
import type { ErrorData, Result, LoadScriptReq, PreflightCheckView, PreflightView } from '../../api';
import { Button, StatusBadge, type Status } from '../../components';
import { callKeyrite, useFields, useStore } from '../../store';
import { ErrorAlert } from './ErrorAlert';

const BADGE: Record<PreflightCheckView['status'], { status: Status; words: string }> = {
  pass: { status: 'ok', words: 'Passed' },
  fail: { status: 'failed', words: 'Failed' },
  blocked: { status: 'skipped', words: 'Not checked yet' },
  info: { status: 'info', words: 'Note' },
};

/** The load request as it stands (script, policy; the prior run changes nothing checked here); a new one remounts the checklist (ScriptLoader keys it). */
function loadReq(): LoadScriptReq | null {
  const { pickedScript, pickedPolicy } = useStore.getState();
  if (!pickedScript) return null;
  return { fileName: pickedScript.fileName, text: pickedScript.text, ...(pickedPolicy ? { policyText: pickedPolicy.text } : {}) };
}

async function checkRoom(): Promise<Result<PreflightView> | null> {
  const req = loadReq();
  return req ? callKeyrite((api) => api.ceremonyPreflight(req)) : null;
}

/** A key that changes whenever the load request does, for ScriptLoader to remount the checklist with. */
export function usePreflightKey(): string {
  const { pickedScript: script, pickedPolicy: policy } = useFields('pickedScript', 'pickedPolicy');
  return `${script?.fileName ?? ''}\n${script?.text ?? ''}\n${policy?.text ?? ''}`;
}

/**
 * The room checked before the first step: token, free labels, mechanisms, air gap, witnesses'
 * keys, writable media. Nothing is journaled here (no transcript exists yet). `children` renders
 * the Start button, told whether it may be pressed: every check passed, or only the air gap fails and the administrator
 * has recorded the override that rehearsal mode or the policy allows (the reason is then asked for
 * and journaled at the air-gap step).
 */
export function Preflight({ children }: { children: (startable: boolean) => ReactNode }) {
  const [report, setReport] = useState<PreflightView | null>(null);
  const [error, setError] = useState<ErrorData | null>(null);
  const [busy, setBusy] = useState(true);
  const [override, setOverride] = useState(false);
  const overrideId = useId();

  const apply = useCallback((r: Result<PreflightView> | null) => {
    setBusy(false);
    if (!r) return;
    if (r.ok) { setReport(r.value); setError(null); } else { setReport(null); setError(r.error); }
  }, []);
  const again = () => { setBusy(true); void checkRoom().then(apply); };

  // Checked once on mount (a new script or policy mounts a new checklist), then on "Check again".
  useEffect(() => { void checkRoom().then(apply); }, [apply]);
  const startable = report !== null && !busy && (report.ready || (report.overridable && override));

  const airGap = report?.checks.find((c) => c.id === 'air-gap' && c.status === 'fail' && c.overrideAllowedBy);
  return (
    <section className="cer-preflight" aria-labelledby="cer-preflight-title" aria-busy={busy}>
      <div className="cer-preflight__head">
        <h3 id="cer-preflight-title" className="cer-h3">Pre-flight: the room before the first step</h3>
        <Button type="button" variant="secondary" busy={busy} onClick={again}>Check again</Button>
      </div>
      {error ? <ErrorAlert error={error} title="The pre-flight could not run" /> : null}
      {report ? (
        <ul className="cer-preflight__list" aria-label="Pre-flight checks">
          {report.checks.map((c) => (
            <li key={c.id} className={`cer-preflight__item cer-preflight__item--${c.status}`} data-check={c.id}>
              <StatusBadge status={BADGE[c.status].status}>{BADGE[c.status].words}</StatusBadge>
              <div>
                <p className="cer-preflight__title">{c.title}</p>
                <p className="cer-preflight__detail">{c.detail}</p>
                {c.status === 'fail' && c.action ? <p className="cer-preflight__action">{c.action}</p> : null}
              </div>
            </li>
          ))}
        </ul>
      ) : <p className="cer-hint">{busy ? 'Checking the room…' : ''}</p>}
      {airGap && report?.overridable ? (
        <div className="cer-preflight__override">
          <input id={overrideId} type="checkbox" checked={override} onChange={(e) => setOverride(e.target.checked)} />
          <label htmlFor={overrideId}>
            Start without the air gap: {airGap.overrideAllowedBy === 'rehearsal' ? 'rehearsal mode allows it' : 'the policy allows it'}. The override and its reason are recorded at the air-gap step.
          </label>
        </div>
      ) : null}
      {report && !startable ? <p className="cer-preflight__wait" data-testid="preflight-wait">Start waits until every check passes{report.overridable ? ' or the override is recorded' : ''}.</p> : null}
      {children(startable)}
    </section>
  );
}
