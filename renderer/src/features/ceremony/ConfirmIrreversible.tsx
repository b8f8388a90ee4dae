import { useState } from 'react';
import type { RunSubjectView } from '../../api';
import { Button, Dialog, Field } from '../../components';
import { actionLabel } from './labels';

function tokenText(s: RunSubjectView): string {
  const label = s.tokenLabel ?? 'the token';
  return s.tokenSerial ? `${label} (serial ${s.tokenSerial})` : label;
}

/** What the step does, said with the key and token it does it to: read aloud before confirming. */
export function whatHappens(action: string, s: RunSubjectView): string {
  const key = `"${s.keyLabel}" (${s.algorithm}, ${s.keyClass} key)`;
  switch (action) {
    case 'generate-key': return `A new ${s.algorithm} key pair labelled "${s.keyLabel}" is generated on ${tokenText(s)}. It is made once: running the step again never makes a second key.`;
    case 'backup': return `The key ${key} is wrapped under a fresh AES key on ${tokenText(s)}, and that AES key is split into shares for the custodians. A share once shown cannot be taken back.`;
    case 'recover': return `Once the custodians' shares rebuild the wrapping key, the key ${key} is unwrapped into ${tokenText(s)} and proven by a signature.`;
    case 'reshare': return `The shares of ${key} are replaced: new custodians get new shares and the old shares are declared void.`;
    case 'deactivate': return `The key ${key} is moved to deactivated: it signs nothing more.`;
    case 'destroy-keys': return `The key ${key} is destroyed on ${tokenText(s)} and on every other token the script names. Only a backup could bring it back.`;
    case 'seal': return `The transcript is sealed: the final checkpoint is signed and nothing can be added to this ceremony after it.`;
    default: return `${actionLabel(action)} acts on the key ${key} on ${tokenText(s)}, and cannot be undone.`;
  }
}

/**
 * The confirmation of an irreversible step: the recap (what happens, key, algorithm, token and
 * serial) and the key label typed to confirm, as a hardware wallet asks on its own screen. Cancel
 * sends nothing: the transcript is unchanged.
 */
export function ConfirmIrreversible({ open, action, subject, busy, onCancel, onConfirm }: {
  open: boolean; action: string; subject: RunSubjectView; busy: boolean; onCancel: () => void; onConfirm: () => void;
}) {
  const [typed, setTyped] = useState('');
  const matches = typed.trim() === subject.keyLabel;
  const cancel = () => { setTyped(''); onCancel(); };
  return (
    <Dialog open={open} title={`Cannot be undone: ${actionLabel(action)}`} onClose={cancel}
      actions={(
        <>
          <Button type="button" variant="secondary" onClick={cancel}>Cancel</Button>
          <Button type="submit" form="cer-irreversible-form" variant="danger" disabled={busy || !matches}>{`Confirm: ${actionLabel(action)}`}</Button>
        </>
      )}>
      <div className="cer-irrev">
        <p className="cer-irrev__what" data-testid="irreversible-what">{whatHappens(action, subject)}</p>
        <dl className="cer-facts">
          <div><dt>Key label</dt><dd className="cer-mono">{subject.keyLabel}</dd></div>
          <div><dt>Algorithm</dt><dd>{subject.algorithm}</dd></div>
          <div><dt>Key class</dt><dd>{subject.keyClass}</dd></div>
          {subject.fingerprint ? <div><dt>Fingerprint</dt><dd className="cer-mono">{subject.fingerprint.replace(/(.{4})/g, '$1 ').trim()}</dd></div> : null}
          <div><dt>Token</dt><dd>{subject.tokenLabel ?? '—'}</dd></div>
          <div><dt>Token serial</dt><dd className="cer-mono">{subject.tokenSerial ?? 'not known before login'}</dd></div>
        </dl>
        <form id="cer-irreversible-form" onSubmit={(e) => { e.preventDefault(); if (matches) { setTyped(''); onConfirm(); } }}>
          <Field label="Type the key label to confirm" hint={`Type ${subject.keyLabel} exactly.`} mono autoComplete="off" spellCheck={false}
            value={typed} onChange={(e) => setTyped(e.target.value)} />
        </form>
      </div>
    </Dialog>
  );
}
