import { useId, type ClipboardEvent, type InputHTMLAttributes, type ReactNode } from 'react';

export interface FieldProps extends Omit<InputHTMLAttributes<HTMLInputElement>, 'id'> {
  label: string;
  /** Always shown under the label: what to enter and why. */
  hint?: ReactNode;
  /** Shown in place (the space is reserved, so the layout does not jump). */
  error?: string | null;
  /** A warning in the same reserved line, after the error (e.g. tries left): nothing above the field moves. */
  note?: ReactNode;
  mono?: boolean;
}

export function Field({ label, hint, error, note, mono = false, className, ...input }: FieldProps) {
  const id = useId();
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const describedBy = [hint ? hintId : null, errorId].filter(Boolean).join(' ');
  return (
    <div className={`field${error ? ' field-invalid' : ''}${className ? ` ${className}` : ''}`}>
      <label htmlFor={id} className="field-label">{label}</label>
      {hint ? <p id={hintId} className="field-hint">{hint}</p> : null}
      <input
        id={id}
        className={`field-input${mono ? ' mono' : ''}`}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy}
        {...input}
      />
      <p id={errorId} className="field-error" role={error ? 'alert' : undefined}>
        {error ? <><span className="field-error-mark" aria-hidden="true">!</span>{error}</> : null}
        {note ? <span className="field-tries">{note}</span> : null}
      </p>
    </div>
  );
}

function refuse(e: ClipboardEvent<HTMLInputElement>) {
  e.preventDefault();
}

export interface PinFieldProps extends Omit<FieldProps, 'type' | 'mono'> {
  /** Tries left as the token reports them; shown under the field, in its reserved line. */
  triesNote?: string | null;
}

/**
 * A PIN entry: masked; no autocomplete, spellcheck, autocorrect or capitalisation; copy, cut and
 * paste refused so a PIN never lands on the clipboard of a shared laptop.
 */
export function PinField({ triesNote, hint, ...rest }: PinFieldProps) {
  return (
    <Field
      {...rest}
      hint={hint}
      note={triesNote}
      type="password"
      inputMode="numeric"
      autoComplete="off"
      autoCorrect="off"
      autoCapitalize="off"
      spellCheck={false}
      data-1p-ignore="true"
      data-lpignore="true"
      onCopy={refuse}
      onCut={refuse}
      onPaste={refuse}
      onDrop={(e) => e.preventDefault()}
    />
  );
}
