/** What a run shows: the engine's state, the need and the facts, mapped to the view the screens and the CLI read. */
import type { ErrorData } from '../util/errors';
import type { JournalEntry } from '../transcript/entry-kinds';
import type { EngineState } from './engine';
import type { RunFacts } from './run-facts';
import { runSubject } from './run-subject';
import type { OpenRunOptions, RunNeed, RunView, StepFact } from './run-types';
import { IRREVERSIBLE_ACTIONS } from './script-schema';

export function runView(o: {
  runId: string; opts: OpenRunOptions; engine: EngineState; facts: RunFacts; entries: readonly JournalEntry[]; need: RunNeed; error: ErrorData | null;
}): RunView {
  const script = o.opts.script.script;
  const steps = script.steps.map((s, i) => {
    const es = o.engine.steps[i]!;
    const status = es.status === 'done' ? 'done' : es.status === 'failed' ? 'failed' : i === o.engine.current ? 'current' : 'pending';
    return { id: s.id, index: i, action: s.action, instruction: s.instruction, status, irreversible: IRREVERSIBLE_ACTIONS.has(s.action), attest: [...s.attest], attested: [...es.attested], facts: es.facts as StepFact[] } as RunView['steps'][number];
  });
  const handedOff = o.entries.filter((e) => e.kind === 'share.verified' && (e.data as { ok?: boolean }).ok).map((e) => (e.data as { custodian: string }).custodian);
  return {
    runId: o.runId, ceremonyId: script.id, title: script.title, purpose: script.purpose, type: script.type,
    rehearsal: o.opts.rehearsal, outDir: o.opts.outDir, participants: script.participants.map((p) => ({ ...p })), steps,
    current: o.engine.current, need: o.need, error: o.error, deviations: [...o.engine.deviations], handedOff,
    subject: runSubject(script, o.facts, o.opts.policy),
  };
}
