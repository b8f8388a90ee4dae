/** Witness keys in a script: validated where they are written, only on witnesses, and policy may require them. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { assertScriptWithinPolicy, parsePolicy, parseScript } from '../../../electron/core/ceremony/load';
import { witnessKeyName } from '../../../electron/core/ceremony/witness-keys';
import { assertWitnessSigner } from '../../../electron/core/ceremony/witness-cosign';
import { generateNoteKey, keyFileSigner } from '../../../electron/core/transcript/note-keys';
import { KeyriteError } from '../../../electron/core/util/errors';
import type { SourceIssue } from '../../../electron/core/ceremony/yaml-source';

const root = path.resolve(__dirname, '../../..');
const template = readFileSync(path.join(root, 'resources/ceremonies/root-keygen.yaml'), 'utf8');
const policyText = readFileSync(path.join(root, 'resources/policy/default.yaml'), 'utf8');
const policy = parsePolicy(policyText, 'default.yaml').policy;
const wendy = generateNoteKey(witnessKeyName('Wendy Witness'));
const walter = generateNoteKey(witnessKeyName('Walter Witness'));

function withKey(text: string, who: string, role: string, key: string): string {
  const from = `{ name: ${who}, role: ${role} }`;
  expect(text).toContain(from);
  return text.replace(from, `{ name: ${who}, role: ${role}, key: "${key}" }`);
}

function refusal(fn: () => unknown): { code: string; issues: SourceIssue[] } {
  try {
    fn();
  } catch (e) {
    if (e instanceof KeyriteError) return { code: e.code, issues: (e.details?.issues ?? []) as SourceIssue[] };
    throw e;
  }
  throw new Error('expected a refusal');
}

describe('witness keys in the script', () => {
  it('accepts a verifier key on each witness', () => {
    const text = withKey(withKey(template, 'Wendy Witness', 'witness', wendy.verifierKey), 'Walter Witness', 'witness', walter.verifierKey);
    const s = parseScript(text, 's.yaml').script;
    expect(s.participants.find((p) => p.name === 'Wendy Witness')?.key).toBe(wendy.verifierKey);
    expect(s.participants.find((p) => p.name === 'Walter Witness')?.key).toBe(walter.verifierKey);
  });

  it('refuses a damaged key at its line', () => {
    const bad = wendy.verifierKey.slice(0, -4) + 'AAAA';
    const text = withKey(template, 'Wendy Witness', 'witness', bad);
    const r = refusal(() => parseScript(text, 's.yaml'));
    expect(r.code).toBe('SCRIPT_INVALID');
    expect(r.issues).toContainEqual(expect.objectContaining({ path: 'participants[1].key', line: text.split('\n').findIndex((l) => l.includes(bad)) + 1 }));
  });

  it('refuses a key on someone who is not a witness, and two witnesses sharing one key', () => {
    const admin = refusal(() => parseScript(withKey(template, 'Alice Admin', 'administrator', wendy.verifierKey), 's.yaml'));
    expect(admin.issues).toContainEqual(expect.objectContaining({ path: 'participants[0].key', message: expect.stringMatching(/only witnesses/) }));
    const shared = refusal(() => parseScript(withKey(withKey(template, 'Wendy Witness', 'witness', wendy.verifierKey), 'Walter Witness', 'witness', wendy.verifierKey), 's.yaml'));
    expect(shared.issues).toContainEqual(expect.objectContaining({ path: 'participants[2].key', code: 'DUPLICATE' }));
  });

  it('policy can require every witness of a class to have a key', () => {
    const strict = parsePolicy(policyText.replace('    backupRequired: true\n', '    backupRequired: true\n    witnessKeysRequired: true\n'), 'strict.yaml').policy;
    expect(strict.classes.root?.witnessKeysRequired).toBe(true);
    const one = parseScript(withKey(template, 'Wendy Witness', 'witness', wendy.verifierKey), 's.yaml');
    const r = refusal(() => assertScriptWithinPolicy(one, strict));
    expect(r.code).toBe('SCRIPT_POLICY_VIOLATION');
    expect(r.issues).toEqual([expect.objectContaining({ path: 'participants[2]', code: 'POLICY_WITNESS_KEYS' })]);
    expect(() => assertScriptWithinPolicy(parseScript(withKey(one.text, 'Walter Witness', 'witness', walter.verifierKey), 's.yaml'), strict)).not.toThrow();
    expect(() => assertScriptWithinPolicy(parseScript(template, 's.yaml'), policy)).not.toThrow();
  });

  it('refuses a signer that is not the recorded key, naming the witness', async () => {
    await expect(assertWitnessSigner({ name: 'Wendy Witness', verifierKey: wendy.verifierKey }, keyFileSigner(walter.signerKey), '')).rejects.toMatchObject({ code: 'WITNESS_KEY_MISMATCH', details: { witness: 'Wendy Witness' }, message: expect.stringContaining('Wendy Witness') });
    await expect(assertWitnessSigner({ name: 'Wendy Witness', verifierKey: wendy.verifierKey }, keyFileSigner(wendy.signerKey), '')).resolves.toBeUndefined();
  });
});

describe('keyrite ceremony witness-key', () => {
  it('writes a signer key file (0600, never replaced) and prints the verifier key a script accepts', async () => {
    const { mkdtempSync, statSync, rmSync } = await import('node:fs');
    const os = await import('node:os');
    const { Readable, Writable } = await import('node:stream');
    const { command } = await import('../../../electron/cli/commands/ceremony');
    const dir = mkdtempSync(path.join(os.tmpdir(), 'keyrite-witness-key-'));
    try {
      let out = '';
      const io = { stdout: new Writable({ write(c, _e, cb) { out += String(c); cb(); } }), stderr: new Writable({ write(_c, _e, cb) { cb(); } }), stdin: Readable.from([]) };
      const file = path.join(dir, 'wendy.key');
      expect(await command.run(['witness-key', '--name', 'Wendy Witness', '--out', file], io)).toBe(0);
      expect(statSync(file).mode & 0o777).toBe(0o600);
      const verifierKey = out.trim().split('\n').pop()!;
      // Witnesses cosign as tlog-cosignature/v1: the printed key is the 0x04 key of the file's Ed25519 key.
      expect(keyFileSigner(readFileSync(file, 'utf8'), 'cosignature/v1').verifierKey).toBe(verifierKey);
      expect(Buffer.from(verifierKey.split('+')[2]!, 'base64')[0]).toBe(0x04);
      const s = parseScript(withKey(template, 'Wendy Witness', 'witness', verifierKey), 's.yaml').script;
      expect(s.participants[1]?.key).toBe(verifierKey);
      await expect(command.run(['witness-key', '--name', 'Wendy Witness', '--out', file], io)).rejects.toMatchObject({ code: 'OUTPUT_EXISTS' });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
