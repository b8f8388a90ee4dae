/**
 * The tokens of a run: the script's token (a module path, or `softhsm`, through the factory, or a
 * given TokenApi) with its session and login, and sessions on people's own tokens.
 */
import { KeyriteError } from '../util/errors';
import { createTokenClient } from '../token/client';
import { locateToken, moduleName } from '../token/card-modules';
import { findSoftHsmModule } from '../token/rehearsal';
import type { SessionId, TokenApi, TokenSelector } from '../token/types';
import { tokenUri } from '../token/pkcs11-uri';
import { ENTRY_KINDS, type EntryKind } from '../transcript/entry-kinds';
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

/** The tokens a run holds: the script's own (opened on first use) and its session, and people's own tokens. */
export class RunTokens {
  private own: RunToken | undefined;
  session: SessionId | undefined;
  private others: OtherToken[] = [];

  constructor(private readonly opts: OpenRunOptions) {}

  /** The script's token, opened on first use. */
  async api(): Promise<TokenApi> {
    if (!this.own) this.own = await openRunToken(this.opts, this.opts.script.script.token.module);
    return this.own.api;
  }

  /** The script's token once opened, else undefined (a checkpoint then signs without it). */
  get ownApi(): TokenApi | undefined { return this.own?.api; }

  opened(): TokenApi {
    if (!this.own) throw new KeyriteError('INTERNAL', 'Token not open.', {});
    return this.own.api;
  }

  requireSession(): SessionId {
    if (!this.session) throw new KeyriteError('TOKEN_NOT_LOGGED_IN', 'No token session is open.', { action: 'Log in to the token (enter the PIN).' });
    return this.session;
  }

  /** The selector of the script's token, which `api()` has opened. */
  selector(): TokenSelector { return this.own!.selector; }

  /** Logs in to the script's token once; `record` journals the session opened, or a PIN the token refused (never the PIN). */
  async login(pin: string, record: (kind: EntryKind, data: Record<string, unknown>) => Promise<unknown>): Promise<void> {
    if (this.session) return;
    const api = await this.api();
    const sel = this.selector();
    this.session = await api.openSession(sel, { pin }).catch(async (e: unknown) => {
      // A wrong PIN uses up one of the token's tries: the transcript says so, never with the PIN.
      if (e instanceof KeyriteError && e.code.startsWith('PIN_')) await record(ENTRY_KINDS.loginFailed, { token: { label: sel.label ?? '', serial: sel.serial ?? '' }, code: e.code, message: e.message });
      throw e;
    });
    const slot = (await api.listSlots()).find((s) => s.token && ((sel.label && s.token.label === sel.label) || (sel.serial && s.token.serial === sel.serial)));
    const token = slot?.token ? { label: slot.token.label, serial: slot.token.serial, model: slot.token.model, manufacturer: slot.token.manufacturer, uri: tokenUri(slot.token) } : { label: sel.label ?? '', serial: sel.serial ?? '' };
    await record(ENTRY_KINDS.sessionOpened, { token, rehearsal: slot?.token?.rehearsal ?? false });
  }

  /** Opens the session without journaling it (after ceremony.sealed nothing may be journaled). */
  async loginSilently(pin: string): Promise<void> {
    this.session = await (await this.api()).openSession(this.selector(), { pin });
  }

  async openOther(selection: TokenSelection, pin: string): Promise<{ api: TokenApi; session: SessionId; info: TokenInfo; close: () => Promise<void> }> {
    const { info, ...entry } = await openOtherRunToken(this.opts, selection, pin);
    this.others.push(entry);
    const close = async () => { this.others = this.others.filter((o) => o !== entry); await closeOtherToken(entry, this.own?.api); };
    return { api: entry.token.api, session: entry.session, info, close };
  }

  async close(): Promise<void> {
    if (this.session && this.own) await this.own.api.closeSession(this.session).catch(() => undefined);
    this.session = undefined;
    for (const o of this.others.splice(0)) await closeOtherToken(o, this.own?.api);
    await this.own?.close();
  }
}
