/** Opens the script's token: a module path (or `softhsm`) through the factory, or a given TokenApi. */
import { KeyriteError } from '../util/errors';
import { createTokenClient } from '../token/client';
import { findSoftHsmModule } from '../token/rehearsal';
import type { SessionId, TokenApi, TokenSelector } from '../token/types';
import type { OpenRunOptions } from './run-types';

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

/** The default factory: a token host process per run. */
export async function defaultTokenFactory(o: { modulePath: string; env: Record<string, string> }) {
  return createTokenClient({ modulePath: o.modulePath, env: o.env });
}
