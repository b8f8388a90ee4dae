/**
 * The capability check of a run: what the script asks of its token (ceremonyNeeds), checked
 * against the token itself before any step (token/capabilities.ts).
 */
import type { KeyAlgorithm, TokenApi, TokenSelector } from '../token/types';
import { assertTokenCapable, type CeremonyNeeds } from '../token/capabilities';
import type { CeremonyScript, StepAction } from './script-schema';
import { CEREMONY_TYPE_DEFS } from './types/index';

const SIGNING_STEPS: readonly StepAction[] = ['self-sign-root', 'sign-certificate', 'sign-crl', 'sign-artifact', 'cross-sign', 'sign-dnskey', 'sign-tuf-root'];

/** What the script's steps ask of the ceremony token. */
export function ceremonyNeeds(script: CeremonyScript): CeremonyNeeds {
  const actions = new Set(script.steps.map((s) => s.action));
  const key = script.key.algorithm as KeyAlgorithm;
  // The key a generate-key step makes: the type's new key (rotate: the successor), else the script's key.
  const newKey = CEREMONY_TYPE_DEFS[script.type].newKey;
  const made = ((newKey && script[newKey.field]) ?? script.key).algorithm as KeyAlgorithm;
  const generates = actions.has('generate-key') ? [made] : [];
  const signsWith = new Set<KeyAlgorithm>(generates);
  if (SIGNING_STEPS.some((a) => actions.has(a))) signsWith.add(key);
  return { generates, signsWith: [...signsWith], wraps: actions.has('backup'), ...(actions.has('recover') ? { unwraps: key } : {}) };
}

/**
 * Refuses (TOKEN_CAPABILITY_MISSING) when the token the script names cannot do what the script asks.
 * A token not found is left to the run, which says so at login.
 */
export async function checkRunTokenCapabilities(script: CeremonyScript, api: TokenApi, selector: TokenSelector): Promise<void> {
  const slot = (await api.listSlots()).find((s) => s.token && ((selector.label && s.token.label === selector.label) || (selector.serial && s.token.serial === selector.serial)));
  if (!slot?.token) return;
  assertTokenCapable(ceremonyNeeds(script), slot.token);
}
