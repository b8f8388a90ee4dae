import type { AuditFileView, CheckStatus } from '../../api';
import { StatusBadge, type Status } from '../../components';

const BADGE: Record<CheckStatus, Status> = { pass: 'ok', fail: 'failed', warn: 'warning', skipped: 'skipped' };

/** Every file in the audited folder, as `keyrite verify` lists it: bound, changed, not present, unexpected. */
export function Files({ files }: { files: AuditFileView[] }) {
  if (files.length === 0) return <p className="muted">The folder holds no file besides the transcript.</p>;
  return (
    <div className="table-wrap">
      <table className="table" aria-label="Files in the folder">
        <caption className="visually-hidden">Files in the folder and what the transcript says about each</caption>
        <thead>
          <tr><th scope="col">File</th><th scope="col">Status</th><th scope="col">Checked against</th></tr>
        </thead>
        <tbody>
          {files.map((f) => (
            <tr key={f.file} className={`file file-${f.status}`}>
              <td className="mono wrap-anywhere">{f.file}</td>
              <td><StatusBadge status={BADGE[f.status]}>{f.label}</StatusBadge></td>
              <td>
                <p className="small">{f.detail}</p>
                {f.entry ? <p className="small muted">{f.entry}</p> : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
