import type { ChangeEvent } from 'react';
import type { ErrorData, PinTries } from '../../api';
import { PinField } from '../../components';
import { currentTries, triesText } from './pin-tries';

export interface TokenPinFieldProps {
  label: string;
  name: string;
  value: string;
  hint: string;
  /** Tries the need carries (a resumed run); a PIN_INCORRECT refusal's own flags win. */
  needTries?: PinTries | null;
  /** The last refusal: a PIN_INCORRECT marks the field and says how many tries are left. */
  error: ErrorData | null;
  disabled?: boolean;
  className?: string;
  onChange: (e: ChangeEvent<HTMLInputElement>) => void;
}

/** True once the token says the PIN is locked: no form should offer another try. */
export function pinLocked(needTries: PinTries | null | undefined, error: ErrorData | null): boolean {
  return currentTries(needTries ?? null, error)?.locked === true;
}

/** A token PIN entry that says, beside the field, what a wrong PIN left: the same words everywhere. */
export function TokenPinField({ label, name, value, hint, needTries = null, error, disabled = false, className, onChange }: TokenPinFieldProps) {
  const tries = currentTries(needTries, error);
  return (
    <PinField label={label} name={name} value={value} hint={hint} className={className}
      triesNote={triesText(tries)} error={error?.code === 'PIN_INCORRECT' ? 'Wrong PIN.' : null}
      disabled={disabled || tries?.locked === true} onChange={onChange} />
  );
}
