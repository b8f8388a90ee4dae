/**
 * The runner's promises up to the token (runner.ts), through openCeremonyRun and the CeremonyRun it
 * gives: a transition the engine refuses is refused before anything is journaled; a step starts with
 * the administrator's go, journaled with who gave it; one input at a time (RUN_BUSY); a deviation needs
 * a reason of three characters or more and is journaled on the current step; a wrong PIN is journaled
 * (never the PIN) and shows the tries left; listeners see every change until they unsubscribe; a resumed
 * run whose next step cannot go on opens with the error shown.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openCeremonyRun } from '../../../electron/core/ceremony/runner';
import { parsePolicy, parseScript } from '../../../electron/core/ceremony/load';
import type { RunView } from '../../../electron/core/ceremony/run-types';
import type { TokenApi } from '../../../electron/core/token/types';
import { KeyriteError } from '../../../electron/core/util/errors';
import { witnessKeyName } from '../../../electron/core/ceremony/witness-keys';
import { generateNoteKey } from '../../../electron/core/transcript/note-keys';
import { tempDir } from '../../helpers/softhsm';

const ROOT = path.resolve(__dirname, '../../..');
const scriptText = readFileSync(path.join(ROOT, 'resources/ceremonies/root-keygen.yaml'), 'utf8');
const policyText = readFileSync(path.join(ROOT, 'resources/policy/default.yaml'), 'utf8');
const tmp = tempDir('keyrite-runner-promises-');
afterAll(() => tmp.cleanup());

let tokenCalls: string[] = [];
/** A token that answers openSession with `loginError` and refuses everything else. */
function token(loginError: () => Error): TokenApi {
  return new Proxy({}, {
    get: (_t, name) => {
      if (name === 'then') return undefined;
      return async () => {
        tokenCalls.push(String(name));
        if (name === 'openSession') throw loginError();
        throw new Error(`the token must not be used: ${String(name)}`);
      };
    },
  }) as TokenApi;
}
const noToken = token(() => new Error('no login expected'));

function open(name: string, tokens: TokenApi = noToken, airGapProbe: () => Promise<[]> = async () => []) {
  return openCeremonyRun({
    script: parseScript(scriptText, 'root-keygen.yaml'), policy: parsePolicy(policyText).policy, policyText,
    outDir: path.join(tmp.dir, name), tokens, rehearsal: false, airGapProbe,
  });
}
const lines = (name: string) => readFileSync(path.join(tmp.dir, name, 'transcript.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { kind: string; step: string; actor: { role: string; name: string }; data: Record<string, unknown> });

async function toLogin(name: string, tokens?: TokenApi) {
  const run = await open(name, tokens);
  await run.submit({ kind: 'confirm', who: 'Alice Admin' });
  await run.submit({ kind: 'attest', witness: 'Wendy Witness' });
  await run.submit({ kind: 'attest', witness: 'Walter Witness' });
  await run.submit({ kind: 'confirm', who: 'Alice Admin' });
  const v = await run.submit({ kind: 'attest', witness: 'Wendy Witness' });
  expect(v.current).toBe(2);
  return run;
}

describe('journaling', () => {
  it('a step starts with the go of whoever confirms, journaled with the step\'s instruction', async () => {
    const run = await open('go');
    const v = await run.submit({ kind: 'confirm', who: 'Wendy Witness' });
    expect(v.error).toBeNull();
    await run.close();
    const start = lines('go').find((e) => e.kind === 'step.start');
    expect(start?.step).toBe('room');
    expect(start?.data.confirmedBy).toBe('Wendy Witness');
    expect(start?.actor.name).toBe('Wendy Witness');
    expect(start?.data.title).toBe(parseScript(scriptText).script.steps[0]?.instruction);
  });

  it('an attestation the engine refuses is not written', async () => {
    const run = await open('refused');
    await run.submit({ kind: 'confirm', who: 'Alice Admin' });
    const before = lines('refused');
    const v = await run.submit({ kind: 'attest', witness: 'Olivia Auditor' });
    expect(v.error?.code).toBe('STEP_TRANSITION_REFUSED');
    expect(v.need).toEqual({ kind: 'attest', witnesses: ['Wendy Witness', 'Walter Witness'], attested: [] });
    await run.close();
    expect(lines('refused')).toEqual(before);
  });

  it('a step is done, journaled step.done, once its last witness attests; the attestation says what was watched', async () => {
    const run = await open('done');
    await run.submit({ kind: 'confirm', who: 'Alice Admin' });
    await run.submit({ kind: 'attest', witness: 'Walter Witness' });
    let kinds = lines('done').filter((e) => e.step === 'room').map((e) => e.kind);
    expect(kinds).not.toContain('step.done');
    await run.submit({ kind: 'attest', witness: 'Wendy Witness' });
    await run.close();
    kinds = lines('done').filter((e) => e.step === 'room').map((e) => e.kind);
    expect(kinds).toEqual(['step.start', 'step.result', 'step.attest', 'step.attest', 'step.done']);
    const attest = lines('done').find((e) => e.kind === 'step.attest');
    expect(attest?.actor).toEqual({ role: 'witness', name: 'Walter Witness' });
    expect(attest?.data).toEqual({ witness: 'Walter Witness', statement: 'I watched step "room" carried out as the script describes.' });
  });
});

describe('one input at a time', () => {
  it('a second input while the first is processed is RUN_BUSY; the run takes input again afterwards', async () => {
    const run = await open('busy');
    const first = run.submit({ kind: 'confirm', who: 'Alice Admin' });
    await expect(run.submit({ kind: 'attest', witness: 'Wendy Witness' })).rejects.toMatchObject({ code: 'RUN_BUSY' });
    expect((await first).error).toBeNull();
    const v = await run.submit({ kind: 'attest', witness: 'Wendy Witness' });
    expect(v.error).toBeNull();
    expect(v.need).toEqual({ kind: 'attest', witnesses: ['Wendy Witness', 'Walter Witness'], attested: ['Wendy Witness'] });
    // After a refused input too, the next one is taken.
    expect((await run.submit({ kind: 'pin', pin: '123456' })).error?.code).toBe('INPUT_NOT_EXPECTED');
    expect((await run.submit({ kind: 'attest', witness: 'Walter Witness' })).error).toBeNull();
    await run.close();
  });

  it('a refused input leaves the error on the view until the next accepted input clears it', async () => {
    const run = await open('error-clears');
    expect((await run.submit({ kind: 'pin', pin: '123456' })).error?.code).toBe('INPUT_NOT_EXPECTED');
    expect(run.view().error?.code).toBe('INPUT_NOT_EXPECTED');
    expect((await run.submit({ kind: 'confirm', who: 'Alice Admin' })).error).toBeNull();
    await run.close();
  });
});

describe('deviations', () => {
  it('need a reason of at least three characters, spaces aside', async () => {
    const run = await open('deviation');
    for (const why of ['', 'ab', '   ab   ']) {
      await expect(run.recordDeviation('Alice Admin', why)).rejects.toMatchObject({ code: 'INPUT_DEVIATION_REASON' });
    }
    const v = await run.recordDeviation('Alice Admin', 'abc');
    expect(v.deviations.map((d) => [d.step, d.who, d.why])).toEqual([['room', 'Alice Admin', 'abc']]);
    await run.close();
    const dev = lines('deviation').filter((e) => e.kind === 'deviation');
    expect(dev).toHaveLength(1);
    expect(dev[0]).toMatchObject({ step: 'room', actor: { name: 'Alice Admin' }, data: { who: 'Alice Admin', why: 'abc' } });
  });

  it('are journaled on the step being worked on', async () => {
    const run = await open('deviation-step');
    await run.submit({ kind: 'confirm', who: 'Alice Admin' });
    await run.submit({ kind: 'attest', witness: 'Wendy Witness' });
    await run.submit({ kind: 'attest', witness: 'Walter Witness' });
    const v = await run.recordDeviation('Wendy Witness', 'the witness stepped out');
    expect(v.deviations.map((d) => d.step)).toEqual(['air-gap']);
    await run.close();
  });
});

describe('listeners', () => {
  it('see the view after every input and deviation, until they unsubscribe', async () => {
    const run = await open('listeners');
    const seen: RunView[] = [];
    const off = run.on('changed', (v) => seen.push(v));
    const v1 = await run.submit({ kind: 'confirm', who: 'Alice Admin' });
    expect(seen).toEqual([v1]);
    const v2 = await run.recordDeviation('Alice Admin', 'a reason');
    expect(seen).toEqual([v1, v2]);
    off();
    await run.submit({ kind: 'attest', witness: 'Wendy Witness' });
    expect(seen).toHaveLength(2);
    await run.close();
  });
});

describe('the login', () => {
  it('asks for the PIN at the login step, opening no session before it is given', async () => {
    tokenCalls = [];
    const run = await toLogin('pin-need');
    expect(run.view().need).toMatchObject({ kind: 'pin', userType: 'user', tries: null });
    await run.close();
    expect(tokenCalls).not.toContain('openSession');
  });

  it('a wrong PIN is journaled without the PIN, and the PIN need shows the tries the token reports', async () => {
    const wrong = token(() => new KeyriteError('PIN_INCORRECT', 'The PIN is not correct.', { action: 'Try again.', details: { countLow: true, finalTry: false } }));
    const run = await toLogin('pin-wrong', wrong);
    const v = await run.submit({ kind: 'pin', pin: '987654' });
    expect(v.error?.code).toBe('PIN_INCORRECT');
    expect(v.need).toMatchObject({ kind: 'pin', tries: { countLow: true, finalTry: false, locked: false } });
    expect(v.current).toBe(2);
    await run.close();
    // The login step starts with the PIN, not a go: the administrator is recorded as starting it.
    expect(lines('pin-wrong').find((e) => e.kind === 'step.start' && e.step === 'login')?.data.confirmedBy).toBe('Alice Admin');
    const failed = lines('pin-wrong').filter((e) => e.kind === 'session.login-failed');
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatchObject({ step: 'login', actor: { role: 'administrator', name: 'Alice Admin' }, data: { code: 'PIN_INCORRECT' } });
    expect(readFileSync(path.join(tmp.dir, 'pin-wrong', 'transcript.jsonl'), 'utf8')).not.toContain('987654');
  });

  it('a token that cannot be reached leaves the step waiting for the PIN, with the error shown', async () => {
    const gone = token(() => new KeyriteError('TOKEN_NOT_PRESENT', 'No token.', { action: 'Insert it.' }));
    const run = await toLogin('pin-gone', gone);
    const v = await run.submit({ kind: 'pin', pin: '123456' });
    expect(v.error?.code).toBe('TOKEN_NOT_PRESENT');
    expect(v.need.kind).toBe('pin');
    await run.close();
    expect(lines('pin-gone').filter((e) => e.kind === 'session.login-failed')).toEqual([]);
  });

  it('resumed at the login, the run opens waiting for the PIN with no error', async () => {
    const run = await toLogin('pin-resume');
    await run.close();
    const again = await open('pin-resume');
    expect(again.view()).toMatchObject({ current: 2, error: null, need: { kind: 'pin' } });
    await again.close();
  });
});

describe('before anything is written', () => {
  it('a run whose witnesses cosign with key files, opened with no way to ask for them, is refused and writes nothing', async () => {
    const key = generateNoteKey(witnessKeyName('Wendy Witness')).verifierKey;
    const text = scriptText.replace('{ name: Wendy Witness, role: witness }', `{ name: Wendy Witness, role: witness, key: "${key}" }`);
    const outDir = path.join(tmp.dir, 'cosigner');
    await expect(openCeremonyRun({
      script: parseScript(text, 'root-keygen.yaml'), policy: parsePolicy(policyText).policy, policyText, outDir, tokens: noToken, rehearsal: false, airGapProbe: async () => [],
    })).rejects.toMatchObject({ code: 'WITNESS_COSIGNER_MISSING' });
    expect(existsSync(outDir)).toBe(false);
  });
});

describe('a step that fails as it runs', () => {
  const probeFails = async (): Promise<[]> => { throw new KeyriteError('AIR_GAP_PROBE_FAILED', 'The network could not be read.', { action: 'Check the machine.' }); };

  it('keeps waiting for the go that started it, with the error shown; after a resume the administrator\'s go', async () => {
    const run = await open('probe-fails', noToken, probeFails);
    await run.submit({ kind: 'confirm', who: 'Alice Admin' });
    await run.submit({ kind: 'attest', witness: 'Wendy Witness' });
    await run.submit({ kind: 'attest', witness: 'Walter Witness' });
    const v = await run.submit({ kind: 'confirm', who: 'Wendy Witness' });
    expect(v.error?.code).toBe('AIR_GAP_PROBE_FAILED');
    expect(v.need).toEqual({ kind: 'confirm', who: 'Alice Admin' });
    expect(v.steps[1]?.status).toBe('current');
    await run.close();
    // Resumed with the step active: the run opens (it does not throw), showing the error and asking for the go.
    const again = await open('probe-fails', noToken, probeFails);
    expect(again.view().error?.code).toBe('AIR_GAP_PROBE_FAILED');
    expect(again.view().need).toEqual({ kind: 'confirm', who: 'Alice Admin' });
    await again.close();
    const fine = await open('probe-fails');
    expect(fine.view().error).toBeNull();
    expect(fine.view().need).toEqual({ kind: 'attest', witnesses: ['Wendy Witness'], attested: [] });
    await fine.close();
    expect(lines('probe-fails').filter((e) => e.step === 'air-gap').map((e) => e.kind)).toEqual(['step.start', 'step.result']);
  });
});

describe('checkpoints', () => {
  const treeSize = (name: string) => Number(readFileSync(path.join(tmp.dir, name, 'checkpoint.note'), 'utf8').split('\n')[1]);

  it('one at the start, then one as each step is done, covering every entry so far; none for an attestation alone', async () => {
    const run = await open('checkpoints');
    expect(readdirSync(path.join(tmp.dir, 'checkpoints', 'checkpoints'))).toEqual(['000001.note']);
    expect(treeSize('checkpoints')).toBe(1);
    await run.submit({ kind: 'confirm', who: 'Alice Admin' });
    await run.submit({ kind: 'attest', witness: 'Wendy Witness' });
    expect(treeSize('checkpoints')).toBe(1);
    await run.submit({ kind: 'attest', witness: 'Walter Witness' });
    const n = lines('checkpoints').length;
    expect(lines('checkpoints').at(-1)?.kind).toBe('step.done');
    expect(treeSize('checkpoints')).toBe(n);
    expect(readdirSync(path.join(tmp.dir, 'checkpoints', 'checkpoints'))).toEqual(['000001.note', `${String(n).padStart(6, '0')}.note`]);
    await run.close();
  });
});
