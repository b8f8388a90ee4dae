import type { AuditCheckView, AuditReport, CheckStatus } from '../../api';
import { Banner, Button, ErrorBanner, KeyValue, Panel, StatusBadge, type Status } from '../../components';
import { useFields } from '../../store';
import { Evidence, UntrustedNote } from './Evidence';
import { Files } from './Files';
import { Timeline } from './Timeline';
import { usePrintReport } from './usePrintReport';

export const CHECK_STATUS: Record<CheckStatus, { status: Status; text: string }> = {
  pass: { status: 'ok', text: 'Pass' },
  fail: { status: 'failed', text: 'Fail' },
  warn: { status: 'warning', text: 'Warning' },
  skipped: { status: 'skipped', text: 'Not checked' },
};

/** Hex shown in groups of four, as read aloud; other values as they are. */
function readable(f: AuditReport['keyFacts'][number]): AuditReport['keyFacts'][number] {
  return /^[0-9a-f]{16,}$/i.test(f.value) ? { ...f, value: f.value.replace(/(.{4})(?=.)/g, '$1 ') } : f;
}

/** The verifier speaks for the CLI too; on this screen its flags are the fields a person fills in. */
export function guiWords(text: string): string {
  return text.replace(/No --trusted-key given/g, 'No trusted key given (the Trusted keys field)').replace(/--trusted-key/g, 'a trusted key (the Trusted keys field)');
}

function Checks({ checks, label }: { checks: AuditCheckView[]; label: string }) {
  if (checks.length === 0) return <p className="muted">Nothing to check here for this transcript.</p>;
  return (
    <ul className="checks" aria-label={label}>
      {checks.map((c) => (
        <li key={c.id} className={`check check-${c.status}`}>
          <StatusBadge status={CHECK_STATUS[c.status].status}>{CHECK_STATUS[c.status].text}</StatusBadge>
          <div className="check-text">
            <p className="check-title">{c.title}</p>
            <p className="check-detail">{c.detail}</p>
          </div>
        </li>
      ))}
    </ul>
  );
}

function Checkpoints({ report }: { report: AuditReport }) {
  if (report.checkpoints.length === 0) return <p className="muted">{report.checkpointsNote || 'This transcript has no checkpoint.'}</p>;
  return (
    <div className="table-wrap">
      <table className="table">
        <caption className="visually-hidden">Checkpoints and their signatures</caption>
        <thead>
          <tr><th scope="col">Checkpoint</th><th scope="col">Covers</th><th scope="col">Status</th><th scope="col">Signatures</th></tr>
        </thead>
        <tbody>
          {report.checkpoints.map((c) => (
            <tr key={c.file}>
              <td className="mono wrap-anywhere">{c.file}</td>
              <td>{c.size} entries</td>
              <td>
                <StatusBadge status={CHECK_STATUS[c.status].status}>{CHECK_STATUS[c.status].text}</StatusBadge>
                {c.detail ? <p className="small muted">{c.detail}</p> : null}
              </td>
              <td>
                <ul className="sigs">
                  {c.signatures.map((s) => (
                    <li key={`${s.name}-${s.role}`} className="sig">
                      <StatusBadge status={CHECK_STATUS[s.status].status}>{CHECK_STATUS[s.status].text}</StatusBadge>
                      <span className="wrap-anywhere">{s.name} <span className="muted">({s.role})</span></span>
                    </li>
                  ))}
                </ul>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function Report({ report }: { report: AuditReport }) {
  const { exportAuditReport: exportReport, reportExportedTo: exportedTo, reportExportError: exportError } = useFields('exportAuditReport', 'reportExportedTo', 'reportExportError');
  const printing = usePrintReport(report.dir);
  const verified = report.verdict === 'verified';
  const failing = report.firstFailure?.seq ?? null;
  return (
    <div className="report">
      {report.ceremony.rehearsal && (
        <Banner tone="rehearsal" title="REHEARSAL: not a real ceremony" className="audit-rehearsal">
          <p>The transcript says this run was a rehearsal: its token, keys, shares and signatures are throwaways.</p>
        </Banner>
      )}
      <Banner
        tone={verified ? 'success' : 'danger'}
        title={verified ? 'Transcript verified' : 'Transcript failed verification'}
        live={verified ? 'polite' : 'alert'}
        className="verdict"
        actions={
          <div className="row no-print">
            {printing.buttons}
            <Button icon="folder" onClick={() => void exportReport()}>Save report.html</Button>
          </div>
        }
      >
        <p>{report.headline}</p>
        <p className="small">{report.ceremony.title} · <span className="mono">{report.ceremony.id}</span>{report.ceremony.rehearsal ? ' · rehearsal' : ''}</p>
        <p className="small mono wrap-anywhere">{report.dir}</p>
        {failing !== null ? <p><a href={`#entry-${failing}`} className="no-print">Go to entry {failing}, the first failure</a></p> : null}
      </Banner>
      {printing.status}
      {exportedTo ? <Banner tone="success" title="Report saved" className="no-print"><p className="mono wrap-anywhere">{exportedTo}</p></Banner> : null}
      {exportError ? <div className="no-print"><ErrorBanner error={exportError} title="The report could not be saved" /></div> : null}
      {/* Full width: a fingerprint grouped in fours and the read-aloud words need the room. */}
      <Panel title={verified ? 'Key facts' : 'Key facts (not trusted)'}
        description={verified
          ? 'Read the fingerprint aloud and compare it with the printed one.'
          : 'The transcript failed verification: these are what it says, not what is proven. Do not compare them as if they were.'}>
        <UntrustedNote report={report} testId="facts-untrusted" />
        {report.keyFacts.length > 0
          ? <div className={verified ? undefined : 'audit-facts--untrusted'}><KeyValue items={report.keyFacts.map(readable)} /></div>
          : <p className="muted">This transcript records no key.</p>}
      </Panel>
      <Evidence report={report} />
      <Panel title="Integrity checks">
        <Checks checks={report.checks.map((c) => ({ ...c, detail: guiWords(c.detail) }))} label="Integrity checks" />
      </Panel>
      <Panel title="Policy compliance">
        <Checks checks={report.policy} label="Policy compliance" />
      </Panel>
      {report.files ? <Panel title="Files in the folder" description="Each file the transcript names must be the one the ceremony wrote."><Files files={report.files} /></Panel> : null}
      <Panel title="Checkpoints and signatures">
        <Checkpoints report={report} />
      </Panel>
      <Panel title="Timeline" description={`${report.entries.length} entries, in the order they were written.`}>
        <Timeline entries={report.entries} firstFailure={failing} />
      </Panel>
    </div>
  );
}
