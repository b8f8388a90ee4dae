/**
 * Loading scripts, policies and inputs (load.ts): YAML aliases and malformed files end in a typed
 * KeyriteError naming the file, each issue located, and what to do; never a stack trace. A policy
 * whose minK exceeds minN is refused (equal is allowed); a script whose key class the policy does not
 * know is refused naming the classes it does know; an unreadable file is FILE_UNREADABLE.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  assertScriptWithinPolicy, loadPolicyFile, loadScriptFile, parsePolicy, parseScript, policyIssues,
} from '../../../electron/core/ceremony/load';
import { loadInputsFile } from '../../../electron/core/ceremony/inputs';
import { KeyriteError } from '../../../electron/core/util/errors';
import type { SourceIssue } from '../../../electron/core/ceremony/yaml-source';
import { tempDir } from '../../helpers/softhsm';

const ROOT = path.resolve(__dirname, '../../..');
const scriptText = readFileSync(path.join(ROOT, 'resources/ceremonies/root-keygen.yaml'), 'utf8');
const policyText = readFileSync(path.join(ROOT, 'resources/policy/default.yaml'), 'utf8');
const tmp = tempDir('keyrite-load-promises-');
afterAll(() => tmp.cleanup());

function refusal(fn: () => unknown): KeyriteError & { issues: SourceIssue[] } {
  try {
    fn();
  } catch (e) {
    if (!(e instanceof KeyriteError)) throw new Error(`not a KeyriteError: ${String(e)}`);
    return Object.assign(e, { issues: (e.details?.issues ?? []) as SourceIssue[] });
  }
  throw new Error('expected a refusal');
}

const lineOf = (text: string, needle: string) => text.split('\n').findIndex((l) => l.includes(needle)) + 1;
const write = (name: string, text: string) => { const f = path.join(tmp.dir, name); writeFileSync(f, text); return f; };

describe('YAML aliases are refused, typed, in every file Keyrite reads', () => {
  const aliased = 'version: 1\nname: &n keyrite-default\nother: *n\n';
  it('in a script, a policy and an inputs file: YAML_ALIAS at the alias line, with what to do', () => {
    const scriptAlias = scriptText.replace('title: ', 'title: &t ').replace(/(\n {4}instruction: )/, '$1*t\n    x: ');
    for (const e of [refusal(() => parseScript(scriptAlias, 's.yaml')), refusal(() => parsePolicy(aliased, 'p.yaml')), refusal(() => loadInputsFile(write('i.yaml', 'pins: &p {}\nprior: *p\n')))]) {
      expect(e.code).toBe('YAML_INVALID');
      expect(e.issues.map((i) => i.code)).toContain('YAML_ALIAS');
      expect(e.action).toMatch(/no anchors \(&\) or aliases \(\*\)/);
    }
    expect(refusal(() => parsePolicy(aliased, 'p.yaml')).issues).toEqual([expect.objectContaining({ code: 'YAML_ALIAS', line: 3 })]);
  });

  it('an alias bomb is refused without being expanded', () => {
    const bomb = ['a: &a [x, x, x, x, x, x, x, x, x]', ...Array.from({ length: 12 }, (_, i) => `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [*${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}]`)].join('\n');
    expect(refusal(() => parsePolicy(bomb, 'bomb.yaml')).code).toBe('YAML_INVALID');
    expect(refusal(() => parseScript(bomb, 'bomb.yaml')).code).toBe('YAML_INVALID');
  });
});

describe('a malformed script', () => {
  it('is SCRIPT_INVALID naming the file and each field, with what to do', () => {
    const e = refusal(() => parseScript('- just\n- a list\n', 'odd.yaml'));
    expect(e.code).toBe('SCRIPT_INVALID');
    expect(e.message.startsWith('The ceremony script is not valid: odd.yaml:\n')).toBe(true);
    expect(e.action).toBe('Fix each field shown, then check the script again.');
    expect(e.details?.file).toBe('odd.yaml');
    expect(e.issues.length).toBeGreaterThan(0);
  });

  it('names script.yaml when no file name is given, and takes the script as written', () => {
    expect(refusal(() => parseScript('{}')).details?.file).toBe('script.yaml');
    const loaded = parseScript(scriptText);
    expect(loaded.text).toBe(scriptText);
    expect(loaded.source.file).toBe('script.yaml');
    expect(loaded.script.id).toBeTruthy();
  });

  it('that is well formed but not consistent is SCRIPT_INVALID "not consistent", located', () => {
    const text = scriptText.replace('attest: [Wendy Witness]\n  - id: login', 'attest: [Mallory]\n  - id: login');
    const e = refusal(() => parseScript(text, 's.yaml'));
    expect(e.code).toBe('SCRIPT_INVALID');
    expect(e.message.startsWith('The ceremony script is not consistent: s.yaml:\n')).toBe(true);
    expect(e.action).toBe('Fix each field shown, then check the script again.');
    expect(e.details?.file).toBe('s.yaml');
    expect(e.issues).toEqual([expect.objectContaining({ path: 'steps[1].attest[0]', line: lineOf(text, 'Mallory'), code: 'UNKNOWN_PARTICIPANT' })]);
  });
});

describe('a script that carries a PIN', () => {
  it('is refused before its schema is read, naming the line and never echoing the PIN', () => {
    const text = scriptText.replace('  label: example-root-2026\n', '  label: example-root-2026\n  pin: "246810"\n');
    const e = refusal(() => parseScript(text, 's.yaml'));
    expect(e.code).toBe('SCRIPT_CARRIES_PIN');
    expect(e.issues).toEqual([expect.objectContaining({ path: 'key.pin', line: lineOf(text, 'pin: "246810"') })]);
    expect(JSON.stringify({ m: e.message, d: e.details })).not.toContain('246810');
  });
});

describe('every template', () => {
  it('is within the default policy: no issue from the common rules or its type\'s own', () => {
    const policy = parsePolicy(policyText).policy;
    const dir = path.join(ROOT, 'resources/ceremonies');
    const names = readdirSync(dir).filter((f) => f.endsWith('.yaml') && !f.endsWith('.rehearsal.yaml'));
    expect(names.length).toBeGreaterThan(5);
    for (const name of names) expect(policyIssues(parseScript(readFileSync(path.join(dir, name), 'utf8'), name), policy), name).toEqual([]);
  });
});

describe('a malformed policy', () => {
  it('is POLICY_INVALID naming the file and the field, with what to do', () => {
    const text = policyText.replace('minWitnesses: 2', 'minWitnesses: two');
    const e = refusal(() => parsePolicy(text, 'p.yaml'));
    expect(e.code).toBe('POLICY_INVALID');
    expect(e.message.startsWith('The policy file is not valid: p.yaml:\n')).toBe(true);
    expect(e.action).toBe('Fix each field shown.');
    expect(e.details?.file).toBe('p.yaml');
    expect(e.issues).toEqual([expect.objectContaining({ path: 'classes.root.minWitnesses', line: lineOf(text, 'minWitnesses: two') })]);
    expect(refusal(() => parsePolicy('[]')).details?.file).toBe('policy.yaml');
  });

  it('minK may equal minN; above it is refused at that class\'s minK, for every class', () => {
    expect(parsePolicy(policyText.replace('minK: 3', 'minK: 5')).policy.classes.root?.minK).toBe(5);
    const text = policyText.replace('minK: 3', 'minK: 6').replace(/(intermediate:[\s\S]*?minK: )2/, '$14');
    const e = refusal(() => parsePolicy(text, 'p.yaml'));
    expect(e.code).toBe('POLICY_INVALID');
    expect(e.message.startsWith('The policy file is not valid: p.yaml:\n')).toBe(true);
    expect(e.action).toBe('Fix each field shown.');
    expect(e.details?.file).toBe('p.yaml');
    expect(e.issues).toEqual([
      expect.objectContaining({ path: 'classes.root.minK', line: lineOf(text, 'minK: 6'), message: 'minK 6 exceeds minN 5', code: 'INVALID_VALUE' }),
      expect.objectContaining({ path: 'classes.intermediate.minK', line: lineOf(text, 'minK: 4'), message: 'minK 4 exceeds minN 3', code: 'INVALID_VALUE' }),
    ]);
  });

  it('the loaded policy keeps its text, and the defaults the schema gives', () => {
    const loaded = parsePolicy(policyText);
    expect(loaded.text).toBe(policyText);
    expect(loaded.source.file).toBe('policy.yaml');
    expect(loaded.policy.classes.root).toMatchObject({ backupRequired: true, witnessKeysRequired: false, attestationRequired: false, crlResignLeadDays: 14 });
  });
});

describe('a script against the policy', () => {
  const policy = parsePolicy(policyText).policy;

  it('a key class the policy does not know is one issue at key.class naming the known classes', () => {
    const loaded = parseScript(scriptText.replace('class: root', 'class: vault'), 's.yaml');
    expect(policyIssues(loaded, policy)).toEqual([expect.objectContaining({
      path: 'key.class', line: lineOf(loaded.text, 'class: vault'), code: 'POLICY_CLASS',
      message: 'key class "vault" is not in the policy (known: root, intermediate, signing)',
    })]);
    const e = refusal(() => assertScriptWithinPolicy(loaded, policy));
    expect(e.code).toBe('SCRIPT_POLICY_VIOLATION');
    expect(e.message.startsWith('The ceremony script breaks the policy: s.yaml:\n')).toBe(true);
    expect(e.action).toBe('Change the script (or have the security officer change the policy), then check again.');
    expect(e.details?.file).toBe('s.yaml');
  });

  it('a script within the policy has no issues and is not refused', () => {
    const loaded = parseScript(scriptText, 's.yaml');
    expect(policyIssues(loaded, policy)).toEqual([]);
    expect(() => assertScriptWithinPolicy(loaded, policy)).not.toThrow();
  });
});

describe('files', () => {
  it('loads a script and a policy from their files, naming the file in their errors', () => {
    const s = write('root.yaml', scriptText);
    expect(loadScriptFile(s).text).toBe(scriptText);
    expect(loadScriptFile(s).source.file).toBe(s);
    expect(loadPolicyFile(write('pol.yaml', policyText)).policy.name).toBe('keyrite-default');
    expect(refusal(() => loadScriptFile(write('bad.yaml', '{}'))).details?.file).toBe(path.join(tmp.dir, 'bad.yaml'));
    expect(refusal(() => loadPolicyFile(write('badp.yaml', '{}'))).details?.file).toBe(path.join(tmp.dir, 'badp.yaml'));
  });

  it('an unreadable file is FILE_UNREADABLE naming it', () => {
    for (const load of [loadScriptFile, loadPolicyFile]) {
      const missing = path.join(tmp.dir, 'missing.yaml');
      const e = refusal(() => load(missing));
      expect(e.code).toBe('FILE_UNREADABLE');
      expect(e.message.startsWith(`Cannot read ${missing}: `)).toBe(true);
      expect(e.message).toMatch(/ENOENT/);
      expect(e.action).toBe('Check the path.');
    }
  });
});
