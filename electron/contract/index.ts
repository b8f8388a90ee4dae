/**
 * The one IPC contract both sides import (renderer through the preload, main through the handler
 * table). Three parts, as in Trezor Suite's api.ts:
 *   - InvokeMap: request -> reply channels, named `domain/verb` (./channels.ts, with each request's schema);
 *   - EventMap:  what main pushes to the renderer (./channels.ts);
 *   - API_METHODS: the preload's named method for each invoke channel (./api-methods.ts; no generic passthrough).
 * Replies are always Result values: failures come back as data, because only `.message`
 * survives Electron's IPC when a handler throws.
 *
 * The view and input types live in files named for what they hold: views.ts (devices, audit,
 * inventory, printing), ceremony-views.ts, ceremony-inputs.ts, script-views.ts, recovery-views.ts.
 * This file exports no zod value and must stay free of Node and DOM imports.
 */
import type { ErrorData } from '../core/util/errors';
import { API_METHODS, EVENT_CHANNELS } from './api-methods';
import type { EventMap, InvokeMap } from './channels';

export { API_METHODS, EVENT_CHANNELS };
export type { ErrorData, EventMap, InvokeMap };
export type { CeremonyEventMap } from './channels';
export type * from './views';
export type * from './ceremony-views';
export type * from './ceremony-inputs';
export type * from './script-views';
export type * from './recovery-views';
export type * from './template-views';
export type Result<T> = { ok: true; value: T } | { ok: false; error: ErrorData };

export type InvokeChannel = keyof InvokeMap;
export type EventChannel = keyof EventMap;
export type Req<C extends InvokeChannel> = InvokeMap[C]['req'];
export type Res<C extends InvokeChannel> = InvokeMap[C]['res'];

export type ApiMethod = keyof typeof API_METHODS;
type MethodChannel<M extends ApiMethod> = (typeof API_METHODS)[M];

/** The typed API the renderer sees as window.keyrite (same shape in Electron and in the e2e harness). */
export type KeyriteApi = {
  [M in ApiMethod]: Req<MethodChannel<M>> extends void
    ? () => Promise<Result<Res<MethodChannel<M>>>>
    : (req: Req<MethodChannel<M>>) => Promise<Result<Res<MethodChannel<M>>>>;
} & {
  on<E extends EventChannel>(channel: E, listener: (payload: EventMap[E]) => void): () => void;
};

/** What the handler table provides: one async function per invoke channel, parsing its request and Result-wrapped. */
export type HandlerTable = {
  [C in InvokeChannel]: (req: Req<C>) => Promise<Result<Res<C>>>;
};
