/**
 * A rehearsal the policy refuses stops before anything is made: no token, no witness keys, no
 * rehearsal copy of the script, no folder; and the error names the person's own script file (the
 * one they must fix), not Keyrite's rehearsal copy of it.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { tempDir } from '../../helpers/softhsm';
import { ROOT, TEMPLATES } from './helpers';

const tmp = tempDir('keyrite-policy-refusal-');
afterAll(() => tmp.cleanup());

describe('a rehearsal refused by the policy', () => {
  it('leaves nothing behind and names the script file the person gave', () => {
    const script = path.join(tmp.dir, 'weak-root.yaml');
    // 2-of-5 is below the default policy's minK of 3 for a root key.
    const text = readFileSync(path.join(TEMPLATES, 'root-keygen.yaml'), 'utf8');
    expect(text).toMatch(/^ {2}k: 3$/m);
    writeFileSync(script, text.replace(/^ {2}k: 3$/m, '  k: 2'));
    // Its rehearsal inputs beside it ask for throwaway witness keys (the rehearsal copy of the script).
    copyFileSync(path.join(TEMPLATES, 'root-keygen.rehearsal.yaml'), path.join(tmp.dir, 'weak-root.rehearsal.yaml'));
    const out = path.join(tmp.dir, 'out');
    const r = spawnSync(process.execPath, [path.join(ROOT, 'bin/keyrite.mjs'), 'ceremony', 'run', script, '--rehearsal', '--out', out], { encoding: 'utf8' });
    expect(r.status, r.stdout + r.stderr).toBe(1);
    expect(r.stderr).toContain('[SCRIPT_POLICY_VIOLATION]');
    expect(r.stderr).toContain(`${script}:`);
    expect(r.stderr).not.toContain('rehearsal-script.yaml');
    expect(existsSync(out)).toBe(false);
  }, 120_000);
});
