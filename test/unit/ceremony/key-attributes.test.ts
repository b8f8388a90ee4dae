/**
 * The policy's key-attribute rules: what each checks, when (after generation vs the final proof,
 * generated vs restored keys), that an unreported attribute never passes, and that a policy asking
 * a backed-up key to be never-extractable is refused at load.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { failingAttributes, describeFailing, PROOF_ATTRIBUTES } from '../../../electron/core/ceremony/key-attributes';
import { assertScriptWithinPolicy, parsePolicy, parseScript } from '../../../electron/core/ceremony/load';
import { summariseEntry } from '../../../electron/core/ipc/audit-view';
import type { KeyProof } from '../../../electron/core/token/types';

const root = path.resolve(__dirname, '../../..');
const policyText = readFileSync(path.join(root, 'resources/policy/default.yaml'), 'utf8');
const template = readFileSync(path.join(root, 'resources/ceremonies/root-keygen.yaml'), 'utf8');

const lockedProof: KeyProof = {
  local: true, sensitive: true, alwaysSensitive: true, extractable: false, neverExtractable: false, keyGenMechanism: 'CKM_EC_KEY_PAIR_GEN',
  token: true, private: true, sign: true, decrypt: false, unwrap: false, copyable: false, modifiable: true, wrapWithTrusted: false,
};
const all = [...PROOF_ATTRIBUTES];

describe('key attribute rules', () => {
  it('the final proof of a locked, backed-up SoftHSM2 key breaks only neverExtractable and notModifiable', () => {
    expect(failingAttributes(lockedProof, all, { stage: 'final', restored: false }).map((f) => f.rule)).toEqual(['neverExtractable', 'notModifiable']);
    expect(failingAttributes(lockedProof, ['local', 'sensitive', 'alwaysSensitive', 'token', 'private', 'notExtractable', 'notCopyable'], { stage: 'final', restored: false })).toEqual([]);
  });

  it('an extractable key fails notExtractable in the final proof, but not yet in the proof read after generation', () => {
    const before = { ...lockedProof, extractable: true };
    expect(failingAttributes(before, ['sensitive', 'notExtractable'], { stage: 'final', restored: false })).toEqual([{ rule: 'notExtractable', attribute: 'CKA_EXTRACTABLE', want: false, got: true }]);
    expect(failingAttributes(before, ['sensitive', 'notExtractable'], { stage: 'generated', restored: false })).toEqual([]);
    expect(failingAttributes({ ...before, sensitive: false }, ['sensitive', 'notExtractable'], { stage: 'generated', restored: false }).map((f) => f.rule)).toEqual(['sensitive']);
  });

  it('a restored key is not asked to be local, but is asked to be locked', () => {
    const restored = { ...lockedProof, local: false, alwaysSensitive: false, extractable: true };
    expect(failingAttributes(restored, ['local', 'alwaysSensitive', 'notExtractable'], { stage: 'final', restored: true }).map((f) => f.rule)).toEqual(['notExtractable']);
    expect(failingAttributes(restored, ['local'], { stage: 'final', restored: false }).map((f) => f.rule)).toEqual(['local']);
  });

  it('an attribute the token does not report fails its rule and says so', () => {
    const { copyable: _copyable, ...unreported } = lockedProof;
    const failing = failingAttributes(unreported, ['notCopyable'], { stage: 'final', restored: false });
    expect(failing).toEqual([{ rule: 'notCopyable', attribute: 'CKA_COPYABLE', want: false, got: null }]);
    expect(describeFailing(failing)).toBe('CKA_COPYABLE is not reported by the token (policy: FALSE)');
  });

  it('the default policy names the locked state, and a policy demanding neverExtractable of a backed-up key is refused at load', () => {
    const policy = parsePolicy(policyText, 'default.yaml').policy;
    expect(policy.classes.root?.requiredAttributes).toEqual(expect.arrayContaining(['notExtractable', 'notCopyable']));
    const loaded = parseScript(template, 'root-keygen.yaml');
    expect(() => assertScriptWithinPolicy(loaded, policy)).not.toThrow();
    const strict = parsePolicy(policyText.replace('[local, sensitive, alwaysSensitive, token, private, notExtractable, notCopyable]', '[local, neverExtractable]'), 'strict.yaml').policy;
    expect(() => assertScriptWithinPolicy(loaded, strict)).toThrow(expect.objectContaining({ code: 'SCRIPT_POLICY_VIOLATION', message: expect.stringContaining('never "never extractable"') }));
  });

  it('the audit timeline names the lock', () => {
    expect(summariseEntry('key.locked', 'backup', { label: 'root', proof: { extractable: false } })).toBe('Key locked in the token: root (extractable: false)');
  });
});
