import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openCeremonyRun } from '../../../electron/core/ceremony/runner';
import { loadPolicyFile, loadScriptFile } from '../../../electron/core/ceremony/load';
import { defaultPolicyPath } from '../../../electron/core/ceremony/paths';
import { defaultTokenFactory } from '../../../electron/core/ceremony/run-token';
import { makeToken, tempDir } from '../../helpers/softhsm';
import { TEMPLATES } from './helpers';

const tmp = tempDir('keyrite-ceremony-pin-');
afterAll(() => tmp.cleanup());

describe('login step', () => {
  it('refuses a wrong PIN with the token\'s error, asks again, and never writes a PIN', async () => {
    const out = path.join(tmp.dir, 'run');
    const token = await makeToken(path.join(out, 'token'), 'keyrite-rehearsal');
    const run = await openCeremonyRun({
      script: loadScriptFile(path.join(TEMPLATES, 'root-keygen.yaml')), policy: loadPolicyFile(defaultPolicyPath()).policy,
      outDir: out, tokens: defaultTokenFactory, tokenEnv: token.env, modulePath: token.modulePath, rehearsal: true, airGapProbe: async () => [],
    });
    try {
      await run.submit({ kind: 'confirm', who: 'Alice Admin' });
      await run.submit({ kind: 'attest', witness: 'Wendy Witness' });
      await run.submit({ kind: 'attest', witness: 'Walter Witness' });
      await run.submit({ kind: 'confirm', who: 'Alice Admin' });
      let v = await run.submit({ kind: 'attest', witness: 'Wendy Witness' });
      expect(v.need).toMatchObject({ kind: 'pin', token: 'keyrite-rehearsal', userType: 'user' });
      v = await run.submit({ kind: 'pin', pin: '999999' });
      expect(v.error?.code).toBe('PIN_INCORRECT');
      expect(v.need.kind).toBe('pin');
      expect(v.steps[2]?.status).toBe('current');
      v = await run.submit({ kind: 'pin', pin: '123456' });
      expect(v.error).toBeNull();
      expect(v.steps[2]?.status).toBe('done');
      expect(v.steps[2]?.facts[0]?.value).toContain('keyrite-rehearsal');
      expect(v.need).toEqual({ kind: 'confirm', who: 'Alice Admin' });
    } finally {
      await run.close();
    }
    const journal = readFileSync(path.join(out, 'transcript.jsonl'), 'utf8');
    expect(journal).not.toContain('999999');
    expect(journal).not.toContain('123456');
    // The refused login is on the record: which token, which step, what the token said.
    const failed = journal.split('\n').filter(Boolean).map((l) => JSON.parse(l) as { kind: string; step: string; seq: number; data: { code: string; token: { label: string } } });
    const refusals = failed.filter((e) => e.kind === 'session.login-failed');
    expect(refusals).toHaveLength(1);
    expect(refusals[0]).toMatchObject({ step: 'login', data: { code: 'PIN_INCORRECT', token: { label: 'keyrite-rehearsal' } } });
    expect(refusals[0]!.seq).toBeLessThan(failed.find((e) => e.kind === 'session.opened')!.seq);
  });
});
