import type { FormEvent } from 'react';
import { Button, ErrorBanner, Field, Loading, TextArea } from '../../components';
import { useStore } from '../../store';
import { Report } from './Report';

export function AuditScreen() {
  const dir = useStore((s) => s.auditDir);
  const setDir = useStore((s) => s.setAuditDir);
  const phase = useStore((s) => s.auditPhase);
  const report = useStore((s) => s.report);
  const error = useStore((s) => s.auditError);
  const verify = useStore((s) => s.verify);
  const pick = useStore((s) => s.pickAuditFolder);
  const canPick = useStore((s) => s.info?.canPickFolders ?? false);
  const trustedKeys = useStore((s) => s.trustedKeys);
  const setTrustedKeys = useStore((s) => s.setTrustedKeys);

  function submit(e: FormEvent) {
    e.preventDefault();
    if (dir.trim()) void verify(dir.trim());
  }

  return (
    <section className="screen" aria-labelledby="audit-title">
      <div className="screen-header">
        <div>
          <h1 id="audit-title">Verify a transcript</h1>
          <p className="screen-lead">Checks that the transcript is intact, signed, complete and within policy, and shows why if it is not.</p>
        </div>
      </div>
      <form className="audit-form no-print" onSubmit={submit} aria-label="Transcript to verify">
        <div className="row">
          <Field
            label="Transcript folder"
            hint="The ceremony folder holding transcript.jsonl and checkpoints/."
            value={dir}
            onChange={(e) => setDir(e.target.value)}
            mono
            spellCheck={false}
            autoComplete="off"
            name="transcript-dir"
          />
          <div className="form-buttons">
            {canPick ? <Button icon="folder" onClick={() => void pick()}>Choose folder</Button> : null}
            <Button type="submit" variant="primary" icon="check" busy={phase === 'verifying'} disabled={!dir.trim()}>Verify</Button>
          </div>
        </div>
        <TextArea
          label="Trusted keys (optional)"
          hint="Paste the verifier keys printed on the signed paper report, one a line. Without them, signatures are checked only against keys the transcript itself records."
          value={trustedKeys}
          onChange={(e) => setTrustedKeys(e.target.value)}
          mono
          rows={2}
          spellCheck={false}
          autoComplete="off"
          name="trusted-keys"
        />
      </form>
      {phase === 'verifying' ? <Loading label="Verifying the hash chain, checkpoints and signatures" /> : null}
      {error ? <ErrorBanner error={error} title="The transcript could not be verified" /> : null}
      {report && phase === 'done' ? <Report report={report} /> : null}
    </section>
  );
}
