/** Tokens a custodian or witness can pick, from main's slot list (tokens/list). */
import type { ErrorData, Res, Result } from '../api';

type SlotView = Res<'tokens/list'>[number];

/** A token a custodian can pick to open a share held on it. */
export interface TokenChoice {
  serial: string;
  label: string;
  description: string;
  /** The PKCS#11 module that lists it, where the app has card modules besides the token module. */
  module?: string;
}

/** How a token is offered in a list: its label and serial, and its module where there are several. */
export function tokenOptionText(t: TokenChoice): string {
  return `${t.label} (serial ${t.serial})${t.module ? ` · ${t.module}` : ''}`;
}

export function tokenChoices(slots: readonly SlotView[]): TokenChoice[] {
  const out: TokenChoice[] = [];
  for (const s of slots) {
    if (s.tokenPresent && s.token && s.token.flags.tokenInitialized) out.push({ serial: s.token.serial, label: s.token.label, description: s.description, ...(s.module ? { module: s.module } : {}) });
  }
  return out;
}

/** What a token list reads as on screen: the choices, or none and why the list could not be read. */
export function tokenList(r: Result<readonly SlotView[]>): { tokens: TokenChoice[]; error: ErrorData | null } {
  return r.ok ? { tokens: tokenChoices(r.value), error: null } : { tokens: [], error: r.error };
}
