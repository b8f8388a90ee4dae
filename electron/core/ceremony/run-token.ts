/** Opens the script's token: a module path (or `softhsm`) through the factory, or a given TokenApi. */
import { KeyriteError } from '../util/errors';
import { createTokenClient } from '../token/client';
import { locateToken, moduleName } from '../token/card-modules';
import { findSoftHsmModule } from '../token/rehearsal';
import type { SessionId, TokenApi, TokenSelector } from '../token/types';
import type { TokenInfo } from './run-facts';
import type { OpenRunOptions } from './run-types';
import type { TokenSelection } from './script-schema';

export interface RunToken {
  api: TokenApi;
  selector: TokenSelector;
  close(): Promise<void>;
}

export function resolveModulePath(module: string, given?: string): string {
  if (given) return given;
  if (module !== 'softhsm') return module;
  const found = findSoftHsmModule();
  if (!found) throw new KeyriteError('SOFTHSM2_MISSING', 'The script asks for SoftHSM2, which is not installed.', { action: 'Install softhsm2, or name the token\'s PKCS#11 module in the script.' });
  return found;
}

export async function openRunToken(opts: OpenRunOptions, module: string): Promise<RunToken> {
  const t = opts.script.script.token;
  const selector: TokenSelector = { ...(t.label ? { label: t.label } : {}), ...(t.serial ? { serial: t.serial } : {}) };
  if (typeof opts.tokens !== 'function') {
    return { api: opts.tokens, selector, close: async () => undefined };
  }
  const modulePath = resolveModulePath(module, opts.modulePath);
  const api = await opts.tokens({ modulePath, env: opts.tokenEnv ?? {} });
  return { api, selector, close: async () => { await api.close?.(); } };
}

/** A session on a token other than the run's own (a custodian's or witness's card, a copy to destroy). */
export interface OtherToken {
  token: RunToken;
  session: SessionId;
}

/** Ends that session and, unless it shares the run's own client, stops its token host. */
export async function closeOtherToken(o: OtherToken, runApi: TokenApi | undefined): Promise<void> {
  await o.token.api.closeSession(o.session).catch(() => undefined);
  if (o.token.api !== runApi) await o.token.close();
}

/**
 * Opens a session on a person's own token: on the script's module (the run's) or, when it is not
 * there, on the first card module (OpenRunOptions.cardModules) that lists it. Logs in with `pin`.
 */
export async function openOtherRunToken(opts: OpenRunOptions, selection: TokenSelection, pin: string): Promise<OtherToken & { info: TokenInfo }> {
  const own = await openRunToken({ ...opts, script: { ...opts.script, script: { ...opts.script.script, token: selection } } }, selection.module);
  const factory = typeof opts.tokens === 'function' ? opts.tokens : null;
  const primaryName = factory ? moduleName(resolveModulePath(selection.module, opts.modulePath)) : 'the ceremony token\'s module';
  let token: RunToken = own;
  try {
    const located = await locateToken({ api: own.api, name: primaryName }, opts.cardModules ?? [], factory, own.selector);
    if (located.module) {
      await own.close();
      token = { api: located.api, selector: own.selector, close: located.close };
    }
    const session = await token.api.openSession(token.selector, { pin });
    const t = located.slot.token!;
    return { token, session, info: { label: t.label, serial: t.serial, model: t.model } };
  } catch (e) {
    await token.close();
    throw e;
  }
}

/** The default factory: a token host process per run. */
export async function defaultTokenFactory(o: { modulePath: string; env: Record<string, string> }) {
  return createTokenClient({ modulePath: o.modulePath, env: o.env });
}
