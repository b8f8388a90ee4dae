import type { CeremonyNeed } from '../../api';
import { Button } from '../../components';
import { useFields, useStore, stepError } from '../../store';
import { useTokenChoices } from '../custodian/useTokenChoices';
import { waysText, WitnessTokenCosign } from './WitnessTokenCosign';

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
 * At the seal, each witness whose key the script records cosigns the final checkpoint: with their
 * key on their own token (PIN typed here, the key stays on the token), or, for an Ed25519 key, with
 * their signer key file, which main opens in its own dialog so the key never reaches this window.
 */
export function NeedWitnessCosign({ need }: { need: CosignNeed }) {
  const { runBusy: busy, submitInput: submit } = useFields('runBusy', 'submitInput');
  const error = useStore(stepError);
  const { tokens, error: listError, reload } = useTokenChoices();
  const fileWay = need.keyType === 'ed25519';
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
        <div><dt>Key type</dt><dd data-testid="cosign-key-type">{need.keyType === 'ed25519' ? 'Ed25519 (key file or token)' : 'ECDSA or RSA (token only)'}</dd></div>
      </dl>
      <p className="cer-instruction" data-testid="cosign-ways">{waysText(need.witness, need.keyType)}</p>
      {/* Keyed by witness: the next witness starts with an empty form, never the last one's token. */}
      <WitnessTokenCosign key={need.witness} witness={need.witness} tokens={tokens} listError={listError} error={error}
        needTries={need.tries} busy={busy} onReload={reload}
        onCosign={(tokenSerial, pin) => { void submit({ kind: 'witness-cosign', witness: need.witness, token: { tokenSerial, pin } }); }} />
      {fileWay
        ? (
            <div className="cust-cosign__file">
              <h3 className="cust-cosign__way">Or cosign with my key file</h3>
              <p className="cer-hint">{need.witness}: Keyrite opens a file dialog. Choose your signer key file from your own media. Keyrite checks it is the key the script records for you, cosigns, and keeps nothing of it.</p>
              <Button type="button" variant="secondary" size="large" icon="key" busy={busy} className="cust-cosign__go"
                onClick={() => { void submit({ kind: 'witness-cosign', witness: need.witness }); }}>
                Choose {need.witness}&apos;s key file and cosign
              </Button>
            </div>
          )
        : null}
    </div>
  );
}
