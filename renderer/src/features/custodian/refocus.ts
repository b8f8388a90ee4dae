import { useEffect, useRef, type RefObject } from 'react';
import type { ErrorData } from '../../api';

/**
 * After a refusal the form's secret field is cleared and its button disabled, which would drop
 * keyboard focus to the page: put it back in the first secret field so the person types again.
 * Keyed on the refusal itself (each one is a new object), once the form is no longer busy.
 */
export function useRefocusOnRefusal(error: ErrorData | null, busy: boolean): RefObject<HTMLFormElement | null> {
  const form = useRef<HTMLFormElement>(null);
  useEffect(() => {
    if (!error || busy) return;
    form.current?.querySelector<HTMLInputElement>('input[type="password"]:not([disabled])')?.focus();
  }, [error, busy]);
  return form;
}
