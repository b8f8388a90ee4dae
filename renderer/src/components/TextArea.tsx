import type { ReactNode, TextareaHTMLAttributes } from 'react';
import { FieldFrame } from './FieldFrame';

export interface TextAreaProps extends Omit<TextareaHTMLAttributes<HTMLTextAreaElement>, 'id'> {
  label: string;
  hint?: ReactNode;
  error?: string | null;
  mono?: boolean;
}

/** A labelled multi-line field with the same hint and reserved error line as Field. */
export function TextArea({ label, hint, error, mono = false, className, ...area }: TextAreaProps) {
  return (
    <FieldFrame label={label} hint={hint} error={error} className={className} errorLine={error ?? null}>
      {(control) => <textarea {...control} className={`field-input field-textarea${mono ? ' mono' : ''}`} {...area} />}
    </FieldFrame>
  );
}
