import { useState } from 'react';
import type { CeremonyNeed, PinTries } from '../../../../electron/contract/ceremony';
import { Button, PinField } from '../../components';
import { useCeremony, useStepError } from '../../store/ceremony-stores';

type PinNeed = Extract<CeremonyNeed, { kind: 'pin' }>;

function triesText(tries: PinTries | null): string | null {
  if (!tries) return null;
  if (tries.locked) return 'The PIN is locked. Stop: unlocking needs the Security Officer PIN.';
  if (tries.finalTry) return 'One try left: another wrong PIN locks the token.';
  if (tries.countLow) return 'Few tries left: check the PIN carefully before trying again.';
  return null;
}

/** Tries-left flags come with the need, or with the PIN_INCORRECT refusal's details. */
function triesOf(need: PinNeed, details: Record<string, unknown> | undefined): PinTries | null {
  if (details && typeof details.countLow === 'boolean') {
    return { countLow: details.countLow, finalTry: details.finalTry === true, locked: details.locked === true };
  }
  return need.tries;
}

/** PIN entry (the platform's PinField: no autocomplete, spellcheck or copy); cleared once sent. */
export function NeedPin({ need }: { need: PinNeed }) {
  const busy = useCeremony((s) => s.busy);
  const submit = useCeremony((s) => s.submit);
  const error = useStepError();
  const [pin, setPin] = useState('');
  const tries = triesOf(need, error?.code === 'PIN_INCORRECT' ? error.details : undefined);
  const note = triesText(tries);
  const who = need.who ?? 'The administrator';
  const kind = need.userType === 'so' ? 'Security Officer (SO) PIN' : 'user PIN';
  return (
    <form className="cer-form" onSubmit={(e) => { e.preventDefault(); const p = pin; setPin(''); void submit({ kind: 'pin', pin: p }); }}>
      <p className="cer-lead">{who} types the {kind} of token <strong>{need.token}</strong>. Everyone else looks away.</p>
      <PinField label={`${need.userType === 'so' ? 'SO PIN' : 'PIN'} for token ${need.token}`} name="pin" value={pin}
        hint="The PIN is sent to the token and never stored or written to the transcript."
        triesNote={note} error={error?.code === 'PIN_INCORRECT' ? 'Wrong PIN.' : null}
        disabled={busy || tries?.locked === true} onChange={(e) => setPin(e.target.value)} className="cer-pin" />
      <Button type="submit" variant="primary" size="large" icon="key" busy={busy} disabled={pin.length === 0 || tries?.locked === true}>Log in to the token</Button>
    </form>
  );
}
