/**
 * The IPC channel table, in one place as in Trezor Suite's desktop API: for every invoke channel
 * (named `domain/verb`), the zod schema its request is parsed with and, as types, the request it
 * parses to and the result its handler returns. The event channels main pushes are typed here too.
 *
 * The dispatcher (electron/core/ipc/dispatch.ts) parses each request with its channel's schema
 * once, for Electron main and for the UI harness alike, before any handler runs. The preload takes
 * only the method names (./api-methods.ts), so zod stays out of its bundle.
 */
import type { z } from 'zod';
import type { SlotView } from '../core/token/types';
import type { API_METHODS, EVENT_CHANNELS } from './api-methods';
import type { CeremonyInput, LoadScriptReq, ShareInput } from './ceremony-inputs';
import type { CeremonyView, ProgressEvent, RevealedShare } from './ceremony-views';
import type { RecoveryView, WordCheck } from './recovery-views';
import {
  auditFolderReqSchema, auditVerifyReqSchema, ceremonyInputSchema, checkWordReqSchema, deviationReqSchema, loadScriptReqSchema, noPayload,
  printReportReqSchema, printShareSheetReqSchema, recoveryStartReqSchema, revealShareReqSchema, shareInputSchema,
} from './request-schemas';
import type { PreflightView, ScriptSummary } from './script-views';
import type { TemplateView } from './template-views';
import type { AppInfo, AuditReport, CeremonySummary, DevicesView, InventoryView, PrintOutcome, PrintOutput } from './views';

/** One channel: the schema its request is parsed with, and the request and result types. */
export interface ChannelSpec<Req, Res> {
  readonly request: z.ZodType<Req>;
  /** Carries the types only; never set at run time. */
  readonly types?: { req: Req; res: Res };
}

function channel<Req, Res>(request: z.ZodType<Req>): ChannelSpec<Req, Res> {
  return { request };
}

export const CHANNELS = {
  'app/info': channel<void, AppInfo>(noPayload),
  'tokens/list': channel<void, SlotView[]>(noPayload),
  'devices/list': channel<void, DevicesView>(noPayload),
  'ceremonies/recent': channel<void, CeremonySummary[]>(noPayload),
  /** Opens the system folder picker (Electron only); null when the person cancelled. */
  'audit/pick-folder': channel<void, { dir: string | null }>(noPayload),
  /** trustedKeys: signed-note verifier keys the auditor holds independently (e.g. from the paper report). */
  'audit/verify': channel<{ dir: string; trustedKeys?: string[] }, AuditReport>(auditVerifyReqSchema),
  /** Writes report.html beside the transcript and returns where it went. */
  'audit/export-report': channel<{ dir: string }, { path: string }>(auditFolderReqSchema),
  'inventory/list': channel<void, InventoryView>(noPayload),
  /** Prints the verification report of a transcript folder (main verifies it again; no HTML crosses IPC). */
  'print/report': channel<{ dir: string; output: PrintOutput }, PrintOutcome>(printReportReqSchema),
  /**
   * Prints the share sheet of the custodian whose share is on offer. Only the name crosses IPC: the
   * words, QR and fingerprint come from main's ceremony run, and only while its need is show-share
   * for that custodian.
   */
  'print/share-sheet': channel<{ custodian: string; output: PrintOutput }, PrintOutcome>(printShareSheetReqSchema),
  /** The bundled ceremony script templates (resources/ceremonies), read and checked in main, for the start screen's gallery. */
  'templates/list': channel<void, TemplateView[]>(noPayload),
  'ceremony/validate': channel<LoadScriptReq, ScriptSummary>(loadScriptReqSchema),
  'ceremony/load': channel<LoadScriptReq, CeremonyView>(loadScriptReqSchema),
  'ceremony/preflight': channel<LoadScriptReq, PreflightView>(loadScriptReqSchema),
  'ceremony/view': channel<void, CeremonyView | null>(noPayload),
  /** A PIN goes in and never comes back. */
  'ceremony/submit': channel<CeremonyInput, CeremonyView>(ceremonyInputSchema),
  /** A share's words, only while its custodian holds the show button. */
  'ceremony/reveal-share': channel<{ custodian: string }, RevealedShare>(revealShareReqSchema),
  'ceremony/deviation': channel<{ who: string; why: string }, CeremonyView>(deviationReqSchema),
  'ceremony/close': channel<void, null>(noPayload),
  'recovery/start': channel<{ backupFileName: string; backupText: string }, RecoveryView>(recoveryStartReqSchema),
  'recovery/check-word': channel<{ input: string }, WordCheck>(checkWordReqSchema),
  'recovery/add-share': channel<ShareInput, RecoveryView>(shareInputSchema),
  'recovery/close': channel<void, null>(noPayload),
};

type Channels = typeof CHANNELS;

/** Request -> reply channels: what each request parses to and what its handler returns. */
export type InvokeMap = { [C in keyof Channels]: NonNullable<Channels[C]['types']> };

/** What main pushes to the renderer. */
export interface EventMap {
  'devices/changed': DevicesView;
  'ceremony/changed': { view: CeremonyView };
  'ceremony/progress': ProgressEvent;
}

export type CeremonyEventMap = Pick<EventMap, 'ceremony/changed' | 'ceremony/progress'>;

// The preload's dependency-free lists must name exactly the channels of this table.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Assert<T extends true> = T;
export type MethodsMatchTable = Assert<Same<(typeof API_METHODS)[keyof typeof API_METHODS], keyof InvokeMap>>;
export type EventsMatchMap = Assert<Same<(typeof EVENT_CHANNELS)[number], keyof EventMap>>;
