import { useId, useState } from 'react';
import type { CeremonyNeed, RecipientView } from '../../api';
import { Button } from '../../components';
import { useFields, useStore, stepError, tokenOptionText } from '../../store';
import { pinLocked, TokenPinField } from '../ceremony/TokenPinField';
import { useRefocusOnRefusal } from './refocus';
import { groupHex, namedToken, tokensForRecipient } from './recipient';
import { useTokenChoices } from './useTokenChoices';

type ShareTokenNeed = Extract<CeremonyNeed, { kind: 'share-token' }>;
type VerifyTokenNeed = Extract<CeremonyNeed, { kind: 'verify-share-token' }>;

/** The key the script records, as the custodian compares it with their own token's key. */
function RecipientFacts({ recipient }: { recipient: RecipientView }) {
  return (
    <dl className="cer-facts cust-recipient" aria-label="Your token's key, as the script records it">
      <div><dt>Token</dt><dd className="cer-mono cer-wrap">{namedToken(recipient) ?? 'Not named in the script: your own token'}</dd></div>
      <div><dt>Key label</dt><dd className="cer-mono cer-wrap">{recipient.keyLabel ?? 'Not named in the script'}</dd></div>
      <div><dt>Fingerprint (SHA-256)</dt><dd className="cer-mono cer-wrap cust-fp" data-testid="recipient-hex">{groupHex(recipient.spkiSha256)}</dd></div>
      <div><dt>As words (read aloud)</dt><dd className="cust-fp-words" data-testid="recipient-words">{recipient.words}</dd></div>
    </dl>
  );
}

/**
 * A `token` delivery: the share is encrypted to the custodian's token key that the script records.
 * Before that, the custodian reads its fingerprint aloud against their own token's key.
 */
export function ShareToken({ need }: { need: ShareTokenNeed }) {
  const { runBusy: busy, submitInput: submit } = useFields('runBusy', 'submitInput');
  return (
    <div className="cer-show cust-form">
      <p className="cer-pass__title">{need.custodian}, check the key on your token</p>
      <p className="cer-lead">Your share will be encrypted to the key on your own token that the script records. Read this fingerprint aloud and compare it with your token&apos;s key, as you noted it when the script was agreed.</p>
      <RecipientFacts recipient={need.recipient} />
      <p className="cer-hint">If any group differs, stop and record a deviation: the share must not go to a key you do not hold.</p>
      <p className="cer-hint">Next, Keyrite asks where to save the encrypted file: choose your own USB stick or card. The share&apos;s words are never shown.</p>
      <Button type="button" variant="primary" size="large" icon="shield" busy={busy}
        onClick={() => { void submit({ kind: 'share-token', custodian: need.custodian }); }}>
        The fingerprint matches: encrypt my share to it
      </Button>
    </div>
  );
}

/** The custodian opens the written share on their own token with their PIN, proving it works. */
export function VerifyShareToken({ need }: { need: VerifyTokenNeed }) {
  const { runBusy: busy, submitInput: submit } = useFields('runBusy', 'submitInput');
  const error = useStore(stepError);
  const { tokens, error: listError, reload } = useTokenChoices();
  const [serial, setSerial] = useState('');
  const [pin, setPin] = useState('');
  const selectId = useId();
  const fit = tokensForRecipient(tokens ?? [], need.recipient);
  const chosen = serial !== '' && fit.choices.some((t) => t.serial === serial) ? serial : fit.preselect ?? '';
  const locked = pinLocked(need.tries, error);
  const form = useRefocusOnRefusal(error, busy);
  const named = namedToken(need.recipient);

  return (
    <form className="cer-form cust-form" aria-label={`Check ${need.custodian}'s share on their token`}
      ref={form} onSubmit={(e) => { e.preventDefault(); const p = pin; setPin(''); void submit({ kind: 'verify-share-token', custodian: need.custodian, tokenSerial: chosen, pin: p }); }}>
      <p className="cer-pass__title">{need.custodian}, open your share on your token</p>
      <p className="cer-lead">To prove the file works, choose your token and type its PIN. Keyrite logs in once, decrypts your share on the token, checks it and closes the session.</p>
      <dl className="cer-facts">
        <div><dt>Your share file</dt><dd className="cer-mono cer-wrap" data-testid="share-file-name">{need.fileName}</dd></div>
        <div><dt>Encrypted to key</dt><dd className="cer-mono cer-wrap">{groupHex(need.recipient.spkiSha256).split(' ').slice(0, 4).join(' ')} …</dd></div>
      </dl>
      <div className="field">
        <label htmlFor={selectId} className="field-label">My token</label>
        <p className="field-hint">{named ? `The script names ${named}.` : 'Insert your own token and choose it.'}</p>
        <select id={selectId} className="field-input" value={chosen} disabled={tokens === null || busy} onChange={(e) => setSerial(e.target.value)}>
          <option value="">{tokens === null ? 'Looking for tokens…' : fit.choices.length === 0 ? 'No token found: insert yours' : 'Choose your token'}</option>
          {fit.choices.map((t) => <option key={t.serial} value={t.serial}>{tokenOptionText(t)}</option>)}
        </select>
        <Button type="button" variant="secondary" icon="refresh" disabled={busy} onClick={reload} className="cust-relist">Look for tokens again</Button>
        <p className="field-error" role={listError || fit.namedMissing ? 'alert' : undefined}>
          {listError
            ? `${listError.message} ${listError.action ?? ''}`
            : fit.namedMissing && tokens !== null ? `${named ?? 'Your token'} is not connected: insert it and look again.` : null}
        </p>
      </div>
      <TokenPinField label="PIN of my token" name="custodian-token-pin" value={pin}
        hint="Used for one login on your token; never stored or written to the transcript."
        needTries={need.tries} error={error} disabled={busy} onChange={(e) => setPin(e.target.value)} />
      <Button type="submit" variant="primary" size="large" icon="key" busy={busy} disabled={chosen === '' || pin === '' || locked}>Open my share on my token</Button>
    </form>
  );
}
