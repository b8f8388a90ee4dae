/**
 * The ceremony runner's public shape, served to both the headless CLI and the UI (through the
 * handler table). The view, need and input types are the IPC contract's, named through run-view.ts
 * (the one module that maps the run's state to them): the runner and the screens cannot drift apart.
 */
import type { CardModule } from '../token/card-modules';
import type { TokenApi } from '../token/types';
import type { Policy } from './policy-schema';
import type { LoadedScript } from './load';
import type { NoteSigner } from '../transcript/note-keys';

import type { ProgressEvent, RevealedShare, RunInput, RunNeed, RunView } from './run-view';
import type { AirGapProbe } from './air-gap';

export type { RunView, RunNeed, RunInput, RevealedShare, ProgressEvent };
export type { StepFact } from './engine';
export type { AirGapFinding, AirGapProbe } from './air-gap';

/** Makes a TokenApi for a module (and environment, e.g. SOFTHSM2_CONF). Closed by the runner. */
export type TokenFactory = (opts: { modulePath: string; env: Record<string, string> }) => Promise<TokenApi & { close?: () => Promise<void> }>;

export interface OpenRunOptions {
  script: LoadedScript;
  policy: Policy;
  /** The policy file's exact text: its SHA-256 goes in the transcript, as `keyrite verify --policy FILE` computes it. */
  policyText?: string;
  /** The ceremony folder: transcript, checkpoints, exports. Reopening it resumes the run. */
  outDir: string;
  /** How to reach tokens. A TokenApi is used as is; a factory is called per module. */
  tokens: TokenApi | TokenFactory;
  /** Environment for the token host (SOFTHSM2_CONF of a rehearsal token). */
  tokenEnv?: Record<string, string>;
  /** Module path when the script says `module: softhsm`. */
  modulePath?: string;
  /** Rehearsal: SoftHSM2 tokens, shares also written to shares/<custodian>.txt. */
  rehearsal: boolean;
  /** Folder of an earlier run whose key this ceremony uses (backup.json, public-key.pem, key id). */
  from?: string;
  airGapProbe?: AirGapProbe;
  /** Clock, injectable for the inventory tests (dates of key state transitions). */
  now?: () => Date;
  /**
   * How a witness whose key the script records gives their cosignature of the final checkpoint
   * (headless: a key file from the inputs file or the prompt). Required when any witness has a key.
   */
  witnessCosigner?: WitnessCosigner;
  /**
   * Where a `file` or `token` delivery's encrypted share is written. Called with the custodian, a
   * suggested file name and the file's text; returns the full path written (the app: a save dialog
   * onto the custodian's own media). Default: OUT/custody/<suggestedName>. A person who cancels
   * makes it throw SHARE_SAVE_CANCELLED, and the hand-off waits for them again.
   */
  shareFileSink?: ShareFileSink;
  /**
   * PKCS#11 modules of the people's own tokens (custodians' and witnesses' cards) besides the
   * script's: a token asked for by serial or label is looked for on the script's module first, then
   * on these in order. Only with a factory in `tokens`.
   */
  cardModules?: CardModule[];
}

/** A witness whose note verifier key the script records: they cosign the final checkpoint. */
export interface KeyedWitness {
  name: string;
  verifierKey: string;
}

/** Gives the signer a witness cosigns with (their key file, or their card); asked only at the seal. */
export type WitnessCosigner = (witness: KeyedWitness) => Promise<NoteSigner>;

/** The witness's own token (serial, PIN for one login): `use` gets the signer of the recorded key there; the session is closed after. */
export type WitnessTokenSigning = (witness: KeyedWitness, token: { tokenSerial: string; pin: string }, use: (signer: NoteSigner) => Promise<void>) => Promise<void>;

export type ShareFileSink = (req: { custodian: string; suggestedName: string; content: string }) => Promise<string>;

export interface RunEvents {
  changed: (view: RunView) => void;
  progress: (event: ProgressEvent) => void;
}

export interface CeremonyRun {
  /** The whole current state, including exactly what the current step waits for (`need`). */
  view(): RunView;
  /**
   * Validates the input against the current need, performs the step's work, journals it (fsynced)
   * and returns the new view. A refused input leaves the step where it was, with `view.error` set.
   */
  submit(input: RunInput): Promise<RunView>;
  /** Only while the need is `show-share` for this custodian; the words are never journaled. */
  revealShare(custodian: string): Promise<RevealedShare>;
  /** Records a deviation from the script (who and why) in the transcript. */
  recordDeviation(who: string, why: string): Promise<RunView>;
  on<E extends keyof RunEvents>(event: E, listener: RunEvents[E]): () => void;
  /** Closes the journal and token sessions. The run can be reopened from outDir. */
  close(): Promise<void>;
}
