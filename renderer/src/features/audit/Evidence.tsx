import type { ReactNode } from 'react';
import type { AttestationView, AuditReport, KeyFact, ProvenanceView } from '../../api';
import { KeyValue, Panel, StatusBadge, type Status } from '../../components';

const ATTESTATION_STATUS: Record<AttestationView['status'], { status: Status; text: string }> = {
  verified: { status: 'ok', text: 'Verified' },
  refused: { status: 'failed', text: 'Refused' },
  absent: { status: 'skipped', text: 'No attestation' },
};

/** What a transcript that failed verification says is shown, but marked as not trusted. */
export function UntrustedNote({ report, testId }: { report: AuditReport; testId?: string }) {
  if (report.verdict === 'verified') return null;
  return <p className="audit-untrusted" data-testid={testId}><StatusBadge status="warning">Not trusted</StatusBadge> From a transcript that failed verification.</p>;
}

/** Hex shown in groups of four, as it is read aloud. */
function grouped(f: KeyFact): KeyFact {
  return /^[0-9a-f]{16,}$/i.test(f.value) ? { ...f, value: f.value.replace(/(.{4})(?=.)/g, '$1 ') } : f;
}

/**
 * One panel of evidence from the transcript: marked when the transcript failed verification, and
 * saying plainly when there is none (`none`, shown instead of the content).
 */
function EvidencePanel({ report, title, description, none, children }: { report: AuditReport; title: string; description: string; none: string | null; children: ReactNode }) {
  return (
    <Panel title={title} description={description}>
      <UntrustedNote report={report} />
      {none !== null ? <p className="muted">{none}</p> : children}
    </Panel>
  );
}

/** What ran, on what: the provenance ceremony.start recorded, with the code digest's words to read aloud. */
function ProvenanceFacts({ provenance }: { provenance: ProvenanceView }) {
  return (
    <div data-testid="provenance">
      {provenance.codeWords ? (
        <p className="provenance-words">
          <span className="small muted">Code digest, read aloud: </span>
          <span className="mono strong" data-testid="code-words">{provenance.codeWords.join(' ')}</span>
        </p>
      ) : null}
      <KeyValue items={provenance.facts.map(grouped)} />
    </div>
  );
}

/** Each key attestation as verified again here. */
function AttestationList({ attestations }: { attestations: AttestationView[] }) {
  return (
    <ul className="checks" aria-label="Key attestations">
      {attestations.map((a, i) => (
        <li key={`${a.key}-${a.entry}-${i}`} className="check" data-testid="attestation">
          <StatusBadge status={ATTESTATION_STATUS[a.status].status}>{ATTESTATION_STATUS[a.status].text}</StatusBadge>
          <div className="check-text">
            <p className="check-title">{a.key}{a.entry > 0 ? <span className="muted small"> · entry {a.entry}</span> : null}</p>
            <p className="check-detail">{a.summary}</p>
            {a.facts.length > 0 ? <KeyValue items={a.facts} /> : null}
            {a.advisories.map((adv) => (
              <p key={adv.id} className="check-detail"><StatusBadge status="warning">{`Advisory ${adv.id}`}</StatusBadge> {adv.summary}</p>
            ))}
          </div>
        </li>
      ))}
    </ul>
  );
}

/**
 * The evidence panels a transcript may carry: its key attestations, then its provenance, each
 * saying plainly why there is none. A transcript from before a panel existed shows no panel.
 */
export function Evidence({ report }: { report: AuditReport }) {
  const { attestations, provenance } = report;
  return (
    <>
      {attestations ? (
        <EvidencePanel report={report} title="Key attestation" description="Whether the device that made each key vouches, with its vendor's certificate chain, that it generated the key."
          none={attestations.length === 0 ? 'This ceremony generated no key, so there is nothing to attest.' : null}>
          <AttestationList attestations={attestations} />
        </EvidencePanel>
      ) : null}
      {provenance ? (
        <EvidencePanel report={report} title="Provenance" description="What ran the ceremony, on what, as recorded when it started. Compare the code digest words with the ones read aloud in the room."
          none={provenance.recorded ? null : 'This transcript records no provenance: it was written by a Keyrite that did not record it.'}>
          <ProvenanceFacts provenance={provenance} />
        </EvidencePanel>
      ) : null}
    </>
  );
}
