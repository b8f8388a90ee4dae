import { type ClipboardEvent, type InputHTMLAttributes, type ReactNode } from 'react';
import { FieldFrame } from './FieldFrame';

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
  const errorLine = (
    <>
      {error ? <><span className="field-error-mark" aria-hidden="true">!</span>{error}</> : null}
      {note ? <span className="field-tries">{note}</span> : null}
    </>
  );
  return (
    <FieldFrame label={label} hint={hint} error={error} className={className} errorLine={errorLine}>
      {(control) => <input {...control} className={`field-input${mono ? ' mono' : ''}`} {...input} />}
    </FieldFrame>
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
