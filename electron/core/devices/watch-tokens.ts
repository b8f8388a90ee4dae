/**
 * Token insertion and removal, noticed by polling the slot list through the token host
 * (C_WaitForSlotEvent blocks and is unsupported by many modules, so polling is the portable way).
 */
import type { TokenApi } from '../token/types';
import { pollEvery } from '../util/poll';
import { diffTokens, presentTokens, type PresentToken, type TokenChange } from './combine';

export interface TokenWatchEvent extends TokenChange {
  tokens: PresentToken[];
}

export interface TokenWatchOptions {
  /** Labels the tokens with the module they came through (default: the module path from moduleInfo). */
  module?: string;
  /** Called when a poll fails (e.g. TOKEN_HOST_STOPPED); polling goes on, and the next poll restarts the host. */
  onError?: (e: unknown) => void;
  /**
   * Opens the module afresh for each poll (and closes it after). Needed to see tokens created while
   * the app runs: SoftHSM2 reads its token folder only at C_Initialize, so a long-lived host never
   * lists a token initialised after it started. When given, `client` is not used.
   */
  reopen?: () => Pick<TokenApi, 'listSlots' | 'moduleInfo'> & { close(): Promise<void> };
}

/**
 * Calls onChange with the first view, then whenever a token appears or disappears. Polls never
 * overlap: the next one starts intervalMs after the previous one ends. Returns stop().
 */
export function watchTokens(
  client: Pick<TokenApi, 'listSlots' | 'moduleInfo'>,
  intervalMs: number,
  onChange: (e: TokenWatchEvent) => void,
  opts: TokenWatchOptions = {},
): { stop(): void } {
  let last: PresentToken[] | undefined;
  let module = opts.module;
  const read = async (c: Pick<TokenApi, 'listSlots' | 'moduleInfo'>) => {
    module ??= (await c.moduleInfo()).path;
    return presentTokens(module, await c.listSlots());
  };
  return pollEvery(intervalMs, async (isStopped) => {
    let now: PresentToken[];
    if (opts.reopen) {
      const fresh = opts.reopen();
      try { now = await read(fresh); } finally { await fresh.close(); }
    } else {
      now = await read(client);
    }
    if (isStopped()) return;
    const change = diffTokens(last ?? [], now);
    if (last === undefined || change.inserted.length > 0 || change.removed.length > 0) {
      last = now;
      onChange({ ...change, tokens: now });
    }
  }, (e) => opts.onError?.(e));
}
