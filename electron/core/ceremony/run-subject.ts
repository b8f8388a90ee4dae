/** The key and token a run's irreversible steps act on, for the confirmation that restates them. */
import type { RunSubjectView } from '../../contract/ceremony';
import type { Policy } from './policy-schema';
import type { RunFacts } from './run-facts';
import type { CeremonyScript } from './script-schema';
import { ATTRIBUTE_RULES } from './key-attributes';

export function runSubject(script: CeremonyScript, facts: RunFacts, policy: Policy): RunSubjectView {
  // A rotation's irreversible steps make and then act on the successor once the old key is known.
  const spec = script.type === 'rotate' && script.successor ? script.successor : script.key;
  const known = script.type === 'rotate' ? facts.successor : facts.key;
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
    restored: script.type === 'recovery',
    policyName: policy.name,
  };
}
