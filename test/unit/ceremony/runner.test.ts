/**
 * The runner before any token is touched: needs, input validation, attestations, the air-gap
 * policy, deviations and resume. The token is a TokenApi that fails if called at all.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openCeremonyRun } from '../../../electron/core/ceremony/runner';
import { parsePolicy, parseScript } from '../../../electron/core/ceremony/load';
import type { AirGapFinding } from '../../../electron/core/ceremony/run-types';
import type { TokenApi } from '../../../electron/core/token/types';
import { tempDir } from '../../helpers/softhsm';

const ROOT = path.resolve(__dirname, '../../..');
const scriptText = readFileSync(path.join(ROOT, 'resources/ceremonies/root-keygen.yaml'), 'utf8');
const policyText = readFileSync(path.join(ROOT, 'resources/policy/default.yaml'), 'utf8');
const tmp = tempDir('keyrite-runner-unit-');
afterAll(() => tmp.cleanup());

const noToken = new Proxy({}, { get: () => () => { throw new Error('the token must not be used before login'); } }) as TokenApi;

function open(name: string, findings: AirGapFinding[] = [], opts: { rehearsal?: boolean; script?: string } = {}) {
  return openCeremonyRun({
    script: parseScript(opts.script ?? scriptText, 'root-keygen.yaml'), policy: parsePolicy(policyText).policy, policyText,
    outDir: path.join(tmp.dir, name), tokens: noToken, rehearsal: opts.rehearsal ?? false, airGapProbe: async () => findings,
  });
}

describe('ceremony runner', () => {
  it('refuses, before anything is written, a script that breaks policy', async () => {
    const bad = scriptText.replace('algorithm: ec-p384', 'algorithm: ed25519');
    await expect(open('bad', [], { script: bad })).rejects.toMatchObject({ code: 'SCRIPT_POLICY_VIOLATION' });
    expect(existsSync(path.join(tmp.dir, 'bad', 'transcript.jsonl'))).toBe(false);
  });

  it('asks for exactly one input at a time and refuses any other', async () => {
    const run = await open('needs');
    expect(run.view().need).toEqual({ kind: 'confirm', who: 'Alice Admin' });
    const refused = await run.submit({ kind: 'pin', pin: '123456' });
    expect(refused.error?.code).toBe('INPUT_NOT_EXPECTED');
    expect(refused.current).toBe(0);
    let v = await run.submit({ kind: 'confirm', who: 'Alice Admin' });
    expect(v.error).toBeNull();
    expect(v.need).toEqual({ kind: 'attest', witnesses: ['Wendy Witness', 'Walter Witness'], attested: [] });
    v = await run.submit({ kind: 'attest', witness: 'Olivia Auditor' });
    expect(v.error?.code).toBe('STEP_TRANSITION_REFUSED');
    v = await run.submit({ kind: 'attest', witness: 'Walter Witness' });
    v = await run.submit({ kind: 'attest', witness: 'Wendy Witness' });
    expect(v.steps[0]?.status).toBe('done');
    expect(v.steps[0]?.attested).toEqual(['Walter Witness', 'Wendy Witness']);
    expect(v.current).toBe(1);
    await expect(run.revealShare('Carol')).rejects.toMatchObject({ code: 'SHARE_NOT_OFFERED' });
    await run.close();
  });

  it('enforces the air-gap policy: no override for root keys outside rehearsals; a clean re-check passes', async () => {
    const findings: AirGapFinding[] = [{ kind: 'interface-up', name: 'eth0', detail: 'link is up' }];
    const run = await open('airgap', findings);
    await run.submit({ kind: 'confirm', who: 'Alice Admin' });
    await run.submit({ kind: 'attest', witness: 'Wendy Witness' });
    await run.submit({ kind: 'attest', witness: 'Walter Witness' });
    let v = await run.submit({ kind: 'confirm', who: 'Alice Admin' });
    expect(v.need).toEqual({ kind: 'air-gap-override', findings: ['interface-up eth0: link is up'], overrideAllowed: false });
    v = await run.submit({ kind: 'air-gap-override', who: 'Alice Admin', reason: 'in a hurry' });
    expect(v.error?.code).toBe('AIR_GAP_OVERRIDE_FORBIDDEN');
    expect(v.deviations).toEqual([]);
    findings.length = 0;
    v = await run.submit({ kind: 'confirm', who: 'Alice Admin' });
    expect(v.error).toBeNull();
    expect(v.need).toEqual({ kind: 'attest', witnesses: ['Wendy Witness'], attested: [] });
    await run.close();
  });

  it('records an allowed override as a deviation, and any deviation with who and why', async () => {
    const run = await open('override', [{ kind: 'wireless', name: 'wlan0', detail: 'wireless interface' }], { rehearsal: true });
    await run.submit({ kind: 'confirm', who: 'Alice Admin' });
    await run.submit({ kind: 'attest', witness: 'Wendy Witness' });
    await run.submit({ kind: 'attest', witness: 'Walter Witness' });
    await run.submit({ kind: 'confirm', who: 'Alice Admin' });
    let v = await run.submit({ kind: 'air-gap-override', who: 'Alice Admin', reason: 'rehearsal on a laptop with wifi' });
    expect(v.deviations.map((d) => [d.step, d.who, d.why])).toEqual([['air-gap', 'Alice Admin', 'rehearsal on a laptop with wifi']]);
    v = await run.recordDeviation('Wendy Witness', 'the witness stepped out for two minutes');
    expect(v.deviations).toHaveLength(2);
    const journal = readFileSync(path.join(tmp.dir, 'override', 'transcript.jsonl'), 'utf8');
    expect(journal).toContain('the witness stepped out for two minutes');
    await run.close();
  });

  it('resumes from the journal where the run stopped', async () => {
    const first = await open('resume');
    await first.submit({ kind: 'confirm', who: 'Alice Admin' });
    await first.submit({ kind: 'attest', witness: 'Wendy Witness' });
    await first.close();
    const again = await open('resume');
    const v = again.view();
    expect(v.current).toBe(0);
    expect(v.need).toEqual({ kind: 'attest', witnesses: ['Wendy Witness', 'Walter Witness'], attested: ['Wendy Witness'] });
    await again.close();
    await expect(open('resume', [], { script: scriptText.replace('title: Example Root CA key generation', 'title: Changed') })).rejects.toMatchObject({ code: 'RESUME_SCRIPT_MISMATCH' });
  });
});

describe('the PIN need', () => {
  // Up to the login step on a clean machine: the room, its attestations, the air gap and its attestation.
  async function toLogin(name: string, rehearsal: boolean) {
    const run = await open(name, [], { rehearsal });
    await run.submit({ kind: 'confirm', who: 'Alice Admin' });
    await run.submit({ kind: 'attest', witness: 'Wendy Witness' });
    await run.submit({ kind: 'attest', witness: 'Walter Witness' });
    await run.submit({ kind: 'confirm', who: 'Alice Admin' });
    const v = await run.submit({ kind: 'attest', witness: 'Wendy Witness' });
    await run.close();
    return v.need;
  }

  it('in a rehearsal, carries the throwaway PIN rehearsal tokens are made with (the UI shows it)', async () => {
    expect(await toLogin('pin-rehearsal', true)).toMatchObject({ kind: 'pin', rehearsalPin: '123456' });
  });

  it('in a real run, carries no PIN at all', async () => {
    const need = await toLogin('pin-real', false);
    expect(need.kind).toBe('pin');
    expect(need).not.toHaveProperty('rehearsalPin');
    expect(JSON.stringify(need)).not.toContain('123456');
  });
});

describe('ceremonies on an existing key', () => {
  it('refuse to start without the folder of the ceremony that made the key', async () => {
    const text = readFileSync(path.join(ROOT, 'resources/ceremonies/sign-crl.yaml'), 'utf8');
    await expect(openCeremonyRun({
      script: parseScript(text, 'sign-crl.yaml'), policy: parsePolicy(policyText).policy, outDir: path.join(tmp.dir, 'crl'), tokens: noToken, rehearsal: false,
    })).rejects.toMatchObject({ code: 'PRIOR_RUN_REQUIRED' });
  });
});
