import { useId, type ReactNode } from 'react';

/** What the control inside a field frame carries so the label, hint and error line describe it. */
export interface FieldControlProps {
  id: string;
  'aria-invalid': true | undefined;
  'aria-describedby': string;
}

/**
 * The frame Field and TextArea share: the label, the hint under it, the control, and the error
 * line whose height is always reserved so an error appearing moves nothing.
 */
export function FieldFrame({ label, hint, error, className, errorLine, children }: {
  label: string;
  hint?: ReactNode;
  error?: string | null;
  className?: string | undefined;
  /** What the reserved line holds (the error, and for Field a note after it). */
  errorLine: ReactNode;
  children: (control: FieldControlProps) => ReactNode;
}) {
  const id = useId();
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const describedBy = [hint ? hintId : null, errorId].filter(Boolean).join(' ');
  return (
    <div className={`field${error ? ' field-invalid' : ''}${className ? ` ${className}` : ''}`}>
      <label htmlFor={id} className="field-label">{label}</label>
      {hint ? <p id={hintId} className="field-hint">{hint}</p> : null}
      {children({ id, 'aria-invalid': error ? true : undefined, 'aria-describedby': describedBy })}
      <p id={errorId} className="field-error" role={error ? 'alert' : undefined}>{errorLine}</p>
    </div>
  );
}
