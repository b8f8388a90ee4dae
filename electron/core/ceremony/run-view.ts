/**
 * The one module that maps the run's domain state (engine, facts, script) to the IPC contract's view
 * types, and the one place core/ceremony names a contract type: the need, input and share types the
 * screens and the runner exchange are the contract's own, named here so they cannot drift apart.
 */
import type { ErrorData } from '../util/errors';
import type { JournalEntry } from '../transcript/entry-kinds';
import type {
  CeremonyInput, CeremonyNeed, CeremonyStepView, CeremonyView, ProgressEvent, RecipientView, RevealedShare, RunSubjectView, ShareInput as EnteredShare,
} from '../../contract/index';
import type { EngineState } from './engine';
import type { RunFacts } from './run-facts';
import type { Policy } from './policy-schema';
import { IRREVERSIBLE_ACTIONS, type CeremonyScript } from './script-schema';
import { ATTRIBUTE_RULES } from './key-attributes';
import { CEREMONY_TYPE_DEFS, makesSuccessor } from './types/index';

export type RunView = CeremonyView;
/** What the current step waits for, one kind per screen. */
export type RunNeed = CeremonyNeed;
/** What the people in the room give for the current need. */
export type RunInput = CeremonyInput;
export type { EnteredShare, ProgressEvent, RecipientView, RevealedShare };

export interface RunViewSource {
  runId: string;
  script: CeremonyScript;
  policy: Policy;
  rehearsal: boolean;
  outDir: string;
  engine: EngineState;
  facts: RunFacts;
  entries: readonly JournalEntry[];
  need: RunNeed;
  error: ErrorData | null;
}

export function runView(o: RunViewSource): RunView {
  const script = o.script;
  const steps = script.steps.map((s, i): CeremonyStepView => {
    const es = o.engine.steps[i]!;
    const status = es.status === 'done' ? 'done' : es.status === 'failed' ? 'failed' : i === o.engine.current ? 'current' : 'pending';
    return { id: s.id, index: i, action: s.action, instruction: s.instruction, status, irreversible: IRREVERSIBLE_ACTIONS.has(s.action), attest: [...s.attest], attested: [...es.attested], facts: es.facts };
  });
  const handedOff = o.entries.filter((e) => e.kind === 'share.verified' && (e.data as { ok?: boolean }).ok).map((e) => (e.data as { custodian: string }).custodian);
  return {
    runId: o.runId, ceremonyId: script.id, title: script.title, purpose: script.purpose, type: script.type,
    rehearsal: o.rehearsal, outDir: o.outDir, participants: script.participants.map((p) => ({ ...p })), steps,
    current: o.engine.current, need: o.need, error: o.error, deviations: [...o.engine.deviations], handedOff,
    subject: runSubject(script, o.facts, o.policy),
  };
}

/** The key and token a run's irreversible steps act on, for the confirmation that restates them. */
function runSubject(script: CeremonyScript, facts: RunFacts, policy: Policy): RunSubjectView {
  // A rotation's irreversible steps make and then act on the successor once the old key is known.
  const successor = makesSuccessor(script.type);
  const spec = successor && script.successor ? script.successor : script.key;
  const known = successor ? facts.successor : facts.key;
  return {
    keyLabel: known?.label ?? spec.label,
    algorithm: known?.algorithm ?? spec.algorithm,
    keyClass: spec.class,
    fingerprint: known?.fingerprint ?? null,
    tokenLabel: facts.token?.label ?? script.token.label ?? null,
    tokenSerial: facts.token?.serial ?? script.token.serial ?? null,
    attributeRules: (policy.classes[spec.class]?.requiredAttributes ?? []).map((name) => {
      const r: { cka: string; field: string; want: boolean; lock?: true; origin?: true } = ATTRIBUTE_RULES[name];
      return { name, attribute: r.cka, field: r.field, want: r.want, atLock: r.lock === true, origin: r.origin === true };
    }),
    restored: CEREMONY_TYPE_DEFS[script.type].newKey?.how === 'restored',
    policyName: policy.name,
  };
}
