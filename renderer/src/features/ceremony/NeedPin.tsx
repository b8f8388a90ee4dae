import { useState } from 'react';
import type { CeremonyNeed } from '../../api';
import { Button } from '../../components';
import { useFields, useStore, stepError } from '../../store';
import { useRefocusOnRefusal } from '../custodian/refocus';
import { pinLocked, TokenPinField } from './TokenPinField';

type PinNeed = Extract<CeremonyNeed, { kind: 'pin' }>;

/** PIN entry (the platform's PinField: no autocomplete, spellcheck or copy); cleared once sent. */
export function NeedPin({ need }: { need: PinNeed }) {
  const { runBusy: busy, submitInput: submit } = useFields('runBusy', 'submitInput');
  const error = useStore(stepError);
  const [pin, setPin] = useState('');
  const locked = pinLocked(need.tries, error);
  const form = useRefocusOnRefusal(error, busy);
  const who = need.who ?? 'The administrator';
  const kind = need.userType === 'so' ? 'Security Officer (SO) PIN' : 'user PIN';
  return (
    <form className="cer-form" ref={form} onSubmit={(e) => { e.preventDefault(); const p = pin; setPin(''); void submit({ kind: 'pin', pin: p }); }}>
      <p className="cer-lead">{who} types the {kind} of token <strong>{need.token}</strong>. Everyone else looks away.</p>
      {need.rehearsalPin !== undefined && (
        <p className="cer-rehearsal-pin" data-testid="rehearsal-pin">Rehearsal: Keyrite's rehearsal tokens are made with the user PIN <strong className="cer-mono">{need.rehearsalPin}</strong> (a throwaway; a real ceremony never shows its PIN).</p>
      )}
      <TokenPinField label={`${need.userType === 'so' ? 'SO PIN' : 'PIN'} for token ${need.token}`} name="pin" value={pin}
        hint="The PIN is sent to the token and never stored or written to the transcript."
        needTries={need.tries} error={error} disabled={busy} onChange={(e) => setPin(e.target.value)} className="cer-pin" />
      <Button type="submit" variant="primary" size="large" icon="key" busy={busy} disabled={pin.length === 0 || locked}>Log in to the token</Button>
    </form>
  );
}
