/**
 * The renderer's mirror of the ceremony run. Main owns the state: every action here asks main for a
 * transition and keeps the view main answers with (or pushes on `ceremony/changed`). Nothing here
 * decides what comes next. A PIN passes through `submitInput` and is never stored.
 */
import { onEvent, type CeremonyInput, type CeremonyView, type ErrorData, type LoadScriptReq, type ProgressEvent, type Result, type ScriptSummary } from '../api';
import { sortDroppedFiles } from './dropped-files';
import { callKeyrite } from './request';
import type { SliceCreator } from './slice';
import { resultToAcknowledge, STEP_RESULTS_CLEARED, type StepResultsSlice } from './step-results';

export interface LoadedFile {
  fileName: string;
  text: string;
}

export interface CeremonyRunSlice {
  runView: CeremonyView | null;
  runProgress: ProgressEvent | null;
  /** A request to main is in flight: buttons that would send another are disabled. */
  runBusy: boolean;
  /** Failure of the last request (a refused PIN, an invalid script...). */
  runError: ErrorData | null;
  /** The script picked on the load screen, checked but not started. */
  pickedScript: LoadedFile | null;
  pickedPolicy: LoadedFile | null;
  /** The earlier ceremony folder a recovery, reshare or signing ceremony takes its key from. */
  priorRunDir: string | null;
  /** An unfinished run of the same script to resume instead of starting a new one. */
  resumeRunDir: string | null;
  scriptSummary: ScriptSummary | null;
  /** Reads the current run from main (after a reload) and follows its pushes; returns the unsubscribe. */
  connectRun(): () => void;
  pickScript(file: LoadedFile): Promise<void>;
  pickPolicy(file: LoadedFile | null): Promise<void>;
  /** Files dropped on the start screen: the script (and its policy), checked once as if picked; a drop that holds no single script is refused. */
  dropFiles(files: LoadedFile[]): Promise<void>;
  pickPriorRun(dir: string | null): void;
  pickResumeRun(dir: string | null): void;
  startRun(): Promise<boolean>;
  submitInput(input: CeremonyInput): Promise<boolean>;
  recordDeviation(who: string, why: string): Promise<boolean>;
  closeRun(): Promise<void>;
  clearRunError(): void;
}

type RunFields = Omit<CeremonyRunSlice, { [K in keyof CeremonyRunSlice]: CeremonyRunSlice[K] extends (...args: never[]) => unknown ? K : never }[keyof CeremonyRunSlice]>;

const NO_RUN: RunFields = {
  runView: null, runProgress: null, runBusy: false, runError: null, pickedScript: null, pickedPolicy: null,
  priorRunDir: null, resumeRunDir: null, scriptSummary: null,
};

/** The refusal to show on the current step: a failed request, or the runner's own `view.error`. */
export function stepError(s: CeremonyRunSlice): ErrorData | null {
  return s.runError ?? s.runView?.error ?? null;
}

/** The load request as it stands: the picked script, its policy, the prior run and the run to resume. */
function loadRequest(s: CeremonyRunSlice): LoadScriptReq | null {
  const { pickedScript, pickedPolicy, priorRunDir, resumeRunDir } = s;
  if (!pickedScript) return null;
  const req: LoadScriptReq = { fileName: pickedScript.fileName, text: pickedScript.text };
  if (pickedPolicy) req.policyText = pickedPolicy.text;
  if (priorRunDir) req.from = priorRunDir;
  if (resumeRunDir) req.resume = resumeRunDir;
  return req;
}

// The step results (step-results.ts) change with the view in one update, so a step that just
// finished is held on screen from the first render of the next step.
export const createCeremonyRunSlice: SliceCreator<CeremonyRunSlice, StepResultsSlice> = (set, get, request) => {
  const RUN = { busy: 'runBusy', error: 'runError', clearErrorOnSend: true } as const;

  /** Every view from main goes through here, so a step that just finished is held on screen. */
  function takeView(runView: CeremonyView): Pick<CeremonyRunSlice & StepResultsSlice, 'runView' | 'heldResultStep'> {
    const { runView: prev, heldResultStep } = get();
    return { runView, heldResultStep: resultToAcknowledge(prev, runView, heldResultStep) };
  }

  // Only the latest check counts: a script picked then a policy picked at once would otherwise let
  // the first (policy-less) check's refusal land after the second check passed, and stay on screen.
  let validations = 0;
  async function validate(): Promise<void> {
    const mine = ++validations;
    const req = loadRequest(get());
    set({ scriptSummary: null });
    if (!req) return;
    await request(async (api): Promise<Result<ScriptSummary | null>> => {
      const r = await api.validateCeremonyScript(req);
      return mine === validations ? r : { ok: true, value: null };
    }, { ...RUN, onOk: (summary) => (summary ? { scriptSummary: summary } : {}) });
  }

  return {
    ...NO_RUN,
    connectRun() {
      const offChanged = onEvent('ceremony/changed', ({ view }) => {
        set({ runProgress: view.need.kind === 'running' ? get().runProgress : null, ...takeView(view) });
      });
      const offProgress = onEvent('ceremony/progress', (p) => {
        if (get().runView?.runId === p.runId) set({ runProgress: p });
      });
      void callKeyrite((api) => api.ceremonyView()).then((r) => {
        if (r.ok && r.value) set({ runView: r.value });
      });
      return () => { offChanged(); offProgress(); };
    },
    async pickScript(file) {
      set({ pickedScript: file });
      await validate();
    },
    async pickPolicy(file) {
      set({ pickedPolicy: file });
      await validate();
    },
    async dropFiles(files) {
      const sorted = sortDroppedFiles(files);
      if ('error' in sorted) {
        validations++;
        set({ pickedScript: null, scriptSummary: null, runError: sorted.error });
        return;
      }
      set({ pickedScript: sorted.script, ...(sorted.policy ? { pickedPolicy: sorted.policy } : {}) });
      await validate();
    },
    pickPriorRun: (dir) => set({ priorRunDir: dir }),
    pickResumeRun: (dir) => set({ resumeRunDir: dir }),
    async startRun() {
      const req = loadRequest(get());
      if (!req) return false;
      return request((api) => api.loadCeremony(req), {
        ...RUN,
        onOk: (runView) => ({ runView, scriptSummary: null, pickedScript: null, pickedPolicy: null, priorRunDir: null, resumeRunDir: null }),
      });
    },
    submitInput: (input) => request((api) => api.submitCeremonyInput(input), { ...RUN, onOk: takeView }),
    recordDeviation: (who, why) => request((api) => api.recordDeviation({ who, why }), { ...RUN, onOk: takeView }),
    async closeRun() {
      await request((api) => api.closeCeremony(), { ...RUN, onOk: () => ({ ...NO_RUN, ...STEP_RESULTS_CLEARED }) });
    },
    clearRunError: () => set({ runError: null }),
  };
};
