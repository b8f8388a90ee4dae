import { Button } from '../../components';
import { useId } from 'react';
import { useFields } from '../../store';
import { ErrorAlert } from '../ceremony/ErrorAlert';
import { Facts } from '../ceremony/Facts';
import { ShareEntry } from './ShareEntry';
import '../ceremony/ceremony.css';

/** Rebuild a backup's wrapping key from k shares, each checked as it is entered. */
export function RecoveryScreen() {
  const { recoveryView: view, recoveryError: error, recoveryBusy: busy, acceptedShareCount: acceptedCount, startRecovery: start, addRecoveryShare: addShare, closeRecovery: close } = useFields('recoveryView', 'recoveryError', 'recoveryBusy', 'acceptedShareCount', 'startRecovery', 'addRecoveryShare', 'closeRecovery');
  const fileId = useId();

  return (
    <section className="cer-screen" aria-labelledby="recovery-title">
      <h1 id="recovery-title" className="cer-h1">Check shares against a backup</h1>
      {!view ? (
        <div className="cer-loader">
          <p className="cer-lead">Choose the backup file (backup.json) written at the key ceremony. Then each custodian enters their share in turn: each is checked on entry, and once enough are in Keyrite rebuilds the wrapping key and checks it against the backup. No key is restored to a token here; that is the recovery ceremony (Ceremony screen, a recovery script).</p>
          <div className="field">
            <label htmlFor={fileId} className="field-label">Backup file</label>
            <input id={fileId} className="cer-file" type="file" accept=".json,application/json" data-testid="backup-file"
              onChange={(e) => { const f = e.target.files?.[0]; if (f) void f.text().then((t) => start(f.name, t)); }} />
          </div>
          {error ? <ErrorAlert error={error} title="This backup file cannot be used" /> : null}
        </div>
      ) : (
        <div className="rec-session">
          <header className="cer-head">
            <div className="cer-head__titles">
              <p className="cer-eyebrow">Ceremony {view.ceremonyId} · key {view.keyLabel}</p>
              <p className="cer-h2" data-testid="recovery-progress">{view.accepted.length} of {view.k} shares accepted</p>
            </div>
            <div className="cer-progress">
              <label htmlFor="rec-progress" className="cer-progress__label">{view.k}-of-{view.n} backup: {view.complete ? 'enough shares' : `${Math.max(0, view.k - view.accepted.length)} more needed`}</label>
              <progress id="rec-progress" className="cer-progress__bar" max={view.k} value={Math.min(view.accepted.length, view.k)} />
            </div>
          </header>
          {view.accepted.length > 0 ? (
            <ul className="rec-accepted" aria-label="Shares accepted">
              {view.accepted.map((s) => (
                <li key={s.fingerprint}><span aria-hidden="true">✓ </span>Share {s.ordinal}{s.custodian ? ` from ${s.custodian}` : ''} <span className="cer-mono">({s.fingerprint})</span></li>
              ))}
            </ul>
          ) : null}
          {view.complete ? (
            <section className="cer-panel" aria-labelledby="rec-done">
              <h2 id="rec-done" className="cer-h2"><span aria-hidden="true">✓ </span>The wrapping key is rebuilt and matches its commitment</h2>
              <Facts facts={view.facts} />
              <p className="cer-hint">The shares are proven good. To restore the key into a token, run a recovery ceremony with this backup; it asks for the shares again.</p>
              <Button type="button" variant="primary" onClick={() => { void close(); }}>Finish and forget the shares</Button>
            </section>
          ) : (
            <section className="cer-panel" aria-labelledby="rec-next">
              <h2 id="rec-next" className="cer-h2">Share {view.accepted.length + 1}</h2>
              <p className="cer-lead">Pass the laptop to the next custodian. Others look away while the words are typed.</p>
              <ShareEntry key={acceptedCount} who="Next custodian" wordCount={view.wordCount} busy={busy} error={error} onSubmit={addShare} tokenInput />
            </section>
          )}
        </div>
      )}
    </section>
  );
}
