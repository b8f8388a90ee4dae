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

export type EngineStepStatus = 'pending' | 'active' | 'performed' | 'done' | 'failed';

export interface EngineStep {
  id: string;
  action: ScriptStep['action'];
  irreversible: boolean;
  attest: string[];
  status: EngineStepStatus;
  attested: string[];
  facts: StepFact[];
  /** Operation ids with an intent and no result yet. */
  openOps: string[];
  /** Operation ids whose result was ok: an irreversible step with any of these never restarts. */
  doneOps: string[];
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
  | { type: 'intent'; step: string; opId: string }
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
      status: 'pending', attested: [], facts: [], openOps: [], doneOps: [], error: null,
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
      if (step.status === 'pending') return put({ status: 'active' });
      if (step.status === 'failed') {
        if (step.irreversible && (step.doneOps.length > 0 || step.openOps.length > 0)) refuse(event, 'an irreversible operation of this step already reached the token; it is reconciled, never repeated');
        return put({ status: 'active', error: null, facts: [] });
      }
      return refuse(event, `the step is ${step.status}`);
    case 'intent':
      if (step.status !== 'active') refuse(event, `the step is ${step.status}`);
      if (step.openOps.includes(event.opId) || step.doneOps.includes(event.opId)) refuse(event, `operation ${event.opId} was already announced`);
      return put({ openOps: [...step.openOps, event.opId] });
    case 'op-result':
      if (!step.openOps.includes(event.opId)) refuse(event, `no open intent ${event.opId}`);
      return put({ openOps: step.openOps.filter((o) => o !== event.opId), doneOps: event.ok ? [...step.doneOps, event.opId] : step.doneOps });
    case 'performed':
      if (step.status !== 'active') refuse(event, `the step is ${step.status}`);
      if (step.openOps.length > 0) refuse(event, `operation ${step.openOps[0]} has an intent and no result`);
      return put({ status: 'performed', facts: event.facts });
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
