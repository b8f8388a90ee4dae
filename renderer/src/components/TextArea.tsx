import { useId, type ReactNode, type TextareaHTMLAttributes } from 'react';

export interface TextAreaProps extends Omit<TextareaHTMLAttributes<HTMLTextAreaElement>, 'id'> {
  label: string;
  hint?: ReactNode;
  error?: string | null;
  mono?: boolean;
}

/** A labelled multi-line field with the same hint and reserved error line as Field. */
export function TextArea({ label, hint, error, mono = false, className, ...area }: TextAreaProps) {
  const id = useId();
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  return (
    <div className={`field${error ? ' field-invalid' : ''}${className ? ` ${className}` : ''}`}>
      <label htmlFor={id} className="field-label">{label}</label>
      {hint ? <p id={hintId} className="field-hint">{hint}</p> : null}
      <textarea
        id={id}
        className={`field-input field-textarea${mono ? ' mono' : ''}`}
        aria-invalid={error ? true : undefined}
        aria-describedby={[hint ? hintId : null, errorId].filter(Boolean).join(' ')}
        {...area}
      />
      <p id={errorId} className="field-error" role={error ? 'alert' : undefined}>{error ?? null}</p>
    </div>
  );
}
