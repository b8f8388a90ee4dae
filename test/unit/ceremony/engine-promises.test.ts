/**
 * The step engine's promises, transition by transition (engine.ts): a step runs once, in order; an
 * irreversible step whose operation reached the token (intent open or ok) never starts again, while
 * one whose operations all failed, or a reversible step, may; a step is done only once performed and
 * attested by exactly its listed witnesses; each refusal is STEP_TRANSITION_REFUSED naming the event
 * and the step. Intents are reconciled per attempt and per operation.
 */
import { describe, expect, it } from 'vitest';
import { initialState, intentsOf, pendingAttesters, reduce, type EngineEvent, type EngineState } from '../../../electron/core/ceremony/engine';
import type { ScriptStep } from '../../../electron/core/ceremony/script-schema';
import { KeyriteError } from '../../../electron/core/util/errors';

const steps: ScriptStep[] = [
  { id: 'room', instruction: 'i', action: 'confirm', attest: ['W1'] },
  { id: 'gen', instruction: 'i', action: 'generate-key', attest: ['W1', 'W2'] },
  { id: 'seal', instruction: 'i', action: 'seal', attest: [] },
];
const run = (events: EngineEvent[], from: EngineState = initialState(steps)): EngineState => events.reduce(reduce, from);

function refusal(events: EngineEvent[], from?: EngineState): KeyriteError {
  try {
    run(events, from);
  } catch (e) {
    if (e instanceof KeyriteError) return e;
    throw e;
  }
  throw new Error('expected a refusal');
}

const roomDone: EngineEvent[] = [
  { type: 'start', step: 'room' }, { type: 'performed', step: 'room', facts: [] }, { type: 'attest', step: 'room', witness: 'W1' }, { type: 'complete', step: 'room' },
];
const genStarted: EngineEvent[] = [...roomDone, { type: 'start', step: 'gen' }];
const fail: EngineEvent = { type: 'failed', step: 'gen', error: { code: 'TOKEN_HOST_STOPPED', message: 'host stopped' } };

describe('initial state', () => {
  it('every step pending, the first current; irreversible as the action says; attesters copied', () => {
    const s = initialState(steps);
    expect(s.current).toBe(0);
    expect(s.deviations).toEqual([]);
    expect(s.steps.map((x) => [x.id, x.action, x.irreversible, x.status, x.attempt])).toEqual([
      ['room', 'confirm', false, 'pending', 0], ['gen', 'generate-key', true, 'pending', 0], ['seal', 'seal', true, 'pending', 0],
    ]);
    expect(s.steps[1]).toMatchObject({ attest: ['W1', 'W2'], attested: [], facts: [], intents: [], error: null });
    expect(s.steps[1]?.attest).not.toBe(steps[1]?.attest);
  });

  it('a script with no steps has no current step and refuses any event', () => {
    const s = initialState([]);
    expect(s.current).toBeNull();
    expect(refusal([{ type: 'start', step: 'room' }], s).message).toBe('"start" on step "room" refused: the ceremony has finished.');
  });
});

describe('refusals', () => {
  it('say which event on which step, why, and what to do', () => {
    const e = refusal([{ type: 'start', step: 'gen' }]);
    expect(e.code).toBe('STEP_TRANSITION_REFUSED');
    expect(e.message).toBe('"start" on step "gen" refused: the current step is "room".');
    expect(e.action).toBe('Steps run in script order and irreversible steps only move forward; follow the current step.');
    expect(e.details).toEqual({ event: 'start', step: 'gen' });
  });

  it('nothing after the last step is done', () => {
    const done = run([...genStarted, { type: 'performed', step: 'gen', facts: [] }, { type: 'attest', step: 'gen', witness: 'W1' }, { type: 'attest', step: 'gen', witness: 'W2' },
      { type: 'complete', step: 'gen' }, { type: 'start', step: 'seal' }, { type: 'performed', step: 'seal', facts: [] }, { type: 'complete', step: 'seal' }]);
    expect(done.current).toBeNull();
    expect(done.steps.map((s) => s.status)).toEqual(['done', 'done', 'done']);
    expect(refusal([{ type: 'start', step: 'seal' }], done).message).toMatch(/the ceremony has finished/);
    // A deviation may still be recorded after the end.
    expect(run([{ type: 'deviation', step: '-', who: 'A', why: 'late note', time: 't' }], done).deviations).toHaveLength(1);
  });
});

describe('a completed step never runs again', () => {
  it('start, performed, failed, attest and complete on a done step are refused (it is no longer current)', () => {
    const s = run(roomDone);
    expect(s.current).toBe(1);
    for (const ev of [
      { type: 'start', step: 'room' }, { type: 'performed', step: 'room', facts: [] }, { type: 'failed', step: 'room', error: { code: 'X', message: 'm' } },
      { type: 'attest', step: 'room', witness: 'W1' }, { type: 'complete', step: 'room' },
    ] as EngineEvent[]) {
      expect(refusal([ev], s).message, ev.type).toMatch(/the current step is "gen"/);
    }
  });

  it('a step is started only once while active or performed', () => {
    expect(refusal([{ type: 'start', step: 'room' }, { type: 'start', step: 'room' }]).message).toBe('"start" on step "room" refused: the step is active.');
    expect(refusal([{ type: 'start', step: 'room' }, { type: 'performed', step: 'room', facts: [] }, { type: 'start', step: 'room' }]).message).toMatch(/the step is performed/);
  });
});

describe('an irreversible step that failed', () => {
  it('with its intent still open is never started again: the intent is reconciled, not repeated', () => {
    const s = run([...genStarted, { type: 'intent', step: 'gen', opId: 'op1', operation: 'generateKeyPair' }, fail]);
    expect(s.steps[1]?.status).toBe('failed');
    expect(s.steps[1]?.intents.map((o) => o.outcome)).toEqual(['open']);
    expect(refusal([{ type: 'start', step: 'gen' }], s).message).toMatch(/an irreversible operation of this step already reached the token; it is reconciled, never repeated/);
  });

  it('with its operation done is never started again', () => {
    const s = run([...genStarted, { type: 'intent', step: 'gen', opId: 'op1' }, { type: 'op-result', step: 'gen', opId: 'op1', ok: true }, fail]);
    expect(refusal([{ type: 'start', step: 'gen' }], s).message).toMatch(/never repeated/);
  });

  it('whose every operation failed may start again: a new attempt, error and facts cleared', () => {
    const s = run([...genStarted, { type: 'intent', step: 'gen', opId: 'op1' }, { type: 'op-result', step: 'gen', opId: 'op1', ok: false }, fail]);
    expect(s.steps[1]).toMatchObject({ status: 'failed', error: { code: 'TOKEN_HOST_STOPPED', message: 'host stopped' }, attempt: 1 });
    const again = run([{ type: 'start', step: 'gen' }], s);
    expect(again.steps[1]).toMatchObject({ status: 'active', error: null, facts: [], attempt: 2 });
    // The failed operation may be announced again in the new attempt.
    const reannounced = run([{ type: 'intent', step: 'gen', opId: 'op1', operation: 'generateKeyPair' }], again);
    expect(reannounced.steps[1]?.intents.map((o) => [o.opId, o.outcome, o.attempt])).toEqual([['op1', 'failed', 1], ['op1', 'open', 2]]);
  });

  it('that never reached the token may start again', () => {
    const s = run([...genStarted, fail, { type: 'start', step: 'gen' }]);
    expect(s.steps[1]).toMatchObject({ status: 'active', attempt: 2 });
  });
});

describe('a reversible step that failed', () => {
  it('may start again even after an operation succeeded', () => {
    const s = run([{ type: 'start', step: 'room' }, { type: 'intent', step: 'room', opId: 'r1' }, { type: 'op-result', step: 'room', opId: 'r1', ok: true },
      { type: 'failed', step: 'room', error: { code: 'X', message: 'm' } }, { type: 'start', step: 'room' }]);
    expect(s.steps[0]).toMatchObject({ status: 'active', attempt: 2, error: null });
  });
});

describe('intents', () => {
  it('are recorded with operation, detail and attempt; defaults when left out', () => {
    const s = run([...genStarted, { type: 'intent', step: 'gen', opId: 'op1', operation: 'generateKeyPair', detail: { ckaId: 'ab' } }, { type: 'intent', step: 'gen', opId: 'op2' }]);
    expect(s.steps[1]?.intents).toEqual([
      { opId: 'op1', operation: 'generateKeyPair', detail: { ckaId: 'ab' }, outcome: 'open', attempt: 1 },
      { opId: 'op2', operation: '', detail: {}, outcome: 'open', attempt: 1 },
    ]);
  });

  it('only on an active step, and each operation once', () => {
    expect(refusal([{ type: 'intent', step: 'room', opId: 'x' }]).message).toBe('"intent" on step "room" refused: the step is pending.');
    expect(refusal([...genStarted, { type: 'intent', step: 'gen', opId: 'op1' }, { type: 'intent', step: 'gen', opId: 'op1' }]).message).toMatch(/operation op1 was already announced/);
    expect(refusal([...genStarted, { type: 'intent', step: 'gen', opId: 'op1' }, { type: 'op-result', step: 'gen', opId: 'op1', ok: true }, { type: 'intent', step: 'gen', opId: 'op1' }]).message).toMatch(/already announced/);
  });

  it('a result closes its open intent, ok or failed; a result with no open intent is refused', () => {
    const withTwo = [...genStarted, { type: 'intent', step: 'gen', opId: 'a' }, { type: 'intent', step: 'gen', opId: 'b' }] as EngineEvent[];
    const s = run([...withTwo, { type: 'op-result', step: 'gen', opId: 'b', ok: false }, { type: 'op-result', step: 'gen', opId: 'a', ok: true }]);
    expect(s.steps[1]?.intents.map((o) => [o.opId, o.outcome])).toEqual([['a', 'ok'], ['b', 'failed']]);
    expect(refusal([...genStarted, { type: 'op-result', step: 'gen', opId: 'a', ok: true }]).message).toBe('"op-result" on step "gen" refused: no open intent a.');
    expect(refusal([...withTwo, { type: 'op-result', step: 'gen', opId: 'a', ok: true }, { type: 'op-result', step: 'gen', opId: 'a', ok: true }]).message).toMatch(/no open intent a/);
  });

  it('intentsOf gives the current attempt\'s intents of one operation, optionally of one outcome', () => {
    const s = run([...genStarted, { type: 'intent', step: 'gen', opId: 'a', operation: 'gen' }, { type: 'op-result', step: 'gen', opId: 'a', ok: false }, fail,
      { type: 'start', step: 'gen' }, { type: 'intent', step: 'gen', opId: 'b', operation: 'gen' }, { type: 'intent', step: 'gen', opId: 'c', operation: 'other' },
      { type: 'intent', step: 'gen', opId: 'd', operation: 'gen' }, { type: 'op-result', step: 'gen', opId: 'd', ok: true }]);
    const step = s.steps[1]!;
    expect(intentsOf(step, 'gen').map((o) => o.opId)).toEqual(['b', 'd']);
    expect(intentsOf(step, 'gen', 'open').map((o) => o.opId)).toEqual(['b']);
    expect(intentsOf(step, 'gen', 'ok').map((o) => o.opId)).toEqual(['d']);
    expect(intentsOf(step, 'gen', 'failed')).toEqual([]);
    expect(intentsOf(step, 'other').map((o) => o.opId)).toEqual(['c']);
  });
});

describe('performing, failing, attesting, completing', () => {
  it('performed: only an active step with no open intent; records its facts', () => {
    expect(refusal([{ type: 'performed', step: 'room', facts: [] }]).message).toBe('"performed" on step "room" refused: the step is pending.');
    expect(refusal([...genStarted, { type: 'intent', step: 'gen', opId: 'op9' }, { type: 'performed', step: 'gen', facts: [] }]).message).toBe('"performed" on step "gen" refused: operation op9 has an intent and no result.');
    const facts = [{ label: 'Key id', value: 'ab', mono: true }];
    expect(run([...genStarted, { type: 'performed', step: 'gen', facts }]).steps[1]).toMatchObject({ status: 'performed', facts });
  });

  it('failed: only an active step; records the error', () => {
    expect(refusal([{ type: 'failed', step: 'room', error: { code: 'X', message: 'm' } }]).message).toBe('"failed" on step "room" refused: the step is pending.');
    expect(refusal([{ type: 'start', step: 'room' }, { type: 'performed', step: 'room', facts: [] }, { type: 'failed', step: 'room', error: { code: 'X', message: 'm' } }]).message).toMatch(/the step is performed/);
  });

  it('attest: only once performed, only a listed witness, each once', () => {
    expect(refusal([...genStarted, { type: 'attest', step: 'gen', witness: 'W1' }]).message).toBe('"attest" on step "gen" refused: witnesses attest a step once its action is performed.');
    const performed = [...genStarted, { type: 'performed', step: 'gen', facts: [] }] as EngineEvent[];
    expect(refusal([...performed, { type: 'attest', step: 'gen', witness: 'Mallory' }]).message).toMatch(/Mallory is not listed to attest this step/);
    expect(refusal([...performed, { type: 'attest', step: 'gen', witness: 'W2' }, { type: 'attest', step: 'gen', witness: 'W2' }]).message).toMatch(/W2 already attested/);
    const s = run([...performed, { type: 'attest', step: 'gen', witness: 'W2' }]);
    expect(s.steps[1]?.attested).toEqual(['W2']);
    expect(pendingAttesters(s.steps[1]!)).toEqual(['W1']);
  });

  it('complete: only once performed and every listed witness attested; moves to the next step', () => {
    expect(refusal([...genStarted, { type: 'complete', step: 'gen' }]).message).toBe('"complete" on step "gen" refused: the step is active.');
    const performed = [...genStarted, { type: 'performed', step: 'gen', facts: [] }] as EngineEvent[];
    expect(refusal([...performed, { type: 'complete', step: 'gen' }]).message).toMatch(/still waiting for W1, W2 to attest/);
    expect(pendingAttesters(run(performed).steps[1]!)).toEqual(['W1', 'W2']);
    const s = run([...performed, { type: 'attest', step: 'gen', witness: 'W1' }, { type: 'attest', step: 'gen', witness: 'W2' }, { type: 'complete', step: 'gen' }]);
    expect(s.current).toBe(2);
    expect(s.steps[1]?.status).toBe('done');
    expect(s.steps[2]?.status).toBe('pending');
  });

  it('a step with no attesters completes as soon as it is performed', () => {
    const s = run([{ type: 'start', step: 'seal' }, { type: 'performed', step: 'seal', facts: [] }, { type: 'complete', step: 'seal' }], initialState([steps[2]!]));
    expect(s.current).toBeNull();
  });
});

describe('deviations', () => {
  it('are recorded in order, on any step, without moving the run', () => {
    const s = run([...roomDone, { type: 'deviation', step: 'gen', who: 'A', why: 'one', time: 't1' }, { type: 'deviation', step: 'room', who: 'B', why: 'two', time: 't2' }]);
    expect(s.deviations).toEqual([{ step: 'gen', who: 'A', why: 'one', time: 't1' }, { step: 'room', who: 'B', why: 'two', time: 't2' }]);
    expect(s.current).toBe(1);
    expect(s.steps.map((x) => x.status)).toEqual(['done', 'pending', 'pending']);
  });
});
