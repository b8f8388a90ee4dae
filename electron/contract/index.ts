/**
 * The one IPC contract both sides import (renderer through the preload, main through the handler
 * table). Three parts, as in Trezor Suite's api.ts:
 *   - InvokeMap: request -> reply channels, named `domain/verb`;
 *   - EventMap:  what main pushes to the renderer;
 *   - API_METHODS: the preload's named method for each invoke channel (no generic passthrough).
 * Replies are always Result values: failures come back as data, because only `.message`
 * survives Electron's IPC when a handler throws.
 *
 * The ceremony, custodian and recovery channels live in ./ceremony.ts (owned by the ceremony UI)
 * and are merged here. This file must stay free of Node and DOM imports.
 */
import type { ErrorData } from '../core/util/errors';
import type { SlotView } from '../core/token/types';
import type { CeremonyEventMap, CeremonyInvokeMap } from './ceremony';
import { CEREMONY_API_METHODS, CEREMONY_EVENT_CHANNELS } from './ceremony';
import type { AppInfo, AuditReport, CeremonySummary, DevicesView, InventoryView, PrintOutcome, PrintOutput } from './views';

export type { ErrorData };
export type * from './views';
export type * from './ceremony';
export type Result<T> = { ok: true; value: T } | { ok: false; error: ErrorData };

export interface BaseInvokeMap {
  'app/info': { req: void; res: AppInfo };
  'tokens/list': { req: void; res: SlotView[] };
  'devices/list': { req: void; res: DevicesView };
  'ceremonies/recent': { req: void; res: CeremonySummary[] };
  /** Opens the system folder picker (Electron only); null when the person cancelled. */
  'audit/pick-folder': { req: void; res: { dir: string | null } };
  /** trustedKeys: signed-note verifier keys the auditor holds independently (e.g. from the paper report). */
  'audit/verify': { req: { dir: string; trustedKeys?: string[] }; res: AuditReport };
  /** Writes report.html beside the transcript and returns where it went. */
  'audit/export-report': { req: { dir: string }; res: { path: string } };
  'inventory/list': { req: void; res: InventoryView };
  /** Prints the verification report of a transcript folder (main verifies it again; no HTML crosses IPC). */
  'print/report': { req: { dir: string; output: PrintOutput }; res: PrintOutcome };
  /**
   * Prints the share sheet of the custodian whose share is on offer. Only the name crosses IPC: the
   * words, QR and fingerprint come from main's ceremony run, and only while its need is show-share
   * for that custodian.
   */
  'print/share-sheet': { req: { custodian: string; output: PrintOutput }; res: PrintOutcome };
}

export interface InvokeMap extends BaseInvokeMap, CeremonyInvokeMap {}

export interface BaseEventMap {
  'devices/changed': DevicesView;
}

export interface EventMap extends BaseEventMap, CeremonyEventMap {}

export type InvokeChannel = keyof InvokeMap;
export type EventChannel = keyof EventMap;
export type Req<C extends InvokeChannel> = InvokeMap[C]['req'];
export type Res<C extends InvokeChannel> = InvokeMap[C]['res'];

const BASE_API_METHODS = {
  appInfo: 'app/info',
  listTokens: 'tokens/list',
  listDevices: 'devices/list',
  recentCeremonies: 'ceremonies/recent',
  pickAuditFolder: 'audit/pick-folder',
  verifyTranscript: 'audit/verify',
  exportAuditReport: 'audit/export-report',
  listInventory: 'inventory/list',
  printReport: 'print/report',
  printShareSheet: 'print/share-sheet',
} as const satisfies Record<string, keyof BaseInvokeMap>;

/** Preload method name -> channel. The preload exposes exactly these, one named method each. */
export const API_METHODS = {
  ...BASE_API_METHODS,
  ...CEREMONY_API_METHODS,
} as const satisfies Record<string, InvokeChannel>;

const BASE_EVENT_CHANNELS: readonly (keyof BaseEventMap)[] = ['devices/changed'];

// ceremony.ts types its list as string[]; the ceremony UI keeps it in step with CeremonyEventMap.
export const EVENT_CHANNELS: readonly EventChannel[] = [
  ...BASE_EVENT_CHANNELS,
  ...(CEREMONY_EVENT_CHANNELS as readonly EventChannel[]),
];

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

/** What the handler table provides: one async function per invoke channel. */
export type HandlerTable = {
  [C in InvokeChannel]: (req: Req<C>) => Promise<Result<Res<C>>>;
};

export function isInvokeChannel(x: unknown): x is InvokeChannel {
  return typeof x === 'string' && (Object.values(API_METHODS) as string[]).includes(x);
}

export function isEventChannel(x: unknown): x is EventChannel {
  return typeof x === 'string' && (EVENT_CHANNELS as readonly string[]).includes(x);
}
