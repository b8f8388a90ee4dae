/** Policy rules about the key a ceremony makes or restores, shared by the types that do (root-keygen, rotate, recovery). */
import type { PolicyRule, RuleIssue, ScriptCore } from './define';

const hasStep = (script: ScriptCore, action: string) => script.steps.some((s) => s.action === action);

/** The algorithm of the key named by `field` must be one the class allows. */
export function keyAlgorithmRule(field: 'key' | 'successor'): PolicyRule<ScriptCore> {
  return (script, cls) => {
    const key = script[field];
    if (!key || cls.algorithms.includes(key.algorithm)) return [];
    return [{ path: [field, 'algorithm'], message: `${key.algorithm} is not allowed for ${script.key.class} keys (allowed: ${cls.algorithms.join(', ')})`, code: 'POLICY_ALGORITHM' }];
  };
}

/** backupRequired: a key made in the ceremony is backed up in the same ceremony. */
export const backupRequiredRule: PolicyRule<ScriptCore> = (script, cls): RuleIssue[] => (cls.backupRequired && !hasStep(script, 'backup')
  ? [{ path: ['steps'], message: `policy requires a backup for ${script.key.class} keys: add a "backup" step`, code: 'POLICY_BACKUP' }]
  : []);

/** A backup wraps the key, after which it is never "never extractable": such a class cannot be backed up. */
export const wrappedKeyRule: PolicyRule<ScriptCore> = (script, cls) => (hasStep(script, 'backup') && cls.requiredAttributes.includes('neverExtractable')
  ? [{ path: ['steps'], message: `policy requires CKA_NEVER_EXTRACTABLE for ${script.key.class} keys, but this script wraps the key for a backup, after which it is never "never extractable" (require notExtractable instead)`, code: 'POLICY_ATTRIBUTES' }]
  : []);

/** attestationRequired: a key made in the ceremony is attested by its device's vendor. */
export const attestationRequiredRule: PolicyRule<ScriptCore> = (script, cls) => (cls.attestationRequired && !hasStep(script, 'verify-attestation')
  ? [{ path: ['steps'], message: `policy requires a vendor attestation for ${script.key.class} keys: add a "verify-attestation" step after generate-key`, code: 'POLICY_ATTESTATION' }]
  : []);

/** The rules of every type that generates a key, in the order they are reported. */
export const generatedKeyRules: readonly PolicyRule<ScriptCore>[] = [backupRequiredRule, wrappedKeyRule, attestationRequiredRule];
