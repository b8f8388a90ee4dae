/**
 * The policy's key-attribute rules (`requiredAttributes`): each names one PKCS#11 attribute and the
 * value the key must show. They describe the key's FINAL state, after the lock; the proof read right
 * after generation is checked only against the rules the lock cannot change.
 */
import type { KeyProof } from '../token/types';

interface AttributeRule {
  /** The attribute as PKCS#11 names it, for messages a person can look up. */
  cka: string;
  field: keyof KeyProof;
  want: boolean;
  /** Says how the key was made: true only of a key generated on this token (never of a restored one). */
  origin?: true;
  /** Made true by the lock (actions/lock.ts), so not yet true of a key still kept extractable for its backup. */
  lock?: true;
}

export const ATTRIBUTE_RULES = {
  local: { cka: 'CKA_LOCAL', field: 'local', want: true, origin: true },
  sensitive: { cka: 'CKA_SENSITIVE', field: 'sensitive', want: true },
  alwaysSensitive: { cka: 'CKA_ALWAYS_SENSITIVE', field: 'alwaysSensitive', want: true, origin: true },
  neverExtractable: { cka: 'CKA_NEVER_EXTRACTABLE', field: 'neverExtractable', want: true, origin: true },
  token: { cka: 'CKA_TOKEN', field: 'token', want: true },
  private: { cka: 'CKA_PRIVATE', field: 'private', want: true },
  notExtractable: { cka: 'CKA_EXTRACTABLE', field: 'extractable', want: false, lock: true },
  notCopyable: { cka: 'CKA_COPYABLE', field: 'copyable', want: false, lock: true },
  notModifiable: { cka: 'CKA_MODIFIABLE', field: 'modifiable', want: false, lock: true },
} as const satisfies Record<string, AttributeRule>;

export type AttributeRuleName = keyof typeof ATTRIBUTE_RULES;

export const PROOF_ATTRIBUTES = Object.keys(ATTRIBUTE_RULES) as [AttributeRuleName, ...AttributeRuleName[]];

export interface FailingAttribute {
  rule: AttributeRuleName;
  attribute: string;
  want: boolean;
  /** What the token reported; null when it did not report the attribute (never counted as a pass). */
  got: boolean | null;
}

/**
 * The required rules the proof breaks. `stage` 'generated': the proof read before the lock (lock
 * rules not yet due); 'final': after it. `restored`: a key unwrapped from its backup, whose origin
 * (CKA_LOCAL...) was proven by the ceremony that generated it and cannot be shown again.
 */
export function failingAttributes(proof: Partial<KeyProof>, required: readonly AttributeRuleName[], opts: { stage: 'generated' | 'final'; restored: boolean }): FailingAttribute[] {
  const out: FailingAttribute[] = [];
  for (const name of required) {
    const rule: AttributeRule = ATTRIBUTE_RULES[name];
    if (rule.lock && opts.stage === 'generated') continue;
    if (rule.origin && opts.restored) continue;
    const got = proof[rule.field];
    if (got !== rule.want) out.push({ rule: name, attribute: rule.cka, want: rule.want, got: typeof got === 'boolean' ? got : null });
  }
  return out;
}

export function describeFailing(failing: readonly FailingAttribute[]): string {
  return failing.map((f) => `${f.attribute} is ${f.got === null ? 'not reported by the token' : String(f.got).toUpperCase()} (policy: ${String(f.want).toUpperCase()})`).join(', ');
}
