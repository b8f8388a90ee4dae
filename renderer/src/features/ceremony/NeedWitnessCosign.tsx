import type { CeremonyNeed } from '../../api';
import { Button } from '../../components';
import { useCeremony } from '../../store/ceremony-stores';

type CosignNeed = Extract<CeremonyNeed, { kind: 'witness-cosign' }>;

/** Everyone the need mentions, in the order they cosign: done first, then the one now, then the rest. */
export function cosignRows(need: CosignNeed): { name: string; state: 'cosigned' | 'now' | 'waiting' }[] {
  const rows: { name: string; state: 'cosigned' | 'now' | 'waiting' }[] = need.cosigned.map((name) => ({ name, state: 'cosigned' }));
  if (!need.cosigned.includes(need.witness)) rows.push({ name: need.witness, state: 'now' });
  for (const name of need.pending) if (name !== need.witness && !need.cosigned.includes(name)) rows.push({ name, state: 'waiting' });
  return rows;
}

const STATE_TEXT = { cosigned: 'Cosigned', now: 'Cosigning now', waiting: 'Waiting' } as const;
const STATE_MARK = { cosigned: '✓', now: '→', waiting: '…' } as const;

/**
 * At the seal, each witness whose key the script records cosigns the final checkpoint. Main opens
 * the file dialog for their signer key and checks it against the script: the key file never
 * reaches this window, so the button only names the witness.
 */
export function NeedWitnessCosign({ need }: { need: CosignNeed }) {
  const busy = useCeremony((s) => s.busy);
  const submit = useCeremony((s) => s.submit);
  return (
    <div className="cer-attest cust-cosign">
      <p className="cer-lead">The final checkpoint is written. Each witness whose key the script records now cosigns it, so anyone can check later that they saw this transcript.</p>
      <ul className="cer-attest__list" aria-label="Witness cosignatures">
        {cosignRows(need).map((r) => (
          <li key={r.name} className={`cer-attest__row${r.state === 'cosigned' ? ' cer-attest__row--done' : ''}${r.state === 'now' ? ' cust-cosign__row--now' : ''}`}>
            <span className="cer-attest__name">{r.name}</span>
            <span className={`cust-cosign__state cust-cosign__state--${r.state}`}><span aria-hidden="true">{STATE_MARK[r.state]} </span>{STATE_TEXT[r.state]}</span>
          </li>
        ))}
      </ul>
      <dl className="cer-facts">
        <div><dt>Witness</dt><dd>{need.witness}</dd></div>
        <div><dt>Key name</dt><dd className="cer-mono cer-wrap" data-testid="cosign-key-name">{need.keyName}</dd></div>
        <div><dt>Key id</dt><dd className="cer-mono cer-wrap" data-testid="cosign-key-id">{need.keyId}</dd></div>
      </dl>
      <p className="cer-hint">{need.witness}: Keyrite opens a file dialog. Choose your signer key file from your own media. Keyrite checks it is the key the script records for you, cosigns, and keeps nothing of it.</p>
      <Button type="button" variant="primary" size="large" icon="key" busy={busy} className="cust-cosign__go"
        onClick={() => { void submit({ kind: 'witness-cosign', witness: need.witness }); }}>
        Choose {need.witness}&apos;s key file and cosign
      </Button>
    </div>
  );
}
