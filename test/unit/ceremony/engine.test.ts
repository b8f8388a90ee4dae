import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { initialState, reduce, type EngineEvent, type EngineState } from '../../../electron/core/ceremony/engine';
import type { ScriptStep } from '../../../electron/core/ceremony/script-schema';

const steps: ScriptStep[] = [
  { id: 'room', instruction: 'i', action: 'confirm', attest: ['W1'] },
  { id: 'gen', instruction: 'i', action: 'generate-key', attest: ['W1', 'W2'] },
  { id: 'seal', instruction: 'i', action: 'seal', attest: [] },
];

function run(events: EngineEvent[]): EngineState {
  return events.reduce(reduce, initialState(steps));
}

const happy: EngineEvent[] = [
  { type: 'start', step: 'room' }, { type: 'performed', step: 'room', facts: [] }, { type: 'attest', step: 'room', witness: 'W1' }, { type: 'complete', step: 'room' },
  { type: 'start', step: 'gen' }, { type: 'intent', step: 'gen', opId: 'op1' }, { type: 'op-result', step: 'gen', opId: 'op1', ok: true },
  { type: 'performed', step: 'gen', facts: [{ label: 'Key id', value: 'ab' }] }, { type: 'attest', step: 'gen', witness: 'W2' }, { type: 'attest', step: 'gen', witness: 'W1' },
  { type: 'complete', step: 'gen' }, { type: 'start', step: 'seal' }, { type: 'performed', step: 'seal', facts: [] }, { type: 'complete', step: 'seal' },
];

describe('step engine', () => {
  it('runs the steps in order to the end', () => {
    const s = run(happy);
    expect(s.current).toBeNull();
    expect(s.steps.map((x) => x.status)).toEqual(['done', 'done', 'done']);
    expect(s.steps[1]?.facts).toEqual([{ label: 'Key id', value: 'ab' }]);
  });

  it('refuses to skip or reorder steps', () => {
    expect(() => run([{ type: 'start', step: 'gen' }])).toThrow(/current step is "room"/);
    expect(() => run([...happy.slice(0, 4), { type: 'start', step: 'room' }])).toThrow(/current step is "gen"/);
  });

  it('does not complete a step before every listed witness attests', () => {
    expect(() => run([...happy.slice(0, 8), { type: 'attest', step: 'gen', witness: 'W2' }, { type: 'complete', step: 'gen' }])).toThrow(/W1/);
    expect(() => run([...happy.slice(0, 8), { type: 'attest', step: 'gen', witness: 'Mallory' }])).toThrow(/not listed/);
  });

  it('does not perform a step while an intent has no result', () => {
    expect(() => run([...happy.slice(0, 6), { type: 'performed', step: 'gen', facts: [] }])).toThrow(/intent and no result/);
  });

  it('never restarts an irreversible step whose token operation succeeded', () => {
    const failedAfterOp: EngineEvent[] = [...happy.slice(0, 7), { type: 'failed', step: 'gen', error: { code: 'X', message: 'm' } }];
    expect(run(failedAfterOp).steps[1]?.status).toBe('failed');
    expect(() => run([...failedAfterOp, { type: 'start', step: 'gen' }])).toThrow(/never repeated/);
    // A reversible step may be retried after failing.
    const s = run([{ type: 'start', step: 'room' }, { type: 'failed', step: 'room', error: { code: 'X', message: 'm' } }, { type: 'start', step: 'room' }]);
    expect(s.steps[0]?.status).toBe('active');
  });

  it('records deviations with who and why without moving the step', () => {
    const s = run([...happy.slice(0, 2), { type: 'deviation', step: 'room', who: 'Alice', why: 'fire alarm test' , time: '2026-01-01T00:00:00.000Z' }]);
    expect(s.deviations).toEqual([{ step: 'room', who: 'Alice', why: 'fire alarm test', time: '2026-01-01T00:00:00.000Z' }]);
    expect(s.current).toBe(0);
  });

  it('never moves the current step backwards, whatever events arrive (property)', () => {
    const all: EngineEvent[] = [...happy, { type: 'failed', step: 'gen', error: { code: 'X', message: 'm' } }, { type: 'start', step: 'room' }];
    fc.assert(fc.property(fc.array(fc.constantFrom(...all), { maxLength: 40 }), (events) => {
      let s = initialState(steps);
      for (const e of events) {
        const before = s.current ?? Infinity;
        try { s = reduce(s, e); } catch { continue; }
        expect(s.current ?? Infinity).toBeGreaterThanOrEqual(before);
      }
    }));
  });
});
