import { useState } from 'react';
import type { CeremonyNeed } from '../../api';
import { Button } from '../../components';
import { useFields, useStore, stepError } from '../../store';
import { checkPassphrase, lengthNote } from './passphrase';
import { HoldToShowPassphrase, PassphraseField } from './PassphraseField';
import { useRefocusOnRefusal } from './refocus';

type ShareFileNeed = Extract<CeremonyNeed, { kind: 'share-file' }>;
type VerifyFileNeed = Extract<CeremonyNeed, { kind: 'verify-share-file' }>;

/** While main encrypts (scrypt takes a couple of seconds): its progress, in a line whose space is kept. */
function EncryptProgress({ active, idle }: { active: boolean; idle: string }) {
  const progress = useStore((s) => s.runProgress);
  return (
    <div className="cust-progress" role="status" aria-live="polite">
      {active
        ? (
            <>
              <p className="cust-progress__text"><span className="cer-spinner cust-progress__spin" aria-hidden="true" />{progress?.message ?? idle}</p>
              {/* Without a fraction the spinner says it all: an empty bar would read as "nothing done". */}
              {progress?.fraction != null ? <progress className="cer-progress__bar" max={1} value={progress.fraction} aria-label="Progress" /> : null}
            </>
          )
        : null}
    </div>
  );
}

/**
 * A `file` delivery: the custodian chooses a passphrase (twice); main encrypts the share to it and
 * asks where to save the file. The share's words are never on screen. The passphrase leaves this
 * form only in the submit and is cleared at once.
 */
export function ShareFile({ need, again }: {
  need: Pick<ShareFileNeed, 'custodian' | 'minPassphraseChars'>;
  /** Choosing again at the check: the file is written anew; back to the check once that worked. */
  again?: { onDone: () => void; onCancel: () => void };
}) {
  const { runBusy: busy, submitInput: submit } = useFields('runBusy', 'submitInput');
  const [first, setFirst] = useState('');
  const [second, setSecond] = useState('');
  const [left, setLeft] = useState({ first: false, second: false });
  const [shown, setShown] = useState(false);
  const check = checkPassphrase(first, second, need.minPassphraseChars, left);
  const form = useRefocusOnRefusal(useStore(stepError), busy);

  function go() {
    if (!check.ready) {
      setLeft({ first: true, second: true });
      // To the field that needs fixing: the first while too short, else the second.
      const short = checkPassphrase(first, first, need.minPassphraseChars, left).ready === false;
      form.current?.querySelectorAll<HTMLInputElement>('input[type="password"], input[type="text"]')[short ? 0 : 1]?.focus();
      return;
    }
    const passphrase = first;
    setFirst('');
    setSecond('');
    setLeft({ first: false, second: false });
    setShown(false);
    void submit({ kind: 'share-file', custodian: need.custodian, passphrase }).then((ok) => {
      if (ok && !useStore.getState().runView?.error) again?.onDone();
    });
  }

  return (
    <form className="cer-form cust-form" aria-label={`${need.custodian}'s passphrase`} ref={form} onSubmit={(e) => { e.preventDefault(); go(); }}>
      <p className="cer-pass__title">{need.custodian}, choose {again ? 'a new' : 'a'} passphrase</p>
      <p className="cer-lead">
        {again
          ? 'Keyrite encrypts your share again with the new passphrase and saves the file again: save it over the earlier one, and delete any other copy of the earlier file.'
          : 'Your share goes into a file locked with this passphrase. Its words are not shown to anyone, you included.'}
      </p>
      <ol className="cust-notes">
        <li>Next, Keyrite asks where to save the file: choose your own USB stick or card, and take it with you.</li>
        <li>Remember the passphrase, or keep it in your own safe place. Without it nobody can open the file, Keyrite included.</li>
        <li>You then type it once more, and Keyrite opens the file it wrote to prove it works.</li>
      </ol>
      <PassphraseField label="Passphrase" value={first} shown={shown} autoFocus disabled={busy}
        hint={`${lengthNote(first, need.minPassphraseChars)} A few words you will remember are easiest.`}
        error={check.first} onChange={setFirst} onBlur={() => setLeft((l) => ({ ...l, first: first !== '' }))} />
      <PassphraseField label="The same passphrase again" value={second} shown={shown} disabled={busy}
        error={check.second} onChange={setSecond} onBlur={() => setLeft((l) => ({ ...l, second: second !== '' }))} />
      <HoldToShowPassphrase shown={shown} onShownChange={setShown} disabled={busy} />
      <Button type="submit" variant="primary" size="large" icon="shield" busy={busy}>Encrypt my share and save the file</Button>
      {again ? <Button type="button" variant="quiet" disabled={busy} onClick={again.onCancel}>Back: I can type my passphrase</Button> : null}
      <EncryptProgress active={busy} idle="Encrypting your share with your passphrase; this takes a few seconds…" />
    </form>
  );
}

/** The custodian types the passphrase again; main reads the written file back and opens it with it. */
export function VerifyShareFile({ need }: { need: VerifyFileNeed }) {
  const { runBusy: busy, submitInput: submit } = useFields('runBusy', 'submitInput');
  const error = useStore(stepError);
  const [passphrase, setPassphrase] = useState('');
  const [shown, setShown] = useState(false);
  const [rechoose, setRechoose] = useState(false);
  const form = useRefocusOnRefusal(error, busy);
  const wrong = error?.code === 'SHARE_AGE_PASSPHRASE' ? 'This passphrase does not open your file. Type it again, or choose a new one below.' : null;
  if (rechoose) return <ShareFile need={need} again={{ onDone: () => setRechoose(false), onCancel: () => setRechoose(false) }} />;
  return (
    <form className="cer-form cust-form" aria-label={`Check ${need.custodian}'s share file`}
      ref={form} onSubmit={(e) => { e.preventDefault(); const p = passphrase; setPassphrase(''); setShown(false); void submit({ kind: 'verify-share-file', custodian: need.custodian, passphrase: p }); }}>
      <p className="cer-pass__title">{need.custodian}, check your file opens</p>
      <p className="cer-lead">Keyrite reads back the file it saved and opens it with the passphrase you type now.</p>
      <dl className="cer-facts">
        <div><dt>Your share file</dt><dd className="cer-mono cer-wrap" data-testid="share-file-name">{need.fileName}</dd></div>
      </dl>
      <PassphraseField label="Your passphrase" value={passphrase} shown={shown} autoFocus disabled={busy}
        hint="The passphrase is used to open the file here and is never stored or written to the transcript."
        error={wrong} onChange={setPassphrase} />
      <HoldToShowPassphrase shown={shown} onShownChange={setShown} disabled={busy} />
      <Button type="submit" variant="primary" size="large" icon="key" busy={busy} disabled={passphrase === ''}>Open my share file</Button>
      <Button type="button" variant="quiet" disabled={busy} onClick={() => { setPassphrase(''); setShown(false); setRechoose(true); }}>I cannot repeat it: choose a new passphrase</Button>
      <EncryptProgress active={busy} idle="Opening your share file; this takes a few seconds…" />
    </form>
  );
}
