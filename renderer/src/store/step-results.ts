/**
 * Which finished step's result the room must see before the next step: a step that ended without
 * witnesses attesting it (they would have seen its result on the attest screen) moves main on at
 * once, so the screen holds its result until the administrator acknowledges it. Only a transition
 * seen in this window counts: a reloaded or resumed run does not ask again for old steps.
 */
import type { CeremonyView } from '../api';
import type { SliceCreator } from './slice';

export interface StepResultsSlice {
  /** A finished step whose result is shown until acknowledged. */
  heldResultStep: number | null;
  /** A finished step reopened from the step list to read its result again. */
  reviewedStep: number | null;
  acknowledgeResult(): void;
  reviewStep(index: number | null): void;
}

export const STEP_RESULTS_CLEARED: Pick<StepResultsSlice, 'heldResultStep' | 'reviewedStep'> = { heldResultStep: null, reviewedStep: null };

export function resultToAcknowledge(prev: CeremonyView | null, next: CeremonyView, pending: number | null): number | null {
  if (!prev || prev.runId !== next.runId) return null;
  let found = pending;
  for (const step of next.steps) {
    const before = prev.steps[step.index];
    const justDone = step.status === 'done' && before?.status !== 'done';
    // A manual step's result is the confirmation just given: nothing new to see.
    if (justDone && step.action !== 'confirm' && step.attest.length === 0 && step.facts.length > 0 && next.current !== null) found = step.index;
  }
  return found;
}

export const createStepResultsSlice: SliceCreator<StepResultsSlice> = (set) => ({
  ...STEP_RESULTS_CLEARED,
  acknowledgeResult: () => set({ heldResultStep: null }),
  reviewStep: (index) => set({ reviewedStep: index }),
});
