/**
 * Loading a script or a policy: YAML with located issues, the script's type schema, the shared
 * rules and its type's own (types/), then the policy. No rule here is about one type.
 */
import { readFileSync } from 'node:fs';
import { KeyriteError } from '../util/errors';
import { scriptSchema, type CeremonyScript } from './script-schema';
import { assertNoPins } from './script-pins';
import { policySchema, type Policy } from './policy-schema';
import { CEREMONY_TYPE_DEFS } from './types/index';
import type { RuleIssue } from './types/define';
import { commonPolicyIssues, scriptIssues } from './types/script-checks';
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

function fail(code: string, what: string, file: string, issues: SourceIssue[], action: string): never {
  throw new KeyriteError(code, `${what} ${file}:\n${renderIssues(issues, file)}`, { action, details: { file, issues } });
}

function issueAt(source: ParsedYaml, path: (string | number)[], message: string, code: string): SourceIssue {
  return { path: formatPath(path), ...locate(source, path), message, code };
}

const located = (source: ParsedYaml, issues: RuleIssue[]): SourceIssue[] => issues.map((i) => issueAt(source, i.path, i.message, i.code));

/** Parses and validates a script's structure (schema and internal consistency), without policy. */
export function parseScript(text: string, file = 'script.yaml'): LoadedScript {
  const source = parseYamlSource(text, file);
  assertNoPins(source);
  const result = scriptSchema.safeParse(source.value);
  if (!result.success) fail('SCRIPT_INVALID', 'The ceremony script is not valid:', file, zodIssues(source, result.error), 'Fix each field shown, then check the script again.');
  const script: CeremonyScript = result.data;
  const issues = located(source, scriptIssues(CEREMONY_TYPE_DEFS[script.type], script));
  if (issues.length > 0) fail('SCRIPT_INVALID', 'The ceremony script is not consistent:', file, issues, 'Fix each field shown, then check the script again.');
  return { script, source, text };
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
  const cls = policy.classes[script.key.class];
  if (!cls) return [issueAt(source, ['key', 'class'], `key class "${script.key.class}" is not in the policy (known: ${Object.keys(policy.classes).join(', ')})`, 'POLICY_CLASS')];
  const rules = CEREMONY_TYPE_DEFS[script.type].policyRules ?? [];
  return located(source, [...commonPolicyIssues(script, cls), ...rules.flatMap((rule) => rule(script, cls))]);
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
