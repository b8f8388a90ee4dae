/**
 * What a step handler may use, as narrow capabilities: each handler (actions/*.ts) declares the ones
 * it needs in its type, `ActionHandler<RunRead & JournalAppend & ...>`, and sees nothing else. The
 * runner (step-capabilities.ts) gives every handler one object that has them all.
 * Asking for input is the handler's return value: `{ need }`.
 */
import type { AppendInput, EntryKind, JournalEntry } from '../transcript/entry-kinds';
import type { KeyRef, SessionId, TokenApi } from '../token/types';
import type { CeremonyScript, ScriptStep, TokenSelection } from './script-schema';
import type { RunFacts, TokenInfo } from './run-facts';
import type { Policy } from './policy-schema';
import type { ShareFileSink } from './run-types';
import type { RevealedShare, RunInput, RunNeed } from './run-view';
import type { AirGapProbe } from './air-gap';
import type { EngineIntent, StepFact } from './engine';
import type { PriorRun } from './prior-run';

/** What an action handler returns: it waits for input, or its action is performed. */
export type StepOutcome = { need: RunNeed } | { performed: StepFact[]; data?: Record<string, unknown> };

/** What every step may read: the script, the policy, the run's facts and folder. No effect. */
export interface RunRead {
  script: CeremonyScript;
  scriptDir: string;
  policy: Policy;
  step: ScriptStep;
  outDir: string;
  rehearsal: boolean;
  facts: RunFacts;
  prior: PriorRun | undefined;
  now: () => Date;
}

/** Appends to the journal as this step (fsynced), and reads this step's entries. */
export interface JournalAppend {
  /** This step's entries since its last step.start (what an interrupted attempt already did). */
  stepEntries(): readonly JournalEntry[];
  append<K extends EntryKind>(input: Omit<AppendInput<K>, 'step' | 'actor'> & { actor?: AppendInput['actor'] }): Promise<JournalEntry>;
}

/** Irreversible token operations: announced by an intent, journaled with their result, reconciled after a crash. */
export interface IrreversibleOps {
  /** Journals an intent, runs op, journals its result; op errors are journaled as a failed result. */
  irreversible<T>(operation: string, detail: Record<string, unknown>, op: () => Promise<T>, resultData?: (v: T) => Record<string, unknown>): Promise<T>;
  /**
   * This attempt's intents of `operation` as the engine holds them (engine.ts intentsOf), with an
   * outcome: `open` (interrupted: reconcile by looking on the token), `ok` or `failed`.
   */
  intents(operation: string, outcome?: EngineIntent['outcome']): readonly EngineIntent[];
  /** Records the result of an interrupted operation, found by looking on the token (never by repeating it). */
  resolveIntent(opId: string, ok: boolean, data?: Record<string, unknown>): Promise<void>;
}

/** The script's token and its logged-in session (the runner asks for the PIN first). */
export interface TokenSession {
  token(): TokenApi;
  /** The logged-in session; throws if there is none. */
  session(): SessionId;
  timing: { tokenMs: number };
}

/** The people's own tokens (custodians' cards, other tokens a key is destroyed on). */
export interface OtherTokens {
  /**
   * Logs in to another token (kept open until the run closes, or until `close()`, which one-shot
   * uses call: it ends the session and stops that token's host).
   */
  openOtherToken(selection: TokenSelection, pin: string): Promise<{ api: TokenApi; session: SessionId; info: TokenInfo; close: () => Promise<void> }>;
}

/** Hands a share to its custodian: shown on screen, or written as a file. */
export interface ShareOffer {
  /** Offers a share to be revealed to its custodian (held only in memory until shown). */
  offerShare(share: RevealedShare | null): void;
  /** Where `file` and `token` deliveries write the encrypted share (OpenRunOptions.shareFileSink); default OUT/custody. */
  shareFileSink?: ShareFileSink | undefined;
}

/** Per-step memory that a crash loses (shares being handed out, shares entered). */
export interface StepScratch {
  scratch: Map<string, unknown>;
}

/** Tells the screen what a long operation is doing. */
export interface Progress {
  progress(message: string, fraction: number | null): void;
}

/** Looks at the machine's networks and radios. */
export interface AirGapCheck {
  airGapProbe: AirGapProbe;
}

/** Every capability: what the runner builds, and no handler asks for. */
export type StepContext = RunRead & JournalAppend & IrreversibleOps & TokenSession & OtherTokens & ShareOffer & StepScratch & Progress & AirGapCheck;

export interface ActionHandler<C = StepContext> {
  /** Does this action need a logged-in session? The runner asks for the PIN first if so. */
  needsSession: boolean | ((script: CeremonyScript) => boolean);
  /** Called when the step starts or resumes (input undefined) and with each input for its need. */
  advance(ctx: C, input: RunInput | undefined): Promise<StepOutcome>;
}

/** Whether a handler needs a logged-in session for this script. */
export function handlerNeedsSession(handler: ActionHandler<never>, script: CeremonyScript): boolean {
  return typeof handler.needsSession === 'function' ? handler.needsSession(script) : handler.needsSession;
}

export function keyRefOf(k: { id: string; label: string }): KeyRef {
  return { id: k.id, label: k.label };
}
