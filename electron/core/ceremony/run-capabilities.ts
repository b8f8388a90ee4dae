/**
 * The capability check of a run: what the script asks of its token (ceremonyNeeds), checked
 * against the token itself before any step (token/capabilities.ts).
 */
import type { KeyAlgorithm, SessionId, TokenApi, TokenSelector } from '../token/types';
import { KeyriteError } from '../util/errors';
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
 * The label of the key a signing ceremony signs with when the token shows no such key: its public
 * half, a public object Keyrite writes beside every key it makes or restores, is visible without a
 * PIN. null when the type signs with no earlier key or the key is there.
 */
export async function missingSigningKey(script: CeremonyScript, api: Pick<TokenApi, 'findKeys'>, session: SessionId): Promise<string | null> {
  if (!CEREMONY_TYPE_DEFS[script.type].signsWithKey) return null;
  return (await api.findKeys(session, { label: script.key.label, class: 'public' })).length === 0 ? script.key.label : null;
}

/**
 * Refuses (TOKEN_CAPABILITY_MISSING) when the token the script names cannot do what the script asks.
 * A token not found is left to the run, which says so at login.
 */
export async function checkRunTokenCapabilities(script: CeremonyScript, api: TokenApi, selector: TokenSelector): Promise<void> {
  const slot = (await api.listSlots()).find((s) => s.token && ((selector.label && s.token.label === selector.label) || (selector.serial && s.token.serial === selector.serial)));
  if (!slot?.token) return;
  assertTokenCapable(ceremonyNeeds(script), slot.token);
  const session = await api.openSession({ serial: slot.token.serial });
  let missing: string | null;
  try {
    missing = await missingSigningKey(script, api, session);
  } finally {
    await api.closeSession(session).catch(() => undefined);
  }
  if (missing !== null) {
    throw new KeyriteError('KEY_NOT_ON_TOKEN', `Token ${slot.token.label} shows no key labelled "${missing}": this ${script.type} ceremony signs with the key an earlier ceremony made, and it is not on this token. Nothing was started.`, {
      action: 'Run it with the token that holds the key (the one the earlier run made or restored it on: --from that run\'s folder for a rehearsal), or fix the key label in the script.',
    });
  }
}
