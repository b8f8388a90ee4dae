/** What an action handler may use: the journal (through typed helpers), the token session, outputs. */
import type { AppendInput, EntryKind, JournalEntry } from '../transcript/entry-kinds';
import type { KeyRef, SessionId, TokenApi } from '../token/types';
import type { CeremonyScript, ScriptStep, TokenSelection } from './script-schema';
import type { TokenInfo } from './run-facts';
import type { Policy } from './policy-schema';
import type { RunFacts } from './run-facts';
import type { ShareFileSink } from './run-types';
import type { RevealedShare, RunInput, RunNeed } from './run-view';
import type { AirGapProbe } from './air-gap';
import type { EngineIntent, StepFact } from './engine';
import type { PriorRun } from './prior-run';

/** What an action handler returns: it waits for input, or its action is performed. */
export type StepOutcome = { need: RunNeed } | { performed: StepFact[]; data?: Record<string, unknown> };

export interface StepContext {
  script: CeremonyScript;
  scriptDir: string;
  policy: Policy;
  step: ScriptStep;
  outDir: string;
  rehearsal: boolean;
  facts: RunFacts;
  prior: PriorRun | undefined;
  airGapProbe: AirGapProbe;
  now: () => Date;
  /** This step's entries since its last step.start (what an interrupted attempt already did). */
  stepEntries(): readonly JournalEntry[];
  append<K extends EntryKind>(input: Omit<AppendInput<K>, 'step' | 'actor'> & { actor?: AppendInput['actor'] }): Promise<JournalEntry>;
  /** Journals an intent, runs op, journals its result; op errors are journaled as a failed result. */
  irreversible<T>(operation: string, detail: Record<string, unknown>, op: () => Promise<T>, resultData?: (v: T) => Record<string, unknown>): Promise<T>;
  token(): TokenApi;
  /** The logged-in session; throws if there is none (the runner asks for the PIN first). */
  session(): SessionId;
  /** Logs in to the script's token (the PIN is used once and not kept). */
  login(pin: string): Promise<void>;
  /**
   * Logs in to another token (kept open until the run closes, or until `close()`, which one-shot
   * uses call: it ends the session and stops that token's host).
   */
  openOtherToken(selection: TokenSelection, pin: string): Promise<{ api: TokenApi; session: SessionId; info: TokenInfo; close: () => Promise<void> }>;
  /**
   * This attempt's intents of `operation` as the engine holds them (engine.ts intentsOf), with an
   * outcome: `open` (interrupted: reconcile by looking on the token), `ok` or `failed`.
   */
  intents(operation: string, outcome?: EngineIntent['outcome']): readonly EngineIntent[];
  /** Records the result of an interrupted operation, found by looking on the token (never by repeating it). */
  resolveIntent(opId: string, ok: boolean, data?: Record<string, unknown>): Promise<void>;
  /** Per-step memory that a crash loses (shares being handed out, shares entered). */
  scratch: Map<string, unknown>;
  /** Offers a share to be revealed to its custodian (held only in memory until shown). */
  offerShare(share: RevealedShare | null): void;
  progress(message: string, fraction: number | null): void;
  /** Where `file` and `token` deliveries write the encrypted share (OpenRunOptions.shareFileSink); default OUT/custody. */
  shareFileSink?: ShareFileSink | undefined;
  timing: { tokenMs: number };
}

export interface ActionHandler {
  /** Does this action need a logged-in session? The runner asks for the PIN first if so. */
  needsSession: boolean | ((script: CeremonyScript) => boolean);
  /** Called when the step starts or resumes (input undefined) and with each input for its need. */
  advance(ctx: StepContext, input: RunInput | undefined): Promise<StepOutcome>;
}

/** Whether a handler needs a logged-in session for this script. */
export function handlerNeedsSession(handler: ActionHandler, script: CeremonyScript): boolean {
  return typeof handler.needsSession === 'function' ? handler.needsSession(script) : handler.needsSession;
}

export function keyRefOf(k: { id: string; label: string }): KeyRef {
  return { id: k.id, label: k.label };
}
