import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { assertScriptWithinPolicy, parsePolicy, parseScript } from '../../../electron/core/ceremony/load';
import { KeyriteError } from '../../../electron/core/util/errors';
import type { SourceIssue } from '../../../electron/core/ceremony/yaml-source';

const root = path.resolve(__dirname, '../../..');
const template = readFileSync(path.join(root, 'resources/ceremonies/root-keygen.yaml'), 'utf8');
const policy = parsePolicy(readFileSync(path.join(root, 'resources/policy/default.yaml'), 'utf8'), 'default.yaml').policy;

function lineOf(text: string, needle: string): number {
  const idx = text.split('\n').findIndex((l) => l.includes(needle));
  if (idx < 0) throw new Error(`"${needle}" not in text`);
  return idx + 1;
}

function issuesOf(fn: () => unknown): { code: string; issues: SourceIssue[]; message: string } {
  try {
    fn();
  } catch (e) {
    if (e instanceof KeyriteError) return { code: e.code, issues: (e.details?.issues ?? []) as SourceIssue[], message: e.message };
    throw e;
  }
  throw new Error('expected the script to be refused');
}

describe('ceremony script validation', () => {
  it('accepts the root-keygen template and it is within the default policy', () => {
    const loaded = parseScript(template, 'root-keygen.yaml');
    expect(loaded.script.backup?.k).toBe(3);
    expect(() => assertScriptWithinPolicy(loaded, policy)).not.toThrow();
  });

  it('refuses an unknown field, at the field\'s line', () => {
    const text = template.replace('  label: example-root-2026\n', '  label: example-root-2026\n  extractible: true\n');
    const r = issuesOf(() => parseScript(text, 's.yaml'));
    expect(r.code).toBe('SCRIPT_INVALID');
    expect(r.issues).toContainEqual(expect.objectContaining({ path: 'key.extractible', line: lineOf(text, 'extractible'), code: 'UNKNOWN_FIELD' }));
    expect(r.message).toContain(`s.yaml:${lineOf(text, 'extractible')}`);
  });

  it('refuses a wrong type, at the value\'s line', () => {
    const text = template.replace('  n: 5', '  n: five');
    const r = issuesOf(() => parseScript(text, 's.yaml'));
    expect(r.issues).toContainEqual(expect.objectContaining({ path: 'backup.n', line: lineOf(text, 'n: five'), code: 'WRONG_TYPE' }));
  });

  it('refuses k > n', () => {
    const text = template.replace('  k: 3', '  k: 6');
    const r = issuesOf(() => parseScript(text, 's.yaml'));
    expect(r.issues).toContainEqual(expect.objectContaining({ path: 'backup.k', line: lineOf(text, 'k: 6') }));
    expect(r.message).toMatch(/cannot exceed n/);
  });

  it('refuses k < 2', () => {
    const text = template.replace('  k: 3', '  k: 1');
    const r = issuesOf(() => parseScript(text, 's.yaml'));
    expect(r.issues).toContainEqual(expect.objectContaining({ path: 'backup.k', line: lineOf(text, 'k: 1') }));
  });

  it('refuses an algorithm the key class forbids (policy)', () => {
    const text = template.replace('algorithm: ec-p384', 'algorithm: ed25519');
    const loaded = parseScript(text, 's.yaml');
    const r = issuesOf(() => assertScriptWithinPolicy(loaded, policy));
    expect(r.code).toBe('SCRIPT_POLICY_VIOLATION');
    expect(r.issues).toContainEqual(expect.objectContaining({ path: 'key.algorithm', line: lineOf(text, 'algorithm: ed25519'), code: 'POLICY_ALGORITHM' }));
  });

  it('refuses too few witnesses (policy)', () => {
    const text = template
      .replace('  - { name: Walter Witness, role: witness }\n', '')
      .replaceAll(', Walter Witness]', ']');
    const loaded = parseScript(text, 's.yaml');
    const r = issuesOf(() => assertScriptWithinPolicy(loaded, policy));
    expect(r.issues).toContainEqual(expect.objectContaining({ path: 'participants', line: lineOf(text, 'participants:') + 1, code: 'POLICY_WITNESSES' }));
  });

  it('refuses a quorum below the class minimum (policy)', () => {
    const text = template.replace('  k: 3', '  k: 2');
    const r = issuesOf(() => assertScriptWithinPolicy(parseScript(text, 's.yaml'), policy));
    expect(r.issues).toContainEqual(expect.objectContaining({ path: 'backup.k', code: 'POLICY_QUORUM', line: lineOf(text, 'k: 2') }));
  });

  it('refuses an attester who is not a participant and a step out of order', () => {
    const text = template.replace('attest: [Wendy Witness]\n  - id: login', 'attest: [Mallory]\n  - id: login');
    const r = issuesOf(() => parseScript(text, 's.yaml'));
    expect(r.issues).toContainEqual(expect.objectContaining({ path: 'steps[1].attest[0]', line: lineOf(text, 'Mallory'), code: 'UNKNOWN_PARTICIPANT' }));
  });

  it('reports YAML syntax errors with their line', () => {
    const r = issuesOf(() => parseScript('version: 1\nid: [unclosed\n', 's.yaml'));
    expect(r.code).toBe('YAML_INVALID');
    expect(r.issues[0]?.line).toBeGreaterThan(0);
  });

  it('refuses a policy whose minK exceeds minN', () => {
    const text = readFileSync(path.join(root, 'resources/policy/default.yaml'), 'utf8').replace('minK: 3', 'minK: 7');
    const r = issuesOf(() => parsePolicy(text, 'p.yaml'));
    expect(r.issues).toContainEqual(expect.objectContaining({ path: 'classes.root.minK', line: lineOf(text, 'minK: 7') }));
  });
});
