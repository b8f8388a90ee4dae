/**
 * Card modules: the PKCS#11 libraries behind the people's own tokens (a custodian's YubiKey through
 * OpenSC or ykcs11, a witness's smart card) when they are not the module of the ceremony's token
 * (often an HSM). The app is given them with KEYRITE_CARD_MODULES, the CLI with --card-module.
 *
 * A token is found by its serial or label: first on the ceremony's own module, then on each card
 * module in the order given. The renderer only ever names a token, never a library path.
 */
import path from 'node:path';
import { KeyriteError } from '../util/errors';
import { KNOWN_MODULES } from './modules';
import type { SlotView, TokenApi, TokenSelector } from './types';

export interface CardModule {
  /** Shown next to its tokens: the known product name, else the library's file name. */
  name: string;
  /** Absolute path of the PKCS#11 library. */
  path: string;
  /** Environment for its token host (a rehearsal card's SOFTHSM2_CONF). */
  env?: Record<string, string>;
}

export type ClosableTokenApi = TokenApi & { close?: () => Promise<void> };
export type ModuleClientFactory = (o: { modulePath: string; env: Record<string, string> }) => Promise<ClosableTokenApi>;

/** The name a module is shown by: the known product, else the library's file name. */
export function moduleName(libraryPath: string): string {
  const abs = path.resolve(libraryPath);
  return KNOWN_MODULES.find((m) => m.paths.includes(abs))?.product ?? path.basename(abs);
}

/**
 * KEYRITE_CARD_MODULES: absolute library paths separated by the platform's path delimiter
 * (':' on Linux and macOS). Empty entries are ignored; a relative path is refused.
 */
export function parseCardModules(value: string | undefined, delimiter: string = path.delimiter): CardModule[] {
  if (value === undefined || value.trim() === '') return [];
  const paths = value.split(delimiter).map((p) => p.trim()).filter((p) => p !== '');
  const bad = paths.find((p) => !path.isAbsolute(p));
  if (bad !== undefined) {
    throw new KeyriteError('CARD_MODULE_INVALID', `KEYRITE_CARD_MODULES must list absolute library paths; "${bad}" is not one.`, {
      action: `Give each card module's full path, separated by "${delimiter}", e.g. /usr/lib/x86_64-linux-gnu/opensc-pkcs11.so.`,
      details: { path: bad },
    });
  }
  return [...new Set(paths)].map((p) => ({ name: moduleName(p), path: p }));
}

/** True when the slot holds the token the selector names (serial first, as serials are unique). */
export function slotMatches(slot: SlotView, selector: TokenSelector): boolean {
  if (!slot.token) return false;
  if (selector.serial) return slot.token.serial === selector.serial;
  return selector.label !== undefined && slot.token.label === selector.label;
}

export interface LocatedToken {
  api: ClosableTokenApi;
  /** The slot holding the token, as that module lists it. */
  slot: SlotView;
  /** null: the ceremony's own module. */
  module: CardModule | null;
  /** Stops that card module's host; nothing for the primary, whose client is the caller's. */
  close(): Promise<void>;
}

/**
 * Finds the module whose tokens include `selector`: the primary first (kept open, never closed
 * here), then each card module through `factory` (a host each; those that do not hold the token are
 * stopped at once). TOKEN_NOT_FOUND names every module searched.
 */
export async function locateToken(
  primary: { api: ClosableTokenApi; name: string },
  cards: readonly CardModule[],
  factory: ModuleClientFactory | null,
  selector: TokenSelector,
): Promise<LocatedToken> {
  const searched = [primary.name];
  const unreadable: { module: string; error: string }[] = [];
  const own = (await primary.api.listSlots()).find((s) => slotMatches(s, selector));
  if (own) return { api: primary.api, slot: own, module: null, close: async () => undefined };
  for (const m of factory ? cards : []) {
    searched.push(m.name);
    const api = await factory!({ modulePath: m.path, env: m.env ?? {} });
    let found: SlotView | undefined;
    try {
      found = (await api.listSlots()).find((s) => slotMatches(s, selector));
    } catch (e) {
      // A card module that cannot list its slots (no reader service, a broken library) holds nothing
      // reachable; the others are still searched, and the error below names it.
      unreadable.push({ module: m.name, error: e instanceof Error ? e.message : String(e) });
    }
    if (found) return { api, slot: found, module: m, close: async () => { await api.close?.(); } };
    await api.close?.();
  }
  const what = selector.serial ? `serial ${selector.serial}` : `label "${selector.label ?? ''}"`;
  const notRead = unreadable.map((u) => ` ${u.module} could not be read: ${u.error}`).join(';');
  throw new KeyriteError('TOKEN_NOT_FOUND', `No token with ${what} is present on ${searched.join(' or ')}.${notRead}`, {
    action: cards.length === 0
      ? 'Connect the token (keyrite tokens lists what is present). A card behind another PKCS#11 library (OpenSC, ykcs11) needs that library named: KEYRITE_CARD_MODULES for the app, --card-module for the CLI.'
      : 'Connect the token (keyrite tokens lists what is present), or check the label or serial.',
    details: { ...selector, modules: searched, ...(unreadable.length > 0 ? { unreadable } : {}) },
  });
}

/**
 * Slots of the primary module and of each card module, each slot tagged with its module's name.
 * A card module that fails to list is shown as no slots and told to `onCardError` (main logs it);
 * the primary's failure is the caller's.
 */
export async function listAcrossModules(
  primary: { api: Pick<TokenApi, 'listSlots'>; name: string },
  cards: readonly { module: CardModule; api: Pick<TokenApi, 'listSlots'> }[],
  onCardError: (module: CardModule, e: unknown) => void = () => undefined,
): Promise<SlotView[]> {
  const own = (await primary.api.listSlots()).map((s) => ({ ...s, module: primary.name }));
  const more = await Promise.all(cards.map(async (c) => {
    try {
      return (await c.api.listSlots()).map((s) => ({ ...s, module: c.module.name }));
    } catch (e) {
      onCardError(c.module, e);
      return [];
    }
  }));
  return [...own, ...more.flat()];
}
