/**
 * Pre-flight: what the room must have before a ceremony starts, checked before any transcript
 * exists, so a missing token, a label already taken or a doomed air-gap check is found on the load
 * screen and not at step 3 with two steps journaled. No PIN: the token is read as a public session
 * only (public objects), and every check the steps make themselves still runs at its step.
 */
import { promises as fsp, constants as fsc } from 'node:fs';
import type { PreflightCheck, PreflightReport } from './preflight-report';
import { locateToken, moduleName, type CardModule, type ClosableTokenApi, type LocatedToken } from '../token/card-modules';
import type { SlotView, TokenApi } from '../token/types';
import { describeFinding } from './air-gap';
import { witnessCheck } from './preflight-witnesses';
import type { Policy } from './policy-schema';
import type { AirGapProbe, TokenFactory } from './run-types';
import { missingSigningKey } from './run-capabilities';
import { resolveModulePath } from './run-token';
import type { CeremonyScript } from './script-schema';
import { transcriptKeyLabel } from './transcript-handover';
import { CEREMONY_TYPE_DEFS } from './types/index';
import { keyUsedOnToken } from './types/define';

export interface PreflightDeps {
  tokens: TokenApi | TokenFactory;
  modulePath?: string;
  tokenEnv?: Record<string, string>;
  cardModules?: CardModule[];
  airGapProbe: AirGapProbe;
  rehearsal: boolean;
  /** Folder the run's transcript, exports and custody files go in (its parent must be writable). */
  dataDir: string;
  policy: Policy;
}

type Check = PreflightCheck;

/** The key labels this ceremony makes on its token: they must not be there already. */
function labelsMade(script: CeremonyScript): string[] {
  const newKey = CEREMONY_TYPE_DEFS[script.type].newKey;
  const made = newKey && script[newKey.field];
  return [...(made ? [made.label] : []), transcriptKeyLabel(script.id)];
}

/** PKCS#11 mechanisms (and the flag each needs) the script's steps call on the token. */
function mechanismsNeeded(script: CeremonyScript): { name: string; flag: string; why: string }[] {
  const actions = new Set(script.steps.map((s) => s.action));
  const need: { name: string; flag: string; why: string }[] = [];
  if (actions.has('backup') || actions.has('reshare')) {
    need.push({ name: 'CKM_AES_KEY_GEN', flag: 'GENERATE', why: 'the backup\'s wrapping key' });
    need.push({ name: 'CKM_AES_KEY_WRAP_PAD', flag: 'WRAP', why: 'wrapping the key for backup' });
  }
  if (actions.has('recover')) need.push({ name: 'CKM_AES_KEY_WRAP_PAD', flag: 'UNWRAP', why: 'unwrapping the backup into the token' });
  return need;
}

async function tokenClient(deps: PreflightDeps, module: string): Promise<{ api: ClosableTokenApi; factory: TokenFactory | null; name: string; close(): Promise<void> }> {
  if (typeof deps.tokens !== 'function') return { api: deps.tokens, factory: null, name: 'the ceremony token\'s module', close: async () => undefined };
  const modulePath = resolveModulePath(module, deps.modulePath);
  const api = await deps.tokens({ modulePath, env: deps.tokenEnv ?? {} });
  return { api, factory: deps.tokens, name: moduleName(modulePath), close: async () => { await api.close?.(); } };
}

function tokenCheck(script: CeremonyScript, located: LocatedToken | null, error: string | null): Check {
  const t = script.token;
  const named = t.serial ? `serial ${t.serial}` : `label "${t.label ?? ''}"`;
  if (!located?.slot.token) {
    return { id: 'token', title: 'The script\'s token is connected', status: 'fail', detail: error ?? `No token with ${named} is present.`, action: 'Connect the token the script names (or fix the label or serial in the script), then check again.' };
  }
  const tv = located.slot.token;
  return { id: 'token', title: 'The script\'s token is connected', status: 'pass', detail: `${tv.label}, serial ${tv.serial} (${tv.manufacturer} ${tv.model})${located.slot.module ? ` on ${located.slot.module}` : ''}.` };
}

async function labelsCheck(script: CeremonyScript, located: LocatedToken | null): Promise<Check> {
  const labels = labelsMade(script);
  const title = 'Key labels are free on the token';
  if (!located?.slot.token) return { id: 'labels', title, status: 'blocked', detail: `Needs the token first (labels ${labels.map((l) => `"${l}"`).join(', ')}).` };
  const api = located.api;
  const session = await api.openSession({ serial: located.slot.token.serial });
  try {
    const taken: string[] = [];
    for (const label of labels) if ((await api.findKeys(session, { label })).length > 0) taken.push(label);
    if (taken.length > 0) {
      return { id: 'labels', title, status: 'fail', detail: `The token already holds ${taken.map((l) => `"${l}"`).join(' and ')}. Keyrite never reuses a label.`, action: 'Use a fresh token, or change the key label in the script (a new script hash).' };
    }
    // A signing ceremony signs with a key made earlier: its public half (a public object Keyrite writes
    // beside every key it makes or restores) must be on this token, or the run would stop at its step.
    const missing = await missingSigningKey(script, api, session);
    if (missing !== null) {
      return { id: 'labels', title, status: 'fail', detail: `The token shows no key labelled "${missing}": this ceremony signs with the key an earlier ceremony made, and it is not on ${located.slot.token.label}.`, action: 'Connect the token that holds the key (the one the earlier run made or restored it on), then check again.' };
    }
    // Without a PIN only public objects are visible; the generate step looks again after login.
    return { id: 'labels', title, status: 'pass', detail: `No key labelled ${labels.map((l) => `"${l}"`).join(' or ')} (public objects; private ones are looked for again after login).` };
  } finally {
    await api.closeSession(session).catch(() => undefined);
  }
}

function mechanismsCheck(script: CeremonyScript, slot: SlotView | undefined): Check {
  const title = 'The token lists the mechanisms the script needs';
  const token = slot?.token;
  if (!token) return { id: 'mechanisms', title, status: 'blocked', detail: 'Needs the token first.' };
  // The key the ceremony makes, restores or signs with (rotate: the successor); none for reshare, destroy, check-up.
  const algorithm = keyUsedOnToken(CEREMONY_TYPE_DEFS[script.type], script)?.algorithm;
  const missing: string[] = [];
  if (algorithm && !(token.algorithms as string[]).includes(algorithm)) missing.push(`${algorithm} key pairs`);
  const needs = mechanismsNeeded(script);
  for (const m of needs) {
    const has = token.mechanisms.some((x) => x.name === m.name && x.flags.includes(m.flag));
    if (!has) missing.push(`${m.name} (${m.flag}) for ${m.why}`);
  }
  if (missing.length > 0) return { id: 'mechanisms', title, status: 'fail', detail: `${token.label} does not list: ${missing.join('; ')}.`, action: 'Use a token that supports them, or change the algorithm in the script.' };
  const listed = [...(algorithm ? [algorithm] : []), ...new Set(needs.map((m) => m.name))];
  return { id: 'mechanisms', title, status: 'pass', detail: listed.length > 0 ? `Listed: ${listed.join(', ')}.` : 'The script makes no key on this token.' };
}

async function airGapCheck(script: CeremonyScript, deps: PreflightDeps): Promise<Check> {
  const title = 'The machine is air-gapped';
  if (!script.steps.some((s) => s.action === 'air-gap-check')) return { id: 'air-gap', title, status: 'info', detail: 'The script has no air-gap step.' };
  const findings = (await deps.airGapProbe()).map(describeFinding);
  if (findings.length === 0) return { id: 'air-gap', title, status: 'pass', detail: 'No network interface up, no wireless, no bluetooth seen.' };
  const cls = script.key.class;
  const byPolicy = deps.policy.classes[cls]?.airGapOverride === true;
  // Rehearsal mode allows it whatever the policy says; say which one does, never "the policy" for both.
  const allowedBy = deps.rehearsal ? 'rehearsal' : byPolicy ? 'policy' : null;
  const allowText = allowedBy === 'rehearsal'
    ? 'Rehearsal mode allows an override (recorded with a reason at the air-gap step).'
    : allowedBy === 'policy'
      ? `Policy ${deps.policy.name} allows an override for ${cls} keys (recorded with a reason at the air-gap step).`
      : `Policy ${deps.policy.name} allows no override for ${cls} keys.`;
  return {
    id: 'air-gap', title, status: 'fail', detail: `Seen: ${findings.join('; ')}. ${allowText}`,
    action: allowedBy ? 'Disconnect them and check again, or record the override to start.' : 'Disconnect every network and radio, then check again.',
    overrideAllowedBy: allowedBy,
  };
}

async function custodyCheck(script: CeremonyScript, deps: PreflightDeps): Promise<Check> {
  const title = 'The ceremony folder and custody media are writable';
  const files = (script.backup?.custodians ?? []).filter((c) => c.delivery !== 'paper').map((c) => c.name);
  try {
    await fsp.access(deps.dataDir, fsc.W_OK);
  } catch (e) {
    return { id: 'custody', title, status: 'fail', detail: `${deps.dataDir} cannot be written: ${(e as NodeJS.ErrnoException).code ?? String(e)}.`, action: 'Mount the ceremony medium read-write (or choose another data folder), then check again.' };
  }
  const custody = files.length > 0 ? ` Share files for ${files.join(', ')} go in the ceremony folder's custody/ (or the folder chosen at the hand-off).` : '';
  return { id: 'custody', title, status: 'pass', detail: `${deps.dataDir} is writable.${custody}` };
}

/** Every check, in the order a person reads them; `ready` when none fails, `overridable` when only an air gap an override may cover does. */
export async function runPreflight(script: CeremonyScript, deps: PreflightDeps): Promise<PreflightReport> {
  const client = await tokenClient(deps, script.token.module);
  let located: LocatedToken | null = null;
  let tokenError: string | null = null;
  try {
    const selector = { ...(script.token.label ? { label: script.token.label } : {}), ...(script.token.serial ? { serial: script.token.serial } : {}) };
    try {
      located = await locateToken({ api: client.api, name: client.name }, deps.cardModules ?? [], client.factory, selector);
    } catch (e) {
      tokenError = e instanceof Error ? e.message : String(e);
    }
    const checks: Check[] = [
      tokenCheck(script, located, tokenError),
      await labelsCheck(script, located),
      mechanismsCheck(script, located?.slot),
      await airGapCheck(script, deps),
      await witnessCheck(script, { api: client.api, cards: deps.cardModules ?? [], factory: client.factory }),
      await custodyCheck(script, deps),
    ];
    const failing = checks.filter((c) => c.status === 'fail' || c.status === 'blocked');
    return { checks, ready: failing.length === 0, overridable: failing.length > 0 && failing.every((c) => c.id === 'air-gap' && c.overrideAllowedBy) };
  } finally {
    if (located?.module) await located.close();
    await client.close();
  }
}
