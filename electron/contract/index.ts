/**
 * The one IPC contract both sides import (renderer through the preload, main through the handler
 * table). Three parts, as in Trezor Suite's api.ts:
 *   - InvokeMap: request -> reply channels, named `domain/verb`;
 *   - EventMap:  what main pushes to the renderer;
 *   - API_METHODS: the preload's named method for each invoke channel (no generic passthrough).
 * Replies are always Result values: failures come back as data, because only `.message`
 * survives Electron's IPC when a handler throws.
 *
 * This file must stay free of Node and DOM imports: it is bundled into main, preload and renderer.
 */
import type { ErrorData } from '../core/util/errors';
import type { SlotView } from '../core/token/types';

export type { ErrorData };
export type Result<T> = { ok: true; value: T } | { ok: false; error: ErrorData };

export interface AppInfo {
  version: string;
  rehearsal: boolean;
  platform: string;
}

export interface InvokeMap {
  'app/info': { req: void; res: AppInfo };
  'tokens/list': { req: void; res: SlotView[] };
}

export interface EventMap {
  'devices/changed': { slots: SlotView[] };
}

export type InvokeChannel = keyof InvokeMap;
export type EventChannel = keyof EventMap;
export type Req<C extends InvokeChannel> = InvokeMap[C]['req'];
export type Res<C extends InvokeChannel> = InvokeMap[C]['res'];

/** Preload method name -> channel. The preload exposes exactly these, one named method each. */
export const API_METHODS = {
  appInfo: 'app/info',
  listTokens: 'tokens/list',
} as const satisfies Record<string, InvokeChannel>;

export const EVENT_CHANNELS: readonly EventChannel[] = ['devices/changed'];

type MethodChannel<M extends keyof typeof API_METHODS> = (typeof API_METHODS)[M];

/** The typed API the renderer sees as window.keyrite (same shape in Electron and in the e2e harness). */
export type KeyriteApi = {
  [M in keyof typeof API_METHODS]: Req<MethodChannel<M>> extends void
    ? () => Promise<Result<Res<MethodChannel<M>>>>
    : (req: Req<MethodChannel<M>>) => Promise<Result<Res<MethodChannel<M>>>>;
} & {
  on<E extends EventChannel>(channel: E, listener: (payload: EventMap[E]) => void): () => void;
};

/** What the handler table provides: one async function per invoke channel. */
export type HandlerTable = {
  [C in InvokeChannel]: (req: Req<C>) => Promise<Result<Res<C>>>;
};
