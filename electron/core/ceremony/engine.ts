/**
 * The step engine: a pure state machine (state, event) -> state over the script's steps. The runner
 * journals every event before applying it, and rebuilds the state after a crash by replaying the
 * journal through the same function, so what the screen shows is always what the transcript says.
 *
 * Rules: steps run in script order, one at a time; the current index never moves back; a step is
 * done only once its action is performed and every listed witness has attested; a failed reversible
 * step may start again, but an irreversible step whose token operation succeeded never does.
 */
import { KeyriteError } from '../util/errors';
import { IRREVERSIBLE_ACTIONS, type ScriptStep } from './script-schema';

/** A fact a step produced (fingerprint, key id, file written...). Never a secret. */
export interface StepFact {
  label: string;
  value: string;
  /** Long values (hex, PGP words) are read as a block. */
  mono?: boolean;
}

/** A deviation from the script: who, why, on which step, when. */
export interface Deviation {
  step: string;
  who: string;
  why: string;
  time: string;
}

/**
 * An irreversible operation announced by an intent (step.intent): `open` until its result is
 * journaled. After a crash an open intent is reconciled by looking on the token, never repeated.
 */
export interface EngineIntent {
  opId: string;
  operation: string;
  /** The intent's data (CKA_ID, label, token...), as journaled. */
  detail: Record<string, unknown>;
  outcome: 'open' | 'ok' | 'failed';
  /** Which start of the step announced it (1 for the first). */
  attempt: number;
}

export type EngineStepStatus = 'pending' | 'active' | 'performed' | 'done' | 'failed';

export interface EngineStep {
  id: string;
  action: ScriptStep['action'];
  irreversible: boolean;
  attest: string[];
  status: EngineStepStatus;
  attested: string[];
  facts: StepFact[];
  /** Every intent of this step, all attempts: an irreversible step with one open or ok never restarts. */
  intents: EngineIntent[];
  /** How many times the step started. */
  attempt: number;
  error: { code: string; message: string } | null;
}

export interface EngineState {
  steps: EngineStep[];
  /** Index of the step being worked on; null once every step is done. */
  current: number | null;
  deviations: Deviation[];
}

export type EngineEvent =
  | { type: 'start'; step: string }
  | { type: 'intent'; step: string; opId: string; operation?: string; detail?: Record<string, unknown> }
  | { type: 'op-result'; step: string; opId: string; ok: boolean }
  | { type: 'performed'; step: string; facts: StepFact[] }
  | { type: 'failed'; step: string; error: { code: string; message: string } }
  | { type: 'attest'; step: string; witness: string }
  | { type: 'complete'; step: string }
  | { type: 'deviation'; step: string; who: string; why: string; time: string };

export function initialState(steps: readonly ScriptStep[]): EngineState {
  return {
    steps: steps.map((s) => ({
      id: s.id, action: s.action, irreversible: IRREVERSIBLE_ACTIONS.has(s.action), attest: [...s.attest],
      status: 'pending', attested: [], facts: [], intents: [], attempt: 0, error: null,
    })),
    current: steps.length > 0 ? 0 : null,
    deviations: [],
  };
}

function refuse(event: EngineEvent, why: string): never {
  throw new KeyriteError('STEP_TRANSITION_REFUSED', `"${event.type}" on step "${event.step}" refused: ${why}.`, {
    action: 'Steps run in script order and irreversible steps only move forward; follow the current step.',
    details: { event: event.type, step: event.step },
  });
}

/** Applies one event; throws STEP_TRANSITION_REFUSED for any transition the rules forbid. */
export function reduce(state: EngineState, event: EngineEvent): EngineState {
  if (event.type === 'deviation') {
    return { ...state, deviations: [...state.deviations, { step: event.step, who: event.who, why: event.why, time: event.time }] };
  }
  if (state.current === null) refuse(event, 'the ceremony has finished');
  const idx = state.current;
  const step = state.steps[idx] as EngineStep;
  if (step.id !== event.step) refuse(event, `the current step is "${step.id}"`);
  const put = (next: Partial<EngineStep>, current: number | null = idx): EngineState => ({
    ...state,
    current,
    steps: state.steps.map((s, i) => (i === idx ? { ...s, ...next } : s)),
  });
  switch (event.type) {
    case 'start':
      if (step.status === 'pending') return put({ status: 'active', attempt: step.attempt + 1 });
      if (step.status === 'failed') {
        if (step.irreversible && step.intents.some((o) => o.outcome !== 'failed')) refuse(event, 'an irreversible operation of this step already reached the token; it is reconciled, never repeated');
        return put({ status: 'active', error: null, facts: [], attempt: step.attempt + 1 });
      }
      return refuse(event, `the step is ${step.status}`);
    case 'intent':
      if (step.status !== 'active') refuse(event, `the step is ${step.status}`);
      if (step.intents.some((o) => o.opId === event.opId && o.outcome !== 'failed')) refuse(event, `operation ${event.opId} was already announced`);
      return put({ intents: [...step.intents, { opId: event.opId, operation: event.operation ?? '', detail: event.detail ?? {}, outcome: 'open', attempt: step.attempt }] });
    case 'op-result': {
      const i = step.intents.findIndex((o) => o.opId === event.opId && o.outcome === 'open');
      if (i < 0) refuse(event, `no open intent ${event.opId}`);
      return put({ intents: step.intents.map((o, j) => (j === i ? { ...o, outcome: event.ok ? 'ok' : 'failed' } : o)) });
    }
    case 'performed': {
      if (step.status !== 'active') refuse(event, `the step is ${step.status}`);
      const open = step.intents.find((o) => o.outcome === 'open');
      if (open) refuse(event, `operation ${open.opId} has an intent and no result`);
      return put({ status: 'performed', facts: event.facts });
    }
    case 'failed':
      if (step.status !== 'active') refuse(event, `the step is ${step.status}`);
      return put({ status: 'failed', error: event.error });
    case 'attest':
      if (step.status !== 'performed') refuse(event, 'witnesses attest a step once its action is performed');
      if (!step.attest.includes(event.witness)) refuse(event, `${event.witness} is not listed to attest this step`);
      if (step.attested.includes(event.witness)) refuse(event, `${event.witness} already attested`);
      return put({ attested: [...step.attested, event.witness] });
    case 'complete': {
      if (step.status !== 'performed') refuse(event, `the step is ${step.status}`);
      const missing = step.attest.filter((w) => !step.attested.includes(w));
      if (missing.length > 0) refuse(event, `still waiting for ${missing.join(', ')} to attest`);
      const next = idx + 1 < state.steps.length ? idx + 1 : null;
      return put({ status: 'done' }, next);
    }
  }
}

/** Witnesses still to attest the current step (empty when none or not yet performed). */
export function pendingAttesters(step: EngineStep): string[] {
  return step.attest.filter((w) => !step.attested.includes(w));
}

/**
 * The current attempt's intents for `operation`: the one place intents are reconciled. `open`:
 * announced, no result yet (an interrupted attempt: look on the token, never repeat); `ok`: done;
 * `failed`: reported as failed (the token may still have done it).
 */
export function intentsOf(step: EngineStep, operation: string, outcome?: EngineIntent['outcome']): EngineIntent[] {
  return step.intents.filter((o) => o.attempt === step.attempt && o.operation === operation && (outcome === undefined || o.outcome === outcome));
}
