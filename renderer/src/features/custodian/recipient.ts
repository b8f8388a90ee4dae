/**
 * The custodian token key a `token` share is encrypted to, as people read it aloud and pick their
 * token; pure so the rules are unit-tested.
 */
import type { RecipientView } from '../../api';
import type { TokenChoice } from '../../store';

/** Hex in groups of four, so two people can read it aloud and keep their place. */
export function groupHex(hex: string, size = 4): string {
  const clean = hex.replace(/[^0-9a-f]/gi, '').toLowerCase();
  const groups: string[] = [];
  for (let i = 0; i < clean.length; i += size) groups.push(clean.slice(i, i + size));
  return groups.join(' ');
}

/** The token the script names for this custodian, in words: label, serial, or both. */
export function namedToken(r: RecipientView): string | null {
  if (r.tokenLabel && r.tokenSerial) return `${r.tokenLabel} (serial ${r.tokenSerial})`;
  return r.tokenLabel ?? (r.tokenSerial ? `serial ${r.tokenSerial}` : null);
}

export interface RecipientTokens {
  /** What the custodian may pick: only the named token when it is present, else every token. */
  choices: TokenChoice[];
  /** The one to preselect: the named token, or the only token present. */
  preselect: string | null;
  /** The script names a token and none present matches it. */
  namedMissing: boolean;
}

export function tokensForRecipient(tokens: readonly TokenChoice[], r: RecipientView): RecipientTokens {
  const named = r.tokenLabel !== null || r.tokenSerial !== null;
  const matches = tokens.filter((t) => (r.tokenSerial !== null && t.serial === r.tokenSerial) || (r.tokenSerial === null && r.tokenLabel !== null && t.label === r.tokenLabel));
  if (named && matches.length > 0) return { choices: matches, preselect: matches.length === 1 ? matches[0]!.serial : null, namedMissing: false };
  return { choices: [...tokens], preselect: tokens.length === 1 ? tokens[0]!.serial : null, namedMissing: named };
}
