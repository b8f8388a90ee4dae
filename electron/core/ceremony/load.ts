import { readFileSync } from 'node:fs';
import { KeyriteError } from '../util/errors';
import { profileIssues } from './profile-check';
import { shareDeliveryIssues } from './delivery-policy';
import { scriptSchema, type CeremonyScript, type CeremonyType, type StepAction } from './script-schema';
import { assertNoPins } from './script-pins';
import { policySchema, type Policy } from './policy-schema';
import { formatPath, locate, parseYamlSource, renderIssues, zodIssues, type ParsedYaml, type SourceIssue } from './yaml-source';

export interface LoadedScript {
  script: CeremonyScript;
  source: ParsedYaml;
  /** The script's exact bytes: hashed into the transcript so the script run is the script agreed. */
  text: string;
  /** Folder that relative paths (signing.csr, signing.artifact) resolve against; default the file's own. */
  dir?: string;
}

export interface LoadedPolicy {
  policy: Policy;
  source: ParsedYaml;
  text: string;
}

/** The steps a ceremony of each type must contain; the order among them is checked too. */
export const REQUIRED_ACTIONS: Record<CeremonyType, StepAction[]> = {
  'root-keygen': ['air-gap-check', 'login', 'generate-key', 'read-proof', 'export-public-key', 'seal'],
  recovery: ['air-gap-check', 'login', 'recover', 'seal'],
  reshare: ['air-gap-check', 'reshare', 'seal'],
  'sign-intermediate': ['air-gap-check', 'login', 'sign-certificate', 'seal'],
  'sign-crl': ['air-gap-check', 'login', 'sign-crl', 'seal'],
  'sign-artifact': ['air-gap-check', 'login', 'sign-artifact', 'seal'],
  'sign-dnskey': ['air-gap-check', 'login', 'sign-dnskey', 'seal'],
  rotate: ['air-gap-check', 'login', 'generate-key', 'cross-sign', 'deactivate', 'seal'],
  destroy: ['air-gap-check', 'login', 'destroy-keys', 'seal'],
  'check-up': ['air-gap-check', 'check-up', 'seal'],
};

function fail(code: string, what: string, file: string, issues: SourceIssue[], action: string): never {
  throw new KeyriteError(code, `${what} ${file}:\n${renderIssues(issues, file)}`, { action, details: { file, issues } });
}

function issueAt(source: ParsedYaml, path: (string | number)[], message: string, code: string): SourceIssue {
  return { path: formatPath(path), ...locate(source, path), message, code };
}

/** Parses and validates a script's structure (schema and internal consistency), without policy. */
export function parseScript(text: string, file = 'script.yaml'): LoadedScript {
  const source = parseYamlSource(text, file);
  assertNoPins(source);
  const result = scriptSchema.safeParse(source.value);
  if (!result.success) fail('SCRIPT_INVALID', 'The ceremony script is not valid:', file, zodIssues(source, result.error), 'Fix each field shown, then check the script again.');
  const script = result.data;
  const issues = consistencyIssues(script, source);
  if (issues.length > 0) fail('SCRIPT_INVALID', 'The ceremony script is not consistent:', file, issues, 'Fix each field shown, then check the script again.');
  return { script, source, text };
}

function consistencyIssues(script: CeremonyScript, source: ParsedYaml): SourceIssue[] {
  const issues: SourceIssue[] = [];
  const people = new Map(script.participants.map((p) => [p.name, p.role]));
  script.participants.forEach((p, i) => {
    if (script.participants.findIndex((q) => q.name === p.name) !== i) issues.push(issueAt(source, ['participants', i, 'name'], `"${p.name}" is listed twice`, 'DUPLICATE'));
  });
  script.participants.forEach((p, i) => {
    if (p.key === undefined) return;
    if (p.role !== 'witness') issues.push(issueAt(source, ['participants', i, 'key'], `"${p.name}" is a${p.role === 'administrator' || p.role === 'auditor' ? 'n' : ''} ${p.role}: only witnesses cosign checkpoints with a key`, 'INVALID_VALUE'));
    else if (script.participants.findIndex((q) => q.key === p.key) !== i) issues.push(issueAt(source, ['participants', i, 'key'], `"${p.name}" has the same key as another witness: each witness cosigns with their own key`, 'DUPLICATE'));
  });
  if (![...people.values()].includes('administrator')) issues.push(issueAt(source, ['participants'], 'no administrator listed', 'MISSING_ROLE'));
  const seen = new Set<string>();
  script.steps.forEach((s, i) => {
    if (seen.has(s.id)) issues.push(issueAt(source, ['steps', i, 'id'], `step id "${s.id}" is used twice`, 'DUPLICATE'));
    seen.add(s.id);
    s.attest.forEach((who, j) => {
      if (!people.has(who)) issues.push(issueAt(source, ['steps', i, 'attest', j], `"${who}" is not a participant`, 'UNKNOWN_PARTICIPANT'));
    });
  });
  script.backup?.custodians.forEach((c, i) => {
    if (people.get(c.name) !== 'custodian') issues.push(issueAt(source, ['backup', 'custodians', i, 'name'], `"${c.name}" is not a participant with the custodian role`, 'UNKNOWN_PARTICIPANT'));
  });
  const actions = script.steps.map((s) => s.action);
  let last = -1;
  for (const need of REQUIRED_ACTIONS[script.type]) {
    const at = actions.indexOf(need);
    if (at < 0) issues.push(issueAt(source, ['steps'], `a ${script.type} ceremony needs a step with action "${need}"`, 'MISSING_STEP'));
    else if (at < last) issues.push(issueAt(source, ['steps', at, 'action'], `step "${need}" comes too early: the required order is ${REQUIRED_ACTIONS[script.type].join(' -> ')}`, 'STEP_ORDER'));
    else last = at;
  }
  if (actions[actions.length - 1] !== 'seal') issues.push(issueAt(source, ['steps', actions.length - 1], 'the last step must be "seal"', 'STEP_ORDER'));
  const needs: [StepAction, keyof CeremonyScript][] = [
    ['backup', 'backup'], ['reshare', 'backup'], ['self-sign-root', 'certificate'], ['sign-certificate', 'certificate'],
    ['sign-certificate', 'signing'], ['sign-crl', 'signing'], ['sign-artifact', 'signing'],
    ['cross-sign', 'certificate'], ['sign-dnskey', 'dnssec'],
  ];
  for (const [action, field] of needs) {
    if (actions.includes(action) && script[field] === undefined) issues.push(issueAt(source, [], `a "${action}" step needs the "${field}" section`, 'MISSING_SECTION'));
  }
  const attestAt = actions.indexOf('verify-attestation');
  if (attestAt >= 0 && !(actions.indexOf('generate-key') >= 0 && actions.indexOf('generate-key') < attestAt)) issues.push(issueAt(source, ['steps', attestAt, 'action'], 'verify-attestation checks the key generated in this ceremony: put it after a generate-key step', 'STEP_ORDER'));
  if (script.type === 'rotate' && !script.successor) issues.push(issueAt(source, [], 'a rotate ceremony needs the "successor" key section', 'MISSING_SECTION'));
  if (actions.includes('sign-certificate') && !script.signing?.csr) issues.push(issueAt(source, ['signing'], 'sign-certificate needs signing.csr', 'MISSING_SECTION'));
  if (actions.includes('sign-artifact') && !script.signing?.artifact) issues.push(issueAt(source, ['signing'], 'sign-artifact needs signing.artifact', 'MISSING_SECTION'));
  return issues;
}

export function parsePolicy(text: string, file = 'policy.yaml'): LoadedPolicy {
  const source = parseYamlSource(text, file);
  const result = policySchema.safeParse(source.value);
  if (!result.success) fail('POLICY_INVALID', 'The policy file is not valid:', file, zodIssues(source, result.error), 'Fix each field shown.');
  const issues: SourceIssue[] = [];
  for (const [cls, p] of Object.entries(result.data.classes)) {
    if (p.minK > p.minN) issues.push(issueAt(source, ['classes', cls, 'minK'], `minK ${p.minK} exceeds minN ${p.minN}`, 'INVALID_VALUE'));
  }
  if (issues.length > 0) fail('POLICY_INVALID', 'The policy file is not valid:', file, issues, 'Fix each field shown.');
  return { policy: result.data, source, text };
}

/** Every way the script breaks the policy, located in the script. Empty means the script may run. */
export function policyIssues(loaded: LoadedScript, policy: Policy): SourceIssue[] {
  const { script, source } = loaded;
  const issues: SourceIssue[] = [];
  const cls = policy.classes[script.key.class];
  if (!cls) {
    issues.push(issueAt(source, ['key', 'class'], `key class "${script.key.class}" is not in the policy (known: ${Object.keys(policy.classes).join(', ')})`, 'POLICY_CLASS'));
    return issues;
  }
  const keys: ['key' | 'successor', typeof script.key][] = [['key', script.key]];
  if (script.successor) keys.push(['successor', script.successor]);
  for (const [field, key] of keys) {
    if (!cls.algorithms.includes(key.algorithm)) {
      issues.push(issueAt(source, [field, 'algorithm'], `${key.algorithm} is not allowed for ${script.key.class} keys (allowed: ${cls.algorithms.join(', ')})`, 'POLICY_ALGORITHM'));
    }
  }
  const witnesses = script.participants.filter((p) => p.role === 'witness').length;
  if (witnesses < cls.minWitnesses) {
    issues.push(issueAt(source, ['participants'], `${witnesses} witness(es) listed; policy requires at least ${cls.minWitnesses} for ${script.key.class} keys`, 'POLICY_WITNESSES'));
  }
  if (cls.witnessKeysRequired) {
    script.participants.forEach((p, i) => {
      if (p.role === 'witness' && !p.key) issues.push(issueAt(source, ['participants', i], `witness "${p.name}" has no key; policy requires witnesses of ${script.key.class} ceremonies to cosign with their own key`, 'POLICY_WITNESS_KEYS'));
    });
  }
  if (script.backup) {
    if (script.backup.k < cls.minK) issues.push(issueAt(source, ['backup', 'k'], `k is ${script.backup.k}; policy requires at least ${cls.minK}`, 'POLICY_QUORUM'));
    if (script.backup.n < cls.minN) issues.push(issueAt(source, ['backup', 'n'], `n is ${script.backup.n}; policy requires at least ${cls.minN}`, 'POLICY_QUORUM'));
  }
  // The CA/B Forum's certificate and CRL profiles are policy too: refused before the day, naming the rule.
  for (const p of profileIssues(script)) issues.push(issueAt(source, p.path, p.message, 'PROFILE_VIOLATION'));
  for (const p of shareDeliveryIssues(script, cls)) issues.push(issueAt(source, p.path, p.message, p.code));
  const makesKey = script.type === 'root-keygen' || script.type === 'rotate';
  if (makesKey && cls.backupRequired && !script.steps.some((s) => s.action === 'backup')) {
    issues.push(issueAt(source, ['steps'], `policy requires a backup for ${script.key.class} keys: add a "backup" step`, 'POLICY_BACKUP'));
  }
  const wraps = script.steps.some((s) => s.action === 'backup') && (makesKey || script.steps.some((s) => s.action === 'recover'));
  if (wraps && cls.requiredAttributes.includes('neverExtractable')) {
    issues.push(issueAt(source, ['steps'], `policy requires CKA_NEVER_EXTRACTABLE for ${script.key.class} keys, but this script wraps the key for a backup, after which it is never "never extractable" (require notExtractable instead)`, 'POLICY_ATTRIBUTES'));
  }
  if (makesKey && cls.attestationRequired && !script.steps.some((s) => s.action === 'verify-attestation')) {
    issues.push(issueAt(source, ['steps'], `policy requires a vendor attestation for ${script.key.class} keys: add a "verify-attestation" step after generate-key`, 'POLICY_ATTESTATION'));
  }
  return issues;
}

/** Refuses a script that breaks policy, with every issue located by YAML path and line. */
export function assertScriptWithinPolicy(loaded: LoadedScript, policy: Policy): void {
  const issues = policyIssues(loaded, policy);
  if (issues.length > 0) fail('SCRIPT_POLICY_VIOLATION', 'The ceremony script breaks the policy:', loaded.source.file, issues, 'Change the script (or have the security officer change the policy), then check again.');
}

export function loadScriptFile(file: string): LoadedScript {
  return parseScript(readText(file), file);
}

export function loadPolicyFile(file: string): LoadedPolicy {
  return parsePolicy(readText(file), file);
}

function readText(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    throw new KeyriteError('FILE_UNREADABLE', `Cannot read ${file}: ${(e as Error).message}`, { action: 'Check the path.' });
  }
}
