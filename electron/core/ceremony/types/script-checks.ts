/**
 * The rules every script keeps whatever its type: who may do what, step ids, the required steps in
 * order, the sections its steps need; and against the policy, the key class, witnesses, quorum and
 * the certificate and CRL profiles. Each type's own rules are in its file.
 */
import type { KeyClassPolicy } from '../policy-schema';
import { profileIssues } from '../profile-check';
import { shareDeliveryIssues } from '../delivery-policy';
import type { CeremonyScript } from '../script-schema';
import type { CeremonyTypeDef, RuleIssue, ScriptCore } from './define';
import { keyAlgorithmRule } from './key-rules';
import type { StepAction } from './script-common';

const issue = (path: (string | number)[], message: string, code: string): RuleIssue => ({ path, message, code });

/** Steps that need a section of the script (a type's own section, such as sign-tuf-root's `tuf`, included). */
const STEP_SECTIONS: [StepAction, keyof ScriptCore | 'tuf'][] = [
  ['backup', 'backup'], ['reshare', 'backup'], ['self-sign-root', 'certificate'], ['sign-certificate', 'certificate'],
  ['sign-certificate', 'signing'], ['sign-crl', 'signing'], ['sign-artifact', 'signing'],
  ['cross-sign', 'certificate'], ['sign-dnskey', 'dnssec'], ['sign-tuf-root', 'tuf'],
];

function participantIssues(script: ScriptCore): RuleIssue[] {
  const issues: RuleIssue[] = [];
  const people = new Map(script.participants.map((p) => [p.name, p.role]));
  script.participants.forEach((p, i) => {
    if (script.participants.findIndex((q) => q.name === p.name) !== i) issues.push(issue(['participants', i, 'name'], `"${p.name}" is listed twice`, 'DUPLICATE'));
  });
  script.participants.forEach((p, i) => {
    if (p.key === undefined) return;
    if (p.role !== 'witness') issues.push(issue(['participants', i, 'key'], `"${p.name}" is a${p.role === 'administrator' || p.role === 'auditor' ? 'n' : ''} ${p.role}: only witnesses cosign checkpoints with a key`, 'INVALID_VALUE'));
    else if (script.participants.findIndex((q) => q.key === p.key) !== i) issues.push(issue(['participants', i, 'key'], `"${p.name}" has the same key as another witness: each witness cosigns with their own key`, 'DUPLICATE'));
  });
  if (![...people.values()].includes('administrator')) issues.push(issue(['participants'], 'no administrator listed', 'MISSING_ROLE'));
  const seen = new Set<string>();
  script.steps.forEach((s, i) => {
    if (seen.has(s.id)) issues.push(issue(['steps', i, 'id'], `step id "${s.id}" is used twice`, 'DUPLICATE'));
    seen.add(s.id);
    s.attest.forEach((who, j) => {
      if (!people.has(who)) issues.push(issue(['steps', i, 'attest', j], `"${who}" is not a participant`, 'UNKNOWN_PARTICIPANT'));
    });
  });
  script.backup?.custodians.forEach((c, i) => {
    if (people.get(c.name) !== 'custodian') issues.push(issue(['backup', 'custodians', i, 'name'], `"${c.name}" is not a participant with the custodian role`, 'UNKNOWN_PARTICIPANT'));
  });
  return issues;
}

/** The type's required steps, each present and in the type's order; the seal last. */
export function requiredStepIssues(def: CeremonyTypeDef, script: ScriptCore): RuleIssue[] {
  const issues: RuleIssue[] = [];
  const actions = script.steps.map((s) => s.action);
  let last = -1;
  for (const need of def.steps) {
    const at = actions.indexOf(need);
    if (at < 0) issues.push(issue(['steps'], `a ${def.type} ceremony needs a step with action "${need}"`, 'MISSING_STEP'));
    else if (at < last) issues.push(issue(['steps', at, 'action'], `step "${need}" comes too early: the required order is ${def.steps.join(' -> ')}`, 'STEP_ORDER'));
    else last = at;
  }
  if (actions[actions.length - 1] !== 'seal') issues.push(issue(['steps', actions.length - 1], 'the last step must be "seal"', 'STEP_ORDER'));
  return issues;
}

function stepSectionIssues(script: ScriptCore): RuleIssue[] {
  const issues: RuleIssue[] = [];
  const actions = script.steps.map((s) => s.action);
  for (const [action, field] of STEP_SECTIONS) {
    if (actions.includes(action) && (script as Record<string, unknown>)[field] === undefined) issues.push(issue([], `a "${action}" step needs the "${field}" section`, 'MISSING_SECTION'));
  }
  const attestAt = actions.indexOf('verify-attestation');
  if (attestAt >= 0 && !(actions.indexOf('generate-key') >= 0 && actions.indexOf('generate-key') < attestAt)) issues.push(issue(['steps', attestAt, 'action'], 'verify-attestation checks the key generated in this ceremony: put it after a generate-key step', 'STEP_ORDER'));
  return issues;
}

function inputIssues(script: ScriptCore): RuleIssue[] {
  const actions = script.steps.map((s) => s.action);
  const issues: RuleIssue[] = [];
  if (actions.includes('sign-certificate') && !script.signing?.csr) issues.push(issue(['signing'], 'sign-certificate needs signing.csr', 'MISSING_SECTION'));
  if (actions.includes('sign-artifact') && !script.signing?.artifact) issues.push(issue(['signing'], 'sign-artifact needs signing.artifact', 'MISSING_SECTION'));
  return issues;
}

/** Every inconsistency of a parsed script: the shared rules, then its type's steps and own rules. */
export function scriptIssues(def: CeremonyTypeDef, script: ScriptCore): RuleIssue[] {
  return [
    ...participantIssues(script), ...requiredStepIssues(def, script), ...stepSectionIssues(script),
    ...(def.scriptRules ?? []).flatMap((rule) => rule(script)), ...inputIssues(script),
  ];
}

/** The policy rules every type keeps, in the order they are reported (the type's own come after). */
export function commonPolicyIssues(script: CeremonyScript, cls: KeyClassPolicy): RuleIssue[] {
  const issues: RuleIssue[] = [...keyAlgorithmRule('key')(script, cls)];
  const witnesses = script.participants.filter((p) => p.role === 'witness').length;
  if (witnesses < cls.minWitnesses) issues.push(issue(['participants'], `${witnesses} witness(es) listed; policy requires at least ${cls.minWitnesses} for ${script.key.class} keys`, 'POLICY_WITNESSES'));
  if (cls.witnessKeysRequired) {
    script.participants.forEach((p, i) => {
      if (p.role === 'witness' && !p.key) issues.push(issue(['participants', i], `witness "${p.name}" has no key; policy requires witnesses of ${script.key.class} ceremonies to cosign with their own key`, 'POLICY_WITNESS_KEYS'));
    });
  }
  if (script.backup) {
    if (script.backup.k < cls.minK) issues.push(issue(['backup', 'k'], `k is ${script.backup.k}; policy requires at least ${cls.minK}`, 'POLICY_QUORUM'));
    if (script.backup.n < cls.minN) issues.push(issue(['backup', 'n'], `n is ${script.backup.n}; policy requires at least ${cls.minN}`, 'POLICY_QUORUM'));
  }
  // The CA/B Forum's certificate and CRL profiles are policy too: refused before the day, naming the rule.
  for (const p of profileIssues(script)) issues.push(issue(p.path, p.message, 'PROFILE_VIOLATION'));
  // Post-quantum share delivery, where the key class asks for it (delivery-policy.ts).
  for (const p of shareDeliveryIssues(script, cls)) issues.push(issue(p.path, p.message, p.code));
  return issues;
}
