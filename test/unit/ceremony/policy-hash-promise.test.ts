/**
 * A `--policy` whose hash differs from the one recorded is refused: the runner records the SHA-256 of
 * the policy file's bytes at ceremony start, and `keyrite verify DIR --policy FILE` compares the file
 * given with it. The run here stops after its first step (the transcript is incomplete, which verify
 * also reports), so the test shows which failure the policy alone causes.
 */
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Readable, Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { command as verify } from '../../../electron/cli/commands/verify';
import { openCeremonyRun } from '../../../electron/core/ceremony/runner';
import { parsePolicy, parseScript } from '../../../electron/core/ceremony/load';
import type { TokenApi } from '../../../electron/core/token/types';
import { tempDir } from '../../helpers/softhsm';

const ROOT = path.resolve(__dirname, '../../..');
const scriptText = readFileSync(path.join(ROOT, 'resources/ceremonies/root-keygen.yaml'), 'utf8');
const policyText = readFileSync(path.join(ROOT, 'resources/policy/default.yaml'), 'utf8');
const tmp = tempDir('keyrite-policy-hash-');
afterAll(() => tmp.cleanup());
const noToken = new Proxy({}, { get: () => () => { throw new Error('the token must not be used'); } }) as TokenApi;
const sha = (s: string) => createHash('sha256').update(s).digest('hex');
const outDir = path.join(tmp.dir, 'run');

async function verifyJson(policyFile: string): Promise<{ exit: number; report: { valid: boolean; policySha256?: string; failure?: { code: string; expected?: string; actual?: string } } }> {
  let out = '';
  const w = new Writable({ write(c, _e, cb) { out += String(c); cb(); } });
  const exit = await verify.run([outDir, '--policy', policyFile, '--json'], { stdout: w, stderr: w, stdin: Readable.from([]) });
  return { exit, report: JSON.parse(out) };
}

beforeAll(async () => {
  const run = await openCeremonyRun({
    script: parseScript(scriptText, 'root-keygen.yaml'), policy: parsePolicy(policyText).policy, policyText,
    outDir, tokens: noToken, rehearsal: false, airGapProbe: async () => [],
  });
  await run.submit({ kind: 'confirm', who: 'Alice Admin' });
  await run.submit({ kind: 'attest', witness: 'Wendy Witness' });
  await run.submit({ kind: 'attest', witness: 'Walter Witness' });
  await run.close();
});

describe('keyrite verify --policy', () => {
  it('the policy the run was given matches the hash recorded at ceremony start', async () => {
    const same = path.join(tmp.dir, 'same.yaml');
    writeFileSync(same, policyText);
    const { report } = await verifyJson(same);
    expect(report.policySha256).toBe(sha(policyText));
    expect(report.failure?.code).not.toBe('POLICY_MISMATCH');
  });

  it('a policy one byte different is refused: POLICY_MISMATCH, exit 1, naming both hashes', async () => {
    const changed = path.join(tmp.dir, 'changed.yaml');
    const text = policyText.replace('minN: 5', 'minN: 4');
    writeFileSync(changed, text);
    const { exit, report } = await verifyJson(changed);
    expect(exit).toBe(1);
    expect(report.valid).toBe(false);
    expect(report.failure).toMatchObject({ code: 'POLICY_MISMATCH', expected: sha(text), actual: sha(policyText) });
  });
});
