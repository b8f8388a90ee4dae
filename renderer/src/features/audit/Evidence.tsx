import type { AttestationView, AuditReport, KeyFact } from '../../api';
import { KeyValue, Panel, StatusBadge, type Status } from '../../components';

const ATTESTATION_STATUS: Record<AttestationView['status'], { status: Status; text: string }> = {
  verified: { status: 'ok', text: 'Verified' },
  refused: { status: 'failed', text: 'Refused' },
  absent: { status: 'skipped', text: 'No attestation' },
};

/** Hex shown in groups of four, as it is read aloud. */
function grouped(f: KeyFact): KeyFact {
  return /^[0-9a-f]{16,}$/i.test(f.value) ? { ...f, value: f.value.replace(/(.{4})(?=.)/g, '$1 ') } : f;
}

/** What ran, on what: the provenance ceremony.start recorded, with the code digest's words to read aloud. */
export function Provenance({ report }: { report: AuditReport }) {
  const p = report.provenance;
  if (!p) return null;
  return (
    <Panel title="Provenance" description="What ran the ceremony, on what, as recorded when it started. Compare the code digest words with the ones read aloud in the room.">
      {report.verdict !== 'verified' ? <p className="audit-untrusted"><StatusBadge status="warning">Not trusted</StatusBadge> From a transcript that failed verification.</p> : null}
      {!p.recorded ? <p className="muted">This transcript records no provenance: it was written by a Keyrite that did not record it.</p> : (
        <div data-testid="provenance">
          {p.codeWords ? (
            <p className="provenance-words">
              <span className="small muted">Code digest, read aloud: </span>
              <span className="mono strong" data-testid="code-words">{p.codeWords.join(' ')}</span>
            </p>
          ) : null}
          <KeyValue items={p.facts.map(grouped)} />
        </div>
      )}
    </Panel>
  );
}

/** Each key attestation as verified again here, or plainly why there is none. */
export function Attestations({ report }: { report: AuditReport }) {
  const list = report.attestations;
  if (!list) return null;
  return (
    <Panel title="Key attestation" description="Whether the device that made each key vouches, with its vendor's certificate chain, that it generated the key.">
      {report.verdict !== 'verified' ? <p className="audit-untrusted"><StatusBadge status="warning">Not trusted</StatusBadge> From a transcript that failed verification.</p> : null}
      {list.length === 0 ? <p className="muted">This ceremony generated no key, so there is nothing to attest.</p> : (
        <ul className="checks" aria-label="Key attestations">
          {list.map((a, i) => (
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
      )}
    </Panel>
  );
}
