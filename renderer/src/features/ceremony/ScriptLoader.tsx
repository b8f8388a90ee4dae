import { Button, groupHexRuns } from '../../components';
import { useEffect, useId, useRef, type ChangeEvent } from 'react';
import type { ScriptIssueView, ScriptSummary } from '../../api';
import { useFields } from '../../store';
import { ErrorAlert } from './ErrorAlert';
import { ROLE_LABELS } from './labels';
import { Preflight, usePreflightKey } from './Preflight';
import { PriorRunPicker } from './PriorRunPicker';
import { ResumePicker } from './ResumePicker';
import { useScriptDrop } from './ScriptDrop';
import { TemplateGallery } from './TemplateGallery';

async function readPicked(e: ChangeEvent<HTMLInputElement>): Promise<{ fileName: string; text: string } | null> {
  const file = e.target.files?.[0];
  if (!file) return null;
  return { fileName: file.name, text: await file.text() };
}

/** `3-of-5` as the paper script says it: any 3 of the 5 custodians' shares rebuild the key. */
function splitWords(split: string | null): string {
  const m = split ? /^(\d+)-of-(\d+)$/.exec(split) : null;
  if (!m) return split ?? 'none (no backup)';
  return `${split}: any ${m[1]} of the ${m[2]} custodians' shares rebuild the key`;
}

function witnessWords(summary: ScriptSummary): string {
  const names = summary.participants.filter((p) => p.role === 'witness').map((p) => p.name);
  return names.length === 0 ? 'none' : `${names.length}: ${names.join(', ')}`;
}

/** The whole file is not a YAML mapping (a photo, a PDF, plain text): no field of a script is in it. */
function notAScript(issues: ScriptIssueView[]): boolean {
  return issues.length === 1 && issues[0]?.path === '(top level)' && issues[0].code === 'WRONG_TYPE';
}

function issuesOf(details: Record<string, unknown> | undefined): ScriptIssueView[] {
  const issues = details?.issues;
  return Array.isArray(issues) ? (issues as ScriptIssueView[]) : [];
}

/**
 * Step 0: pick or drop the agreed script (and policy), or choose a bundled template; see it checked,
 * then start the ceremony.
 */
export function ScriptLoader() {
  const { pickedScript: script, pickedPolicy: policy, scriptSummary: summary, runError: error, runBusy: busy, pickScript, pickPolicy, startRun: start, priorRunDir: from, resumeRunDir: resume } = useFields('pickedScript', 'pickedPolicy', 'scriptSummary', 'runError', 'runBusy', 'pickScript', 'pickPolicy', 'startRun', 'priorRunDir', 'resumeRunDir');
  const scriptId = useId();
  const policyId = useId();
  const issues = issuesOf(error?.details);
  const needsPrior = summary?.needsPriorRun === true;
  const preflightKey = usePreflightKey();
  // A template chosen or files dropped bring the summary (or the refusal) into view once main answers.
  const summaryHeading = useRef<HTMLHeadingElement>(null);
  const showSummary = useRef(false);
  const wantSummary = () => { showSummary.current = true; };
  const { over, handlers } = useScriptDrop(wantSummary);
  useEffect(() => {
    if (!summary || !showSummary.current) return;
    showSummary.current = false;
    summaryHeading.current?.focus({ preventScroll: true });
    summaryHeading.current?.scrollIntoView?.({ block: 'start' });
  }, [summary]);
  const startButton = (startable: boolean) => (
    <Button type="button" variant="primary" disabled={busy || (needsPrior && !from) || !startable} onClick={() => { void start(); }}>
      {resume ? 'Resume the ceremony' : 'Start the ceremony'}
    </Button>
  );

  return (
    <div className="cer-start" {...handlers}>
      <div className="cer-loader">
        <p className="cer-lead">Choose or drop the ceremony script agreed before the day, or start from a template below. Keyrite checks it against the schema and the policy before anything runs.</p>
        <div className={`cer-drop${over ? ' cer-drop--over' : ''}`} data-testid="script-drop">
          <p className="cer-drop__hint">{over ? 'Drop to check the script' : 'Drop the script here, with its policy if it has its own, or choose the files:'}</p>
          <div className="field">
            <label htmlFor={scriptId} className="field-label">Ceremony script (YAML)</label>
            <input id={scriptId} className="cer-file" type="file" accept=".yaml,.yml,text/yaml" data-testid="script-file"
              onChange={(e) => { void readPicked(e).then((f) => f && pickScript(f)); }} />
            {script ? <p className="cer-hint">Chosen: <strong>{script.fileName}</strong></p> : null}
          </div>
          <div className="field">
            <label htmlFor={policyId} className="field-label">Policy (optional; the default policy applies otherwise)</label>
            <input id={policyId} className="cer-file" type="file" accept=".yaml,.yml,text/yaml" data-testid="policy-file"
              onChange={(e) => { void readPicked(e).then((f) => pickPolicy(f)); }} />
            {policy ? <p className="cer-hint">Chosen: <strong>{policy.fileName}</strong></p> : null}
          </div>
        </div>

        {error ? <ErrorAlert error={error} title={issues.length > 0 ? `The script has ${issues.length} problem${issues.length === 1 ? '' : 's'}` : 'The script cannot be used'} /> : null}
        {issues.length > 0 ? <IssueTable issues={issues} /> : null}
        {notAScript(issues) ? <p className="cer-hint" data-testid="not-a-script">This file holds no fields at all: it is not a ceremony script. Choose or drop the script's .yaml file.</p> : null}

        {summary ? (
          <section className="cer-summary" aria-labelledby="cer-summary-title">
            <h2 id="cer-summary-title" className="cer-h2" tabIndex={-1} ref={summaryHeading}><span aria-hidden="true">✓ </span>Script checked: {summary.title}</h2>
            <p>{summary.purpose}</p>
            <dl className="cer-facts">
              <div><dt>Ceremony</dt><dd>{summary.ceremonyId} ({summary.type})</dd></div>
              <div><dt>Steps</dt><dd>{summary.stepCount}</dd></div>
              {summary.facts ? (
                <>
                  <div><dt>Key</dt><dd><span className="cer-mono">{summary.facts.keyLabel}</span>, {summary.facts.algorithm}, class {summary.facts.keyClass}</dd></div>
                  <div><dt>Token</dt><dd>{summary.facts.token}</dd></div>
                  <div><dt>Backup shares</dt><dd>{splitWords(summary.facts.split)}</dd></div>
                  <div><dt>Witnesses</dt><dd>{witnessWords(summary)}</dd></div>
                  <div><dt>Policy</dt><dd>{summary.facts.policyName}</dd></div>
                  <div><dt>Policy SHA-256</dt><dd className="cer-mono" data-testid="policy-sha256">{groupHexRuns(summary.facts.policySha256)}</dd></div>
                  <div><dt>Script SHA-256</dt><dd className="cer-mono" data-testid="script-sha256">{groupHexRuns(summary.facts.scriptSha256)}</dd></div>
                </>
              ) : null}
            </dl>
            <p className="cer-hint">Compare these with the signed paper script before starting.</p>
            <h3 className="cer-h3">People in the room</h3>
            <ul className="cer-people">
              {summary.participants.map((p) => <li key={p.name}><strong>{p.name}</strong> — {ROLE_LABELS[p.role] ?? p.role}</li>)}
            </ul>
            {needsPrior ? <PriorRunPicker /> : null}
            <ResumePicker ceremonyId={summary.ceremonyId} />
            {/* A new run starts only once the pre-flight lets it; a resumed run's own steps check again. */}
            {resume ? startButton(true) : <Preflight key={preflightKey}>{startButton}</Preflight>}
          </section>
        ) : null}
      </div>
    <TemplateGallery onChosen={wantSummary} />
    </div>
  );
}

function IssueTable({ issues }: { issues: ScriptIssueView[] }) {
  return (
    <table className="table cer-issues">
      <caption className="visually-hidden">Problems in the script, by line</caption>
      <thead><tr><th scope="col">Line</th><th scope="col">Field (YAML path)</th><th scope="col">Problem</th></tr></thead>
      <tbody>
        {issues.map((i, n) => (
          <tr key={`${i.path}-${i.line}-${n}`}>
            <td className="cer-mono">{i.line}:{i.column}</td>
            <td className="cer-mono">{i.path}</td>
            <td>{i.message}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
