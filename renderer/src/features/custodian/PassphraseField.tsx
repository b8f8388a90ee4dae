import { useCallback, useId, type ClipboardEvent } from 'react';
import { useHold } from './useHold';

function refuse(e: ClipboardEvent<HTMLInputElement>) {
  e.preventDefault();
}

export interface PassphraseFieldProps {
  label: string;
  value: string;
  /** Always shown under the label. */
  hint?: string | null;
  /** In the reserved line under the field: nothing moves when it appears. */
  error: string | null;
  /** True while the custodian holds "show": the field shows the characters instead of dots. */
  shown: boolean;
  autoFocus?: boolean;
  disabled?: boolean;
  onChange: (value: string) => void;
  onBlur?: () => void;
}

/**
 * A passphrase entry: dots; no autocomplete, spellcheck, autocorrect or capitalisation; copy, cut,
 * paste and drop refused, so the passphrase never reaches the clipboard of the ceremony laptop.
 */
export function PassphraseField({ label, value, hint, error, shown, autoFocus, disabled, onChange, onBlur }: PassphraseFieldProps) {
  const id = useId();
  const describedBy = [hint ? `${id}-hint` : null, `${id}-error`].filter(Boolean).join(' ');
  return (
    <div className={`field${error ? ' field-invalid' : ''}`}>
      <label htmlFor={id} className="field-label">{label}</label>
      {hint ? <p id={`${id}-hint`} className="field-hint">{hint}</p> : null}
      <input id={id} className="field-input cust-passphrase" type={shown ? 'text' : 'password'} value={value}
        autoComplete="off" autoCorrect="off" autoCapitalize="off" spellCheck={false}
        data-1p-ignore="true" data-lpignore="true" autoFocus={autoFocus} disabled={disabled}
        aria-invalid={error ? true : undefined} aria-describedby={describedBy}
        onCopy={refuse} onCut={refuse} onPaste={refuse} onDrop={(e) => e.preventDefault()}
        onChange={(e) => onChange(e.target.value)} onBlur={onBlur} />
      <p id={`${id}-error`} className="field-error" role={error ? 'alert' : undefined}>
        {error ? <><span className="field-error-mark" aria-hidden="true">!</span>{error}</> : null}
      </p>
    </div>
  );
}

/**
 * Shows what was typed only while pressed (pointer down, or Space held), like the share's own
 * show button; release, leaving it, losing focus or hiding the window puts the dots back.
 */
export function HoldToShowPassphrase({ shown, onShownChange, disabled }: { shown: boolean; onShownChange: (shown: boolean) => void; disabled?: boolean }) {
  const release = useCallback(() => onShownChange(false), [onShownChange]);
  const hold = useHold(() => onShownChange(true), release);
  return (
    <button type="button" className="btn btn-secondary btn-normal cust-peek" aria-pressed={shown} disabled={disabled}
      {...hold}>
      <span>{shown ? 'Showing — release to hide' : 'Hold to show what I typed'}</span>
    </button>
  );
}
