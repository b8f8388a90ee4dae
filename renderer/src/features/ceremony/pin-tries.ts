/**
 * Tries left on a token after a wrong PIN, said in words. One place for the ceremony login, the
 * custodian's check on their own token and recovery's "Share on my token", so they say the same.
 */
import type { ErrorData, PinTries } from '../../api';

/** The flags a PIN_INCORRECT refusal carries in its details; null for any other error. */
export function triesFromError(error: ErrorData | null | undefined): PinTries | null {
  const d = error?.code === 'PIN_INCORRECT' ? error.details : undefined;
  if (!d || typeof d.countLow !== 'boolean') return null;
  return { countLow: d.countLow, finalTry: d.finalTry === true, locked: d.locked === true };
}

/** The refusal's flags are the freshest; otherwise what the need carries (set on resume). */
export function currentTries(needTries: PinTries | null, error: ErrorData | null | undefined): PinTries | null {
  return triesFromError(error) ?? needTries;
}

export function triesText(tries: PinTries | null): string | null {
  if (!tries) return null;
  if (tries.locked) return 'The PIN is locked. Stop: unlocking needs the Security Officer PIN.';
  if (tries.finalTry) return 'One try left: another wrong PIN locks the token.';
  if (tries.countLow) return 'Few tries left: check the PIN carefully before trying again.';
  return 'Tries are not low yet, but each wrong PIN uses one: check it before trying again.';
}
