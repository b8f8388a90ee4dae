/**
 * Builds the capabilities a step handler is given (step-context.ts) from the run: journal appends as
 * this step, irreversible operations announced by an intent and reconciled from the engine, the
 * token session, other tokens, share offers, progress.
 */
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { toErrorData } from '../util/errors';
import type { AppendInput, JournalEntry } from '../transcript/entry-kinds';
import { intentsOf, type EngineStep } from './engine';
import { createAirGapProbe } from './air-gap';
import type { PriorRun } from './prior-run';
import type { RunFacts } from './run-facts';
import type { RunTokens } from './run-token';
import type { OpenRunOptions, ProgressEvent, RevealedShare } from './run-types';
import type { ScriptStep } from './script-schema';
import type { StepContext } from './step-context';
import { administratorOf, SYSTEM } from './run-people';

/** What of the run the capabilities reach. */
export interface CapabilityHost {
  opts: OpenRunOptions;
  facts: RunFacts;
  prior: PriorRun | undefined;
  scratch: Map<string, unknown>;
  timing: { tokenMs: number };
  tokens: RunTokens;
  entries(): readonly JournalEntry[];
  /** Appends and applies (the engine refuses a transition before anything is written). */
  append(input: AppendInput): Promise<JournalEntry>;
  /** The engine's state of the current step. */
  engineStep(): EngineStep;
  offer(share: RevealedShare | null): void;
  progress(event: Omit<ProgressEvent, 'runId'>): void;
}

export function stepCapabilities(host: CapabilityHost, step: ScriptStep): StepContext {
  const { opts } = host;
  const script = opts.script.script;
  const stepId = step.id;
  const administrator = administratorOf(script);
  const stepEntries = (): JournalEntry[] => {
    const all = host.entries();
    let i = all.length - 1;
    while (i >= 0 && !(all[i]!.kind === 'step.start' && all[i]!.step === stepId)) i--;
    return all.slice(i + 1).filter((e) => e.step === stepId);
  };
  const resultOf = (opId: string, ok: boolean, data: Record<string, unknown>) =>
    host.append({ kind: 'step.result', step: stepId, actor: SYSTEM, data: { opId, outcome: ok ? 'ok' : 'failed', ...data } });
  return {
    script, scriptDir: opts.script.dir ?? path.dirname(path.resolve(opts.script.source.file)), policy: opts.policy, step,
    outDir: opts.outDir, rehearsal: opts.rehearsal, facts: host.facts, prior: host.prior,
    airGapProbe: opts.airGapProbe ?? createAirGapProbe(), now: opts.now ?? (() => new Date()),
    stepEntries,
    append: (input) => host.append({ ...input, step: stepId, actor: input.actor ?? { role: 'administrator', name: administrator } } as AppendInput),
    irreversible: async (operation, detail, op, resultData) => {
      const opId = randomBytes(6).toString('hex');
      await host.append({ kind: 'step.intent', step: stepId, actor: SYSTEM, data: { opId, operation, ...detail } });
      let value;
      try {
        const t0 = performance.now();
        value = await op();
        host.timing.tokenMs += performance.now() - t0;
      } catch (e) {
        const err = toErrorData(e);
        await resultOf(opId, false, { error: { code: err.code, message: err.message } });
        throw e;
      }
      await resultOf(opId, true, resultData ? resultData(value) : {});
      return value;
    },
    intents: (operation, outcome) => intentsOf(host.engineStep(), operation, outcome),
    resolveIntent: async (opId, ok, data) => { await resultOf(opId, ok, { reconciled: true, ...(data ?? {}) }); },
    token: () => host.tokens.opened(),
    session: () => host.tokens.requireSession(),
    timing: host.timing,
    openOtherToken: (selection, pin) => host.tokens.openOther(selection, pin),
    offerShare: (share) => host.offer(share),
    shareFileSink: opts.shareFileSink,
    scratch: host.scratch,
    progress: (message, fraction) => host.progress({ step: stepId, message, fraction }),
  };
}
