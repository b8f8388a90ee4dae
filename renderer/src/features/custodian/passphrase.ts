/**
 * The rules of the custodian's passphrase form, apart from React so they are unit-tested. The
 * passphrase itself is only ever in the form's state until it is sent; nothing here keeps it.
 */

export interface PassphraseCheck {
  /** Shown on the first field: too short (only once the person has left it or tried to go on). */
  first: string | null;
  /** Shown on the second field: does not match (once it is as long as the first, or on go). */
  second: string | null;
  /** Both entries are long enough and the same. */
  ready: boolean;
}

export function characters(text: string): number {
  // Counted as a person counts them: an accented letter or an emoji is one character.
  return [...text].length;
}

export function checkPassphrase(first: string, second: string, min: number, attempted: { first: boolean; second: boolean }): PassphraseCheck {
  const n = characters(first);
  const short = n < min;
  const same = first === second;
  const ready = !short && same;
  const firstMsg = short && (attempted.first || (n > 0 && attempted.second))
    ? `Too short: ${n} of at least ${min} characters.`
    : null;
  const secondMsg = !same && second !== '' && (attempted.second || characters(second) >= n)
    ? 'The two entries differ: type the same passphrase twice.'
    : null;
  return { first: firstMsg, second: secondMsg, ready };
}

/**
 * The counter under the first field, so the person sees how far they are without an error. Once
 * long enough it stops counting: the final length is nobody else's business.
 */
export function lengthNote(first: string, min: number): string {
  const n = characters(first);
  if (n === 0) return `At least ${min} characters.`;
  return n < min ? `${n} of at least ${min} characters.` : 'Long enough.';
}
