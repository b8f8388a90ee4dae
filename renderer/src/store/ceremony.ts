/**
 * The renderer's mirror of the ceremony run. Main owns the state: every action here asks main for a
 * transition and stores the view main answers with (or pushes on `ceremony/changed`). Nothing here
 * decides what comes next. A PIN passes through `submit` and is never stored.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { CeremonyInput, CeremonyView, LoadScriptReq, ProgressEvent, ScriptSummary } from '../../../electron/contract/ceremony';
import type { ErrorData, KeyriteApi, Result } from '../../../electron/contract/index';
import { resultToAcknowledge } from './ceremony-results';

export type CeremonyApi = Pick<
  KeyriteApi,
  'validateCeremonyScript' | 'loadCeremony' | 'ceremonyView' | 'submitCeremonyInput' | 'recordDeviation' | 'closeCeremony' | 'on'
>;

export interface LoadedFile {
  fileName: string;
  text: string;
}

export interface CeremonyState {
  view: CeremonyView | null;
  progress: ProgressEvent | null;
  /** A request to main is in flight: buttons that would send another are disabled. */
  busy: boolean;
  /** The script picked on the load screen, checked but not started. */
  script: LoadedFile | null;
  policy: LoadedFile | null;
  /** The earlier ceremony folder a recovery, reshare or signing ceremony takes its key from. */
  from: string | null;
  /** An unfinished run of the same script to resume instead of starting a new one. */
  resume: string | null;
  summary: ScriptSummary | null;
  /** Failure of the last request (a refused PIN, an invalid script...). */
  error: ErrorData | null;
  /** A finished step whose result is shown until acknowledged (ceremony-results.ts). */
  resultToAck: number | null;
  /** A finished step reopened from the step list to read its result again. */
  reviewing: number | null;
}

export interface CeremonyActions {
  /** Reads the current run from main (after a reload) and follows its pushes; returns the unsubscribe. */
  connect(): () => void;
  pickScript(file: LoadedFile): Promise<void>;
  pickPolicy(file: LoadedFile | null): Promise<void>;
  pickFrom(dir: string | null): void;
  pickResume(dir: string | null): void;
  start(): Promise<boolean>;
  submit(input: CeremonyInput): Promise<boolean>;
  recordDeviation(who: string, why: string): Promise<boolean>;
  close(): Promise<void>;
  clearError(): void;
  acknowledgeResult(): void;
  review(index: number | null): void;
}

export type CeremonyStore = StoreApi<CeremonyState & CeremonyActions>;

const initial: CeremonyState = { view: null, progress: null, busy: false, script: null, policy: null, from: null, resume: null, summary: null, error: null, resultToAck: null, reviewing: null };

export function createCeremonyStore(api: CeremonyApi): CeremonyStore {
  return createStore<CeremonyState & CeremonyActions>()((set, get) => {
    async function call<T>(fn: () => Promise<Result<T>>, onOk: (value: T) => void): Promise<boolean> {
      set({ busy: true, error: null });
      try {
        const r = await fn();
        if (r.ok) {
          onOk(r.value);
          set({ busy: false });
          return true;
        }
        set({ busy: false, error: r.error });
        return false;
      } catch (e) {
        set({ busy: false, error: { code: 'IPC_FAILED', message: `The request did not reach the ceremony engine: ${e instanceof Error ? e.message : String(e)}`, action: 'Try again; if it keeps failing, restart Keyrite (completed steps are kept).' } });
        return false;
      }
    }

    function loadReq(): LoadScriptReq | null {
      const { script, policy, from, resume } = get();
      if (!script) return null;
      const req: LoadScriptReq = { fileName: script.fileName, text: script.text };
      if (policy) req.policyText = policy.text;
      if (from) req.from = from;
      if (resume) req.resume = resume;
      return req;
    }

    // Only the latest check counts: a script picked then a policy picked at once would otherwise let
    // the first (policy-less) check's refusal land after the second check passed, and stay on screen.
    let validations = 0;
    async function validate(): Promise<void> {
      const mine = ++validations;
      const req = loadReq();
      set({ summary: null });
      if (!req) return;
      await call<ScriptSummary | null>(async () => {
        const r = await api.validateCeremonyScript(req);
        return mine === validations ? r : { ok: true as const, value: null };
      }, (summary) => { if (summary) set({ summary }); });
    }

    /** Every view from main goes through here, so a step that just finished is held on screen. */
    function setView(view: CeremonyView): void {
      const { view: prev, resultToAck } = get();
      set({ view, resultToAck: resultToAcknowledge(prev, view, resultToAck) });
    }

    return {
      ...initial,
      connect() {
        const offChanged = api.on('ceremony/changed', ({ view }) => {
          set({ progress: view.need.kind === 'running' ? get().progress : null });
          setView(view);
        });
        const offProgress = api.on('ceremony/progress', (p) => {
          if (get().view?.runId === p.runId) set({ progress: p });
        });
        void api.ceremonyView().then((r) => {
          if (r.ok && r.value) set({ view: r.value });
        });
        return () => { offChanged(); offProgress(); };
      },
      async pickScript(file) {
        set({ script: file });
        await validate();
      },
      async pickPolicy(file) {
        set({ policy: file });
        await validate();
      },
      pickFrom(dir) {
        set({ from: dir });
      },
      pickResume(dir) {
        set({ resume: dir });
      },
      async start() {
        const req = loadReq();
        if (!req) return false;
        return call(() => api.loadCeremony(req), (view) => set({ view, summary: null, script: null, policy: null, from: null, resume: null }));
      },
      async submit(input) {
        return call(() => api.submitCeremonyInput(input), setView);
      },
      async recordDeviation(who, why) {
        return call(() => api.recordDeviation({ who, why }), setView);
      },
      async close() {
        await call(() => api.closeCeremony(), () => set({ ...initial }));
      },
      clearError() {
        set({ error: null });
      },
      acknowledgeResult() {
        set({ resultToAck: null });
      },
      review(index) {
        set({ reviewing: index });
      },
    };
  });
}
