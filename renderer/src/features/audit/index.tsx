import type { FormEvent } from 'react';
import { Button, ErrorBanner, Field, Loading, TextArea } from '../../components';
import { useFields, useStore } from '../../store';
import { Report } from './Report';

/** A path or a key: shown in monospace, never spell-checked or autocompleted. */
const TYPED_AS_IS = { mono: true, spellCheck: false, autoComplete: 'off' } as const;

export function AuditScreen() {
  const { auditDir: dir, setAuditDir: setDir, auditPhase: phase, auditReport: report, auditError: error, verifyTranscript: verify, pickAuditFolder: pick } = useFields('auditDir', 'setAuditDir', 'auditPhase', 'auditReport', 'auditError', 'verifyTranscript', 'pickAuditFolder');
  const canPick = useStore((s) => s.appInfo?.canPickFolders ?? false);
  const { trustedKeys, setTrustedKeys } = useFields('trustedKeys', 'setTrustedKeys');

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
          <Field label="Transcript folder" hint="The ceremony folder holding transcript.jsonl and checkpoints/."
            value={dir} onChange={(e) => setDir(e.target.value)} name="transcript-dir" {...TYPED_AS_IS} />
          <div className="form-buttons">
            {canPick ? <Button icon="folder" onClick={() => void pick()}>Choose folder</Button> : null}
            <Button type="submit" variant="primary" icon="check" busy={phase === 'verifying'} disabled={!dir.trim()}>Verify</Button>
          </div>
        </div>
        <TextArea label="Trusted keys (optional)"
          hint="Paste the verifier keys printed on the signed paper report, one a line. Without them, signatures are checked only against keys the transcript itself records."
          value={trustedKeys} onChange={(e) => setTrustedKeys(e.target.value)} rows={2} name="trusted-keys" {...TYPED_AS_IS} />
      </form>
      {phase === 'verifying' ? <Loading label="Verifying the hash chain, checkpoints and signatures" /> : null}
      {error ? <ErrorBanner error={error} title="The transcript could not be verified" /> : null}
      {report && phase === 'done' ? <Report report={report} /> : null}
    </section>
  );
}
