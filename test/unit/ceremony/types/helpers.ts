/**
 * Shared checks for the ceremony type tests (one file per type, test/unit/ceremony/types/): each
 * starts from the type's template, changes one thing, and expects the refusal with its code.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { assertScriptWithinPolicy, parsePolicy, parseScript, type LoadedScript } from '../../../../electron/core/ceremony/load';
import type { Policy } from '../../../../electron/core/ceremony/policy-schema';
import { CEREMONY_TYPE_DEFS, type CeremonyType } from '../../../../electron/core/ceremony/types/index';
import { SCRIPT_SECTIONS, type ScriptSection } from '../../../../electron/core/ceremony/types/script-sections';
import type { SourceIssue } from '../../../../electron/core/ceremony/yaml-source';
import { thrownKeyriteError } from '../../../helpers/keyrite-error';

export const ROOT = path.resolve(__dirname, '../../../..');
export const TEMPLATES = path.join(ROOT, 'resources/ceremonies');

/** A script as plain data, to change and write back as YAML. */
export type ScriptData = Record<string, unknown> & { steps: { id: string; action: string; instruction: string; attest?: string[] }[] };

export const templateData = (name: string): ScriptData => parse(readFileSync(path.join(TEMPLATES, `${name}.yaml`), 'utf8')) as ScriptData;
export const scriptText = (data: ScriptData): string => stringify(data);

/** The default policy, with `change` applied to the data of the root class first. */
export function rootPolicy(change: (root: Record<string, unknown>) => void = () => undefined): Policy {
  const data = parse(readFileSync(path.join(ROOT, 'resources/policy/default.yaml'), 'utf8')) as { classes: Record<string, Record<string, unknown>> };
  change(data.classes.root!);
  return parsePolicy(stringify(data)).policy;
}

/** The refusal `fn` throws: its code and located issues. */
export function refusal(fn: () => unknown): { code: string; issues: SourceIssue[] } {
  const e = thrownKeyriteError(fn);
  return { code: e.code, issues: (e.details?.issues ?? []) as SourceIssue[] };
}

export const load = (data: ScriptData): LoadedScript => parseScript(scriptText(data), 's.yaml');
export const policyRefusal = (data: ScriptData, policy: Policy) => refusal(() => assertScriptWithinPolicy(load(data), policy));

/**
 * The type's template loads and is within the default policy; its required steps are `steps`, in
 * that order; each one missing is MISSING_STEP, each pair swapped is STEP_ORDER; its schema takes
 * exactly `sections` besides the common fields (any other is an unknown field).
 */
export function requiredStepTests(type: CeremonyType, template: string, steps: string[], sections: ScriptSection[]): void {
  it('loads the template, within the default policy', () => {
    const loaded = load(templateData(template));
    expect(loaded.script.type).toBe(type);
    expect(() => assertScriptWithinPolicy(loaded, rootPolicy())).not.toThrow();
  });

  it(`requires ${steps.join(' -> ')}`, () => {
    expect(CEREMONY_TYPE_DEFS[type].steps).toEqual(steps);
  });

  it.each(steps)('refuses a script without its %s step (MISSING_STEP)', (action) => {
    const data = templateData(template);
    data.steps = data.steps.filter((s) => s.action !== action);
    const r = refusal(() => load(data));
    expect(r.code).toBe('SCRIPT_INVALID');
    expect(r.issues).toContainEqual(expect.objectContaining({ path: 'steps', code: 'MISSING_STEP', message: expect.stringContaining(`"${action}"`) }));
  });

  it.each(steps.slice(1).map((b, i) => [steps[i]!, b]))('refuses %s after %s (STEP_ORDER)', (a, b) => {
    const data = templateData(template);
    const i = data.steps.findIndex((s) => s.action === a);
    const j = data.steps.findIndex((s) => s.action === b);
    [data.steps[i], data.steps[j]] = [data.steps[j]!, data.steps[i]!];
    const r = refusal(() => load(data));
    expect(r.code).toBe('SCRIPT_INVALID');
    expect(r.issues).toContainEqual(expect.objectContaining({ code: 'STEP_ORDER' }));
  });

  const others = (Object.keys(SCRIPT_SECTIONS) as ScriptSection[]).filter((s) => !sections.includes(s));
  it.each(others)('refuses a %s section, which this type does not use (UNKNOWN_FIELD)', (section) => {
    const r = refusal(() => load({ ...templateData(template), [section]: {} }));
    expect(r.issues).toEqual([expect.objectContaining({ path: section, code: 'UNKNOWN_FIELD' })]);
  });
}

/** Without its `section` the script is refused (MISSING_SECTION), naming the section. */
export function missingSectionTest(template: string, section: ScriptSection): void {
  it(`needs the ${section} section (MISSING_SECTION)`, () => {
    const data = templateData(template);
    delete data[section];
    expect(refusal(() => load(data)).issues).toContainEqual(expect.objectContaining({ code: 'MISSING_SECTION', message: expect.stringContaining(`"${section}"`) }));
  });
}

/** The rules of a type that generates its key (key-rules.ts), each refused with its code and passed when the policy allows. */
export function generatedKeyRuleTests(template: string): void {
  it('backupRequired: no backup step is refused (POLICY_BACKUP), and allowed when the policy does not require one', () => {
    const data = templateData(template);
    data.steps = data.steps.filter((s) => s.action !== 'backup');
    expect(policyRefusal(data, rootPolicy()).issues).toEqual([expect.objectContaining({ path: 'steps', code: 'POLICY_BACKUP' })]);
    expect(() => assertScriptWithinPolicy(load(data), rootPolicy((c) => { c.backupRequired = false; }))).not.toThrow();
  });

  it('attestationRequired: no verify-attestation step is refused (POLICY_ATTESTATION)', () => {
    const r = policyRefusal(templateData(template), rootPolicy((c) => { c.attestationRequired = true; }));
    expect(r.issues).toEqual([expect.objectContaining({ path: 'steps', code: 'POLICY_ATTESTATION' })]);
  });

  it('neverExtractable cannot be required of a key this script wraps for its backup (POLICY_ATTRIBUTES)', () => {
    const r = policyRefusal(templateData(template), rootPolicy((c) => { c.requiredAttributes = [...(c.requiredAttributes as string[]), 'neverExtractable']; }));
    expect(r.issues).toEqual([expect.objectContaining({ path: 'steps', code: 'POLICY_ATTRIBUTES' })]);
  });
}

/** A type with no policy rule of its own: a policy that requires a backup and an attestation does not refuse it. */
export function noKeyRuleTests(template: string): void {
  it('is not held to the rules of a key made in the ceremony (backup, attestation)', () => {
    const strict = rootPolicy((c) => { c.backupRequired = true; c.attestationRequired = true; });
    expect(() => assertScriptWithinPolicy(load(templateData(template)), strict)).not.toThrow();
    expect(CEREMONY_TYPE_DEFS[templateData(template).type as CeremonyType].policyRules ?? []).toEqual([]);
  });
}
