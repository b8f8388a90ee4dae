import { useEffect, useId, useRef, useState } from 'react';
import type { CeremonyNeed, ErrorData, PinTries } from '../../api';
import { Button } from '../../components';
import { tokenOptionText, type TokenChoice } from '../../store';
import { useRefocusOnRefusal } from '../custodian/refocus';
import { pinLocked, TokenPinField } from './TokenPinField';

type KeyType = Extract<CeremonyNeed, { kind: 'witness-cosign' }>['keyType'];

/** Refusals that belong to this form; a key file's refusal (chosen in main's dialog) does not. */
const TOKEN_CODES = new Set(['PIN_INCORRECT', 'PIN_LOCKED', 'WITNESS_KEY_NOT_ON_TOKEN', 'TOKEN_NOT_FOUND', 'TOKEN_NOT_PRESENT']);

export function tokenRefusal(error: ErrorData | null): ErrorData | null {
  return error && TOKEN_CODES.has(error.code) ? error : null;
}

/**
 * The line kept under the token choice: why the list could not be read, or that the chosen token
 * does not hold the witness's key (short: the banner above has the whole refusal). A wrong PIN is
 * said on the PIN field instead.
 */
export function tokenLine(witness: string, listError: ErrorData | null, error: ErrorData | null, noTokens: boolean): string | null {
  if (listError) return `${listError.message} ${listError.action ?? ''}`.trim();
  if (error?.code === 'WITNESS_KEY_NOT_ON_TOKEN') {
    const label = typeof error.details?.tokenLabel === 'string' && error.details.tokenLabel !== '' ? error.details.tokenLabel : 'This token';
    return `${label} does not hold ${witness}'s key: choose your own token.`;
  }
  if (error && error.code !== 'PIN_INCORRECT' && tokenRefusal(error)) return `${error.message} ${error.action ?? ''}`.trim();
  if (noTokens) return 'No token found: insert your own token and look again.';
  return null;
}

/** Why only the token way is offered, or that both are; said in words, never by colour or layout alone. */
export function waysText(witness: string, keyType: KeyType): string {
  return keyType === 'keyrite.spki/v1'
    ? `The script records an ECDSA or RSA key for ${witness} (keyrite.spki/v1). Such a key is only ever kept on a token, so ${witness} cosigns on their own token.`
    : `The script records an Ed25519 key for ${witness}: cosign with your key on your own token, or with your signer key file.`;
}

export interface WitnessTokenCosignProps {
  witness: string;
  tokens: TokenChoice[] | null;
  listError: ErrorData | null;
  /** The last refusal of the cosign step; only the token's own refusals are shown here. */
  error: ErrorData | null;
  needTries: PinTries | null;
  busy: boolean;
  onReload: () => void;
  onCosign: (tokenSerial: string, pin: string) => void;
}

/**
 * The witness chooses their own token and types its PIN: main logs in once, finds the key the
 * script records for them on it, signs the final checkpoint there and closes the session.
 */
export function WitnessTokenCosign({ witness, tokens, listError, error, needTries, busy, onReload, onCosign }: WitnessTokenCosignProps) {
  const [serial, setSerial] = useState('');
  const [pin, setPin] = useState('');
  const selectId = useId();
  const lineId = useId();
  const mine = tokenRefusal(error);
  // After a wrong PIN the cleared PIN field takes focus; after a token without the key, the choice.
  const form = useRefocusOnRefusal(mine?.code === 'WITNESS_KEY_NOT_ON_TOKEN' ? null : mine, busy);
  const select = useRef<HTMLSelectElement>(null);
  useEffect(() => {
    if (mine?.code === 'WITNESS_KEY_NOT_ON_TOKEN' && !busy) select.current?.focus();
  }, [mine, busy]);
  const choices = tokens ?? [];
  // One token present is the only possible choice; with several (the ceremony's token is listed
  // too) the witness picks theirs.
  const chosen = serial !== '' && choices.some((t) => t.serial === serial) ? serial : choices.length === 1 ? choices[0]?.serial ?? '' : '';
  const locked = pinLocked(needTries, mine);
  const line = tokenLine(witness, listError, mine, tokens !== null && choices.length === 0);
  return (
    <form className="cer-form cust-form cust-cosign__token" aria-labelledby={`${selectId}-title`} ref={form}
      onSubmit={(e) => { e.preventDefault(); const p = pin; setPin(''); onCosign(chosen, p); }}>
      <h3 id={`${selectId}-title`} className="cust-cosign__way">Cosign with my token</h3>
      <p className="cer-hint">{witness}: choose your own token and type its PIN. Keyrite logs in once, finds the key the script records for you on it, signs the final checkpoint there and closes the session. The key never leaves your token.</p>
      <div className="field">
        <label htmlFor={selectId} className="field-label">{witness}&apos;s token</label>
        <select id={selectId} ref={select} className="field-input" value={chosen} disabled={tokens === null || busy}
          aria-describedby={lineId} aria-invalid={mine?.code === 'WITNESS_KEY_NOT_ON_TOKEN' ? true : undefined} onChange={(e) => setSerial(e.target.value)}>
          <option value="">{tokens === null ? 'Looking for tokens…' : choices.length === 0 ? 'No token found: insert yours' : 'Choose your token'}</option>
          {choices.map((t) => <option key={t.serial} value={t.serial}>{tokenOptionText(t)}</option>)}
        </select>
        <Button type="button" variant="secondary" icon="refresh" disabled={busy} onClick={onReload} className="cust-relist">Look for tokens again</Button>
        <p id={lineId} className="field-error" data-testid="cosign-token-line" role={line && (listError || mine) ? 'alert' : undefined}>{line}</p>
      </div>
      <TokenPinField label={`PIN of ${witness}'s token`} name="witness-token-pin" value={pin}
        hint="Used for one login on your token; never stored or written to the transcript."
        needTries={needTries} error={mine} disabled={busy} onChange={(e) => setPin(e.target.value)} />
      <Button type="submit" variant="primary" size="large" icon="key" busy={busy} disabled={chosen === '' || pin === '' || locked}>Cosign on my token</Button>
    </form>
  );
}
