/**
 * What a resumed run never does again. A step the journal shows done is not performed again (its
 * check is not re-run, no second start is journaled), a journal that starts a done step again is
 * refused, and an irreversible step whose token operation was announced (an open intent) or
 * succeeded is never restarted: the runner refuses the new start before writing it, and before any
 * token call. The journal prefix is written by the runner itself; the later entries stand for what a
 * crash or a damaged run leaves, appended through the public journal API.
 *
 * Every journal fault is a typed error and nothing is lost: when the transcript cannot be written
 * while a resumed run opens (its first move journals the step.done of a step performed before the
 * interruption), opening fails with the journal's error instead of showing a run that can no longer
 * record anything; the transcript is left as it was, and once the disk takes writes again the same
 * folder resumes and journals that step.done once. The disk fault is injected under the journal
 * (Node's file write refused with ENOSPC for the transcript alone, test/helpers/journal-faults.ts).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openCeremonyRun } from '../../../electron/core/ceremony/runner';
import { parsePolicy, parseScript } from '../../../electron/core/ceremony/load';
import { Journal } from '../../../electron/core/transcript/journal';
import type { AppendInput } from '../../../electron/core/transcript/entry-kinds';
import type { TokenApi } from '../../../electron/core/token/types';
import { tempDir } from '../../helpers/softhsm';
import { failWritesTo } from '../../helpers/journal-faults';

const ROOT = path.resolve(__dirname, '../../..');
const scriptText = readFileSync(path.join(ROOT, 'resources/ceremonies/root-keygen.yaml'), 'utf8');
const policyText = readFileSync(path.join(ROOT, 'resources/policy/default.yaml'), 'utf8');
const tmp = tempDir('keyrite-resume-promises-');
afterAll(() => tmp.cleanup());

let tokenCalls = 0;
const noToken = new Proxy({}, { get: () => () => { tokenCalls++; throw new Error('the token must not be used'); } }) as TokenApi;

function open(outDir: string, probe: () => void = () => undefined) {
  return openCeremonyRun({
    script: parseScript(scriptText, 'root-keygen.yaml'), policy: parsePolicy(policyText).policy, policyText,
    outDir, tokens: noToken, rehearsal: false, airGapProbe: async () => { probe(); return []; },
  });
}

const lines = (outDir: string) => readFileSync(path.join(outDir, 'transcript.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { kind: string; step: string });

/** Runs the first two steps (room, air-gap) to done through the runner, then closes it. */
async function twoStepsDone(name: string): Promise<{ outDir: string; probes: number }> {
  const outDir = path.join(tmp.dir, name);
  let probes = 0;
  const run = await open(outDir, () => { probes++; });
  await run.submit({ kind: 'confirm', who: 'Alice Admin' });
  await run.submit({ kind: 'attest', witness: 'Wendy Witness' });
  await run.submit({ kind: 'attest', witness: 'Walter Witness' });
  await run.submit({ kind: 'confirm', who: 'Alice Admin' });
  const v = await run.submit({ kind: 'attest', witness: 'Wendy Witness' });
  expect(v.steps.slice(0, 2).map((s) => s.status)).toEqual(['done', 'done']);
  await run.close();
  return { outDir, probes };
}

async function appendRaw(outDir: string, entries: Omit<AppendInput, 'actor'>[]): Promise<void> {
  const { journal } = await Journal.open(path.join(outDir, 'transcript.jsonl'));
  for (const e of entries) await journal.append({ ...e, actor: { role: 'system', name: 'keyrite' } } as AppendInput);
  await journal.close();
}

describe('a completed step', () => {
  it('is not performed again when the run resumes', async () => {
    const { outDir, probes } = await twoStepsDone('done-once');
    expect(probes).toBe(1);
    const before = lines(outDir);
    let again = 0;
    const run = await open(outDir, () => { again++; });
    const v = run.view();
    expect(v.steps.slice(0, 3).map((s) => s.status)).toEqual(['done', 'done', 'current']);
    expect(v.current).toBe(2);
    expect(v.need.kind).toBe('pin');
    await run.close();
    expect(again).toBe(0);
    expect(lines(outDir)).toEqual(before);
    for (const step of ['room', 'air-gap']) expect(before.filter((e) => e.step === step && e.kind === 'step.start'), step).toHaveLength(1);
  });

  it('started again in the journal makes the run refuse to resume', async () => {
    const { outDir } = await twoStepsDone('done-restarted');
    await appendRaw(outDir, [{ kind: 'step.start', step: 'air-gap', data: { title: 'again' } }]);
    let probes = 0;
    await expect(open(outDir, () => { probes++; })).rejects.toMatchObject({ code: 'STEP_TRANSITION_REFUSED' });
    expect(probes).toBe(0);
  });
});

describe('a step being worked on', () => {
  it('started a second time in the journal makes the run refuse to resume', async () => {
    const { outDir } = await twoStepsDone('active-restarted');
    await appendRaw(outDir, [
      { kind: 'step.start', step: 'login', data: { title: 'login' } },
      { kind: 'step.start', step: 'login', data: { title: 'login again' } },
    ]);
    await expect(open(outDir)).rejects.toMatchObject({ code: 'STEP_TRANSITION_REFUSED' });
  });
});

describe('an irreversible step whose token operation reached the token', () => {
  const cases = [
    { what: 'with its intent still open', ops: (opId: string) => [{ kind: 'step.intent', step: 'generate', data: { opId, operation: 'generateKeyPair', ckaId: 'aa'.repeat(16) } }] },
    { what: 'with its operation done', ops: (opId: string) => [
      { kind: 'step.intent', step: 'generate', data: { opId, operation: 'generateKeyPair', ckaId: 'bb'.repeat(16) } },
      { kind: 'step.result', step: 'generate', data: { opId, outcome: 'ok' } },
    ] },
  ];
  for (const c of cases) {
    it(`${c.what}, then failed, is never started again`, async () => {
      const { outDir } = await twoStepsDone(`irreversible-${c.what.split(' ').at(-1)}`);
      await appendRaw(outDir, [
        { kind: 'step.start', step: 'login', data: { title: 'login' } },
        { kind: 'step.result', step: 'login', data: { outcome: 'ok' } },
        { kind: 'step.done', step: 'login', data: {} },
        { kind: 'step.start', step: 'generate', data: { title: 'generate' } },
        ...c.ops('0a1b2c3d4e5f'),
        { kind: 'step.result', step: 'generate', data: { outcome: 'failed', error: { code: 'TOKEN_HOST_STOPPED', message: 'the host stopped' } } },
      ] as Omit<AppendInput, 'actor'>[]);
      const before = lines(outDir);
      tokenCalls = 0;
      const run = await open(outDir);
      expect(run.view().steps[3]?.status).toBe('failed');
      const v = await run.submit({ kind: 'confirm', who: 'Alice Admin' });
      expect(v.error?.code).toBe('STEP_TRANSITION_REFUSED');
      expect(v.steps[3]?.status).toBe('failed');
      await run.close();
      expect(lines(outDir)).toEqual(before);
      expect(tokenCalls).toBe(0);
    });
  }

  it('a failed step that never reached the token may start again (the refusal is not blanket)', async () => {
    const { outDir } = await twoStepsDone('reversible-retry');
    await appendRaw(outDir, [
      { kind: 'step.start', step: 'login', data: { title: 'login' } },
      { kind: 'step.result', step: 'login', data: { outcome: 'ok' } },
      { kind: 'step.done', step: 'login', data: {} },
      { kind: 'step.start', step: 'generate', data: { title: 'generate' } },
      { kind: 'step.result', step: 'generate', data: { outcome: 'failed', error: { code: 'TOKEN_NOT_PRESENT', message: 'no token' } } },
    ] as Omit<AppendInput, 'actor'>[]);
    const run = await open(outDir);
    const v = await run.submit({ kind: 'confirm', who: 'Alice Admin' });
    expect(v.error).toBeNull();
    expect(v.steps[3]?.status).toBe('current');
    expect(v.need.kind).toBe('pin');
    await run.close();
    expect(lines(outDir).filter((e) => e.step === 'generate' && e.kind === 'step.start')).toHaveLength(2);
  });
});

describe('a resumed run whose first entry cannot be written', () => {
  /**
   * The room step attested by both witnesses, its step.done refused by the disk: the state a crash
   * between the last attestation and step.done leaves. The submit itself fails with the journal's error.
   */
  async function roomAttestedNotDone(name: string): Promise<{ outDir: string; file: string; before: Buffer }> {
    const outDir = path.join(tmp.dir, name);
    const file = path.join(outDir, 'transcript.jsonl');
    const run = await open(outDir);
    await run.submit({ kind: 'confirm', who: 'Alice Admin' });
    await run.submit({ kind: 'attest', witness: 'Wendy Witness' });
    await withFullDisk(file, 1, async (fault) => {
      await expect(run.submit({ kind: 'attest', witness: 'Walter Witness' })).rejects.toMatchObject({ code: 'JOURNAL_WRITE_FAILED' });
      expect(fault.refused).toBe(1);
    });
    await run.close();
    expect(lines(outDir).slice(-2).map((e) => `${e.kind} ${e.step}`)).toEqual(['step.attest room', 'step.attest room']);
    return { outDir, file, before: readFileSync(file) };
  }

  /** Runs `fn` while writes to `file` fail as on a full disk (after `after` writes have gone through). */
  async function withFullDisk(file: string, after: number, fn: (fault: { refused: number }) => Promise<void>): Promise<void> {
    const fault = await failWritesTo(file, { after });
    try {
      await fn(fault);
    } finally {
      fault.restore();
    }
  }

  it('does not open: the journal error (ENOSPC) is thrown, the transcript is unchanged, and the run resumes once the disk works', async () => {
    const { outDir, file, before } = await roomAttestedNotDone('full-disk');
    await withFullDisk(file, 0, async (fault) => {
      const err = await open(outDir).then(() => null, (e: unknown) => e);
      expect(err).toMatchObject({ code: 'JOURNAL_WRITE_FAILED' });
      expect((err as Error).message).toContain('ENOSPC');
      expect((err as Error).message).toContain(file);
      expect(fault.refused).toBe(1);
    });
    expect(readFileSync(file).equals(before)).toBe(true);

    const run = await open(outDir);
    const v = run.view();
    expect(v.error).toBeNull();
    expect(v.steps.slice(0, 2).map((s) => s.status)).toEqual(['done', 'current']);
    expect(v.need).toMatchObject({ kind: 'confirm', who: 'Alice Admin' });
    await run.close();
    const kinds = lines(outDir).map((e) => `${e.kind} ${e.step}`);
    expect(kinds.filter((k) => k === 'step.done room')).toHaveLength(1);
    expect(kinds.at(-1)).toBe('step.done room');
  });

  it('a second try while the disk is still full fails the same way and writes nothing', async () => {
    const { outDir, file, before } = await roomAttestedNotDone('still-full');
    await withFullDisk(file, 0, async () => {
      for (let i = 0; i < 2; i++) await expect(open(outDir)).rejects.toMatchObject({ code: 'JOURNAL_WRITE_FAILED' });
    });
    expect(readFileSync(file).equals(before)).toBe(true);
  });
});
