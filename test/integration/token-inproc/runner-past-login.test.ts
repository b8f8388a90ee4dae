/**
 * The runner's promises past the login (runner.ts), on a real SoftHSM2 token through the token host's
 * server run in the test process, driven through the CeremonyRun API as the app drives it
 * (./runner-room.ts). Each test runs its own root-keygen (every custodian on paper):
 * - every step the view shows done is journaled (step.done) before the view is returned; while a step
 *   works the view says which (its instruction), and progress events carry the run's id; the key is
 *   locked before the seal; the final checkpoint covers every entry and is signed by the transcript
 *   key and the new key (proof of possession); the transcript verifies VALID;
 * - a share is revealed only to the custodian on turn, only while it is on offer; a mistyped word
 *   is refused and the same custodian asked again;
 * - errors after the login show in the view and lose nothing: a wrong PIN (tries left), a second input
 *   while one is processed, the token session lost during the key generation or after the last step
 *   (the PIN is asked again; one key, one generation);
 * - close() ends the token session and the closed run takes no input; a resumed run never runs a
 *   completed step again; resumed in the seal with no session it asks for the PIN; a sealed folder
 *   reopens done and is left as it is.
 */
import { mkdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { CeremonyRun, RunView } from '../../../electron/core/ceremony/run-types';
import { verifyTranscript } from '../../../electron/core/transcript/verify';
import { parseNote } from '../../../electron/core/transcript/note';
import { parseCheckpoint } from '../../../electron/core/transcript/checkpoint';
import { tempDir, USER_PIN } from '../../helpers/softhsm';
import { ADMIN, CUSTODIANS, errorOf, makeRoom, SCRIPT, STEPS, stepDone, TOKEN_LABEL, type ErrorSeen, type Room } from './runner-room';

const tmp = tempDir('keyrite-runner-inproc-');
afterAll(() => tmp.cleanup());
const instruction = (step: string) => SCRIPT.script.steps.find((s) => s.id === step)!.instruction;

/**
 * The sealed transcript verifies, with every step once (one step.start, step.done and plain
 * step.result each) and one key; each login journaled on the step it happened in ('-' after the last).
 */
async function expectSealedOnce(room: Room, logins: string[]): Promise<void> {
  expect((await verifyTranscript(room.out)).failure).toBeUndefined();
  const all = room.transcript();
  expect(all.filter((e) => e.kind === 'session.opened').map((e) => e.step)).toEqual(logins);
  for (const step of STEPS) {
    expect(all.filter((e) => e.kind === 'step.start' && e.step === step), step).toHaveLength(1);
    expect(all.filter((e) => e.kind === 'step.done' && e.step === step), step).toHaveLength(1);
    expect(all.filter((e) => e.kind === 'step.result' && e.step === step && e.data.opId === undefined), step).toHaveLength(1);
  }
  expect(all.filter((e) => e.kind === 'key.generated')).toHaveLength(1);
}

describe('a root-keygen on a real token', () => {
  it('journals each step before the view shows it done, says what is running, locks the key before the seal and signs the final checkpoint', async () => {
    const room = await makeRoom(path.join(tmp.dir, 'plain'));
    try {
      const run = await room.open();
      const v = await room.driveUntil(run, (x) => x.need.kind === 'done');
      expect(v.current).toBeNull();
      expect(v.error).toBeNull();
      await run.close();

      expect(room.views.length).toBeGreaterThan(20);
      expect(room.doneBeforeJournaled).toEqual([]);

      expect([...new Set(room.progress.map((p) => p.event.step))]).toEqual(expect.arrayContaining(['login', 'generate', 'backup']));
      for (const { event, need } of room.progress) {
        expect(event.runId).toBe(v.runId);
        expect(need).toEqual({ kind: 'running', message: instruction(event.step) });
      }

      const all = room.transcript();
      const locked = all.findIndex((e) => e.kind === 'key.locked');
      expect(locked).toBeGreaterThan(0);
      expect(all.findIndex((e) => e.kind === 'ceremony.sealed')).toBeGreaterThan(locked);
      expect(all.at(-1)?.kind).toBe('ceremony.sealed');
      const key = all.find((e) => e.kind === 'key.generated')!.data as { id: string; label: string };
      const s = await room.client.openSession({ label: TOKEN_LABEL }, { pin: USER_PIN });
      expect(await room.client.readKeyProof(s, { id: key.id, label: key.label })).toMatchObject({ extractable: false, sensitive: true, local: true });
      await room.client.closeSession(s);

      expect((await verifyTranscript(room.out)).steps.completed).toEqual(STEPS);
      const note = parseNote(readFileSync(path.join(room.out, 'checkpoint.note'), 'utf8'));
      expect(parseCheckpoint(note.text).size).toBe(all.length);
      expect(note.signatures.map((x) => x.name).sort()).toEqual([`keyrite.transcript/${SCRIPT.script.id}`, `keyrite.root/${key.label}`].sort());

      // Each step's result carries what the step found, for the auditor: the proof, the public key's file and fingerprint, the split.
      const result = (step: string) => all.find((e) => e.kind === 'step.result' && e.step === step && e.data.opId === undefined)!.data;
      const generated = all.find((e) => e.kind === 'key.generated')!.data as { fingerprint: string };
      expect(result('air-gap')).toMatchObject({ outcome: 'ok', findings: [] });
      expect(result('proof')).toMatchObject({ outcome: 'ok', proof: { local: true, sensitive: true } });
      expect(result('public-key')).toMatchObject({ outcome: 'ok', file: 'public-key.pem', fingerprint: generated.fingerprint });
      expect(result('backup')).toMatchObject({ outcome: 'ok', splitId: all.find((e) => e.kind === 'share.verified')!.data.splitId });

      // The ceremony.start entry names the token the run was given, read from it at the start.
      const session = all.find((e) => e.kind === 'session.opened')!.data.token as { serial: string };
      expect((all[0]!.data.provenance as { token: unknown }).token).toMatchObject({ label: TOKEN_LABEL, serial: session.serial, manufacturer: 'SoftHSM project', model: 'SoftHSM v2' });
      await expectSealedOnce(room, ['login']);
    } finally {
      await room.close();
    }
  }, 120_000);

  it('reveals a share only to the custodian on turn while it is on offer; a mistyped word is refused and the same custodian asked again', async () => {
    const room = await makeRoom(path.join(tmp.dir, 'reveal'));
    try {
      const run = await room.open();
      const reveals: [string, string, string][] = [];
      let refusal: ErrorSeen | undefined;
      let whilePuttingAway = '';
      let wrongWord: RunView | undefined;
      const ask = async (who: string) => run.revealShare(who).then((share) => { room.revealed.set(who, share); return 'ok'; }, (e: unknown) => { refusal ??= errorOf(e); return errorOf(e).code; });
      await room.driveUntil(run, stepDone('backup'), async (v) => {
        const need = v.need;
        if (need.kind === 'show-share') {
          for (const who of CUSTODIANS) reveals.push([who, need.custodian, await ask(who)]);
          if (need.custodian !== 'Carol') return undefined;
          // While the share is being put away (the submit at work), not even its custodian gets it.
          const putAway = run.submit(room.answer(need));
          await new Promise((r) => setImmediate(r));
          whilePuttingAway = await ask('Carol');
          const after = await putAway;
          reveals.push(['Carol', 'Carol, put away', await ask('Carol')]);
          return after;
        }
        if (need.kind === 'verify-share' && need.custodian === 'Dan' && !wrongWord) {
          const right = need.positions.map((p) => room.revealed.get('Dan')!.words[p - 1]!);
          wrongWord = await run.submit({ kind: 'verify-share', custodian: 'Dan', words: [right[0] === 'abandon' ? 'ability' : 'abandon', ...right.slice(1)] });
          expect(wrongWord.error?.code).toBe('SHARE_VERIFY_FAILED');
          expect(wrongWord.need).toEqual(need);
          return run.submit(room.answer(wrongWord.need));
        }
        return undefined;
      });
      // A refused word is not a token error: the session stays, no second login.
      expect(room.transcript().filter((e) => e.kind === 'session.opened')).toHaveLength(1);
      await run.close();

      const expected = CUSTODIANS.flatMap((turn) => CUSTODIANS.map((who) => [who, turn, who === turn ? 'ok' : 'SHARE_NOT_OFFERED']));
      expected.splice(CUSTODIANS.length, 0, ['Carol', 'Carol, put away', 'SHARE_NOT_OFFERED']);
      expect(reveals).toEqual(expected);
      expect(whilePuttingAway).toBe('SHARE_NOT_OFFERED');
      expect(refusal).toEqual({ code: 'SHARE_NOT_OFFERED', message: 'It is not Dan\'s turn to see a share.', action: 'Follow the hand-off order on screen.' });

      const shown = room.transcript().filter((e) => e.kind === 'share.shown');
      for (const [custodian, share] of room.revealed) {
        expect(share.custodian).toBe(custodian);
        expect(share.words.length).toBeGreaterThan(20);
        expect(share.fingerprint).toBe(shown.find((e) => e.data.custodian === custodian)?.data.fingerprint);
      }
      const checks = room.transcript().filter((e) => e.kind === 'share.verified');
      expect(checks.filter((e) => e.data.ok === true).map((e) => e.data.custodian)).toEqual(CUSTODIANS);
      expect(checks.filter((e) => e.data.ok !== true).map((e) => [e.data.custodian, e.data.wrongPositions])).toEqual([['Dan', [(wrongWord?.need as { positions: number[] }).positions[0]]]]);
    } finally {
      await room.close();
    }
  }, 120_000);
});

describe('errors after the login show in the view and lose nothing', () => {
  it('a wrong PIN shows the tries left; a lost session asks for the PIN, in a step and after the last one; one key is made', async () => {
    const room = await makeRoom(path.join(tmp.dir, 'errors'));
    try {
      const run = await room.open();
      await room.driveUntil(run, (x) => x.need.kind === 'pin');
      const wrong = run.submit({ kind: 'pin', pin: '654321' });
      const busy = await run.submit({ kind: 'pin', pin: USER_PIN }).then(() => undefined, errorOf);
      const wrongPin = await wrong;
      expect(busy).toEqual({ code: 'RUN_BUSY', message: 'The previous input is still being processed.', action: 'Wait for the step to finish.' });
      expect(wrongPin.error?.code).toBe('PIN_INCORRECT');
      expect(wrongPin.need).toMatchObject({ kind: 'pin', who: ADMIN, tries: { countLow: true, locked: false } });
      expect(await run.recordDeviation(ADMIN, ' no ').then(() => undefined, errorOf)).toEqual({ code: 'INPUT_DEVIATION_REASON', message: 'A deviation needs a reason.', action: 'Say why the script is not followed.' });

      // The session is lost (the token reset) as the key generation starts.
      expect((await room.driveUntil(run, stepDone('login'))).need).toEqual({ kind: 'confirm', who: ADMIN });
      await room.loseSession();
      const lost = await run.submit({ kind: 'confirm', who: ADMIN });
      expect(lost.error?.code).toMatch(/^SESSION_/);
      expect(lost.current).toBe(STEPS.indexOf('generate'));
      expect(lost.need).toMatchObject({ kind: 'pin', who: ADMIN, token: TOKEN_LABEL });
      const relogin = await run.submit({ kind: 'pin', pin: USER_PIN });
      expect(relogin.error).toBeNull();
      expect(relogin.need).toEqual({ kind: 'attest', witnesses: ['Wendy Witness', 'Walter Witness'], attested: [] });

      // Lost at the checkpoint after a step is done: no step is at work, so the PIN is asked once, when the next step needs the token.
      await room.driveUntil(run, (x) => x.steps[STEPS.indexOf('public-key')]?.status === 'current' && x.need.kind === 'attest');
      await room.loseSession();
      const atCheckpoint = await run.submit({ kind: 'attest', witness: 'Wendy Witness' });
      expect(atCheckpoint.error?.code).toMatch(/^SESSION_/);
      expect(atCheckpoint.steps[STEPS.indexOf('public-key')]?.status).toBe('done');
      expect(atCheckpoint.need.kind).not.toBe('pin');
      let pins = 0;
      await room.driveUntil(run, stepDone('root-cert'), async (v) => { if (v.need.kind === 'pin') pins++; return undefined; });
      expect(pins).toBe(1);

      // And again after the last step: the checkpoint after the seal step's last attestation cannot be signed.
      await room.driveUntil(run, (x) => x.steps.find((s) => s.id === 'seal')?.attested.length === 1);
      await room.loseSession();
      const atSeal = await run.submit({ kind: 'attest', witness: 'Walter Witness' });
      expect(atSeal.error?.code).toMatch(/^SESSION_/);
      expect(atSeal.current).toBeNull();
      expect(atSeal.need).toMatchObject({ kind: 'pin', who: ADMIN, token: TOKEN_LABEL });
      const done = await run.submit({ kind: 'pin', pin: USER_PIN });
      expect(done.error).toBeNull();
      expect(done.need).toEqual({ kind: 'done' });
      await run.close();

      await expectSealedOnce(room, ['login', 'generate', 'root-cert', '-']);
      expect(room.transcript().filter((e) => e.kind === 'session.login-failed').map((e) => e.step)).toEqual(['login']);
    } finally {
      await room.close();
    }
  }, 120_000);
});

describe('close and resume', () => {
  it('close() ends the session; a resumed run never runs a completed step again, asks for the PIN in the seal, and a sealed folder is left as it is', async () => {
    const room = await makeRoom(path.join(tmp.dir, 'resume'));
    try {
      const run1 = await room.open();
      await room.driveUntil(run1, stepDone('proof'));
      const session = room.sessionsOpened.at(-1)!;
      await run1.close();
      expect(room.sessionsClosed).toEqual([session]);
      expect(await room.client.readKeyProof(session, { id: '00', label: 'none' }).then(() => 'open', (e: unknown) => errorOf(e).code)).toMatch(/^SESSION_/);
      expect(await run1.submit({ kind: 'confirm', who: ADMIN }).then(() => 'accepted', (e: unknown) => errorOf(e).code)).toBe('JOURNAL_CLOSED');

      const run2 = await room.open();
      expect(run2.view()).toMatchObject({ current: STEPS.indexOf('public-key'), error: null, need: { kind: 'confirm', who: ADMIN } });
      // Closed while Carol's share is on offer: the share is put away, for her too.
      await room.driveUntil(run2, (x) => x.need.kind === 'show-share');
      expect(run2.view().need).toMatchObject({ kind: 'show-share', custodian: 'Carol' });
      await run2.close();
      expect(await run2.revealShare('Carol').then(() => 'ok', (e: unknown) => errorOf(e).code)).toBe('SHARE_NOT_OFFERED');

      const run2b = await room.open();
      await room.driveUntil(run2b, (x) => x.steps.find((s) => s.id === 'seal')?.attested.length === 1);
      await run2b.close();

      // Resumed in the seal with no session: the last attestation, then the PIN (for the final checkpoint's signatures).
      const run3: CeremonyRun = await room.open();
      const pin = await run3.submit({ kind: 'attest', witness: 'Walter Witness' });
      expect(pin).toMatchObject({ current: null, error: null, need: { kind: 'pin', who: ADMIN, token: TOKEN_LABEL } });
      const deviation = await run3.recordDeviation(ADMIN, 'the laptop was closed during the seal');
      expect(deviation.deviations.at(-1)).toMatchObject({ step: '-', who: ADMIN, why: 'the laptop was closed during the seal' });
      expect((await run3.submit({ kind: 'pin', pin: USER_PIN })).need).toEqual({ kind: 'done' });
      await run3.close();

      await expectSealedOnce(room, ['login', 'public-key', 'backup', '-']);
      expect(room.transcript().filter((e) => e.kind === 'deviation').at(-1)).toMatchObject({ step: '-', data: { why: 'the laptop was closed during the seal' } });

      // Reopened once sealed: done, and no file in the folder is written again.
      const files = ['transcript.jsonl', 'checkpoint.note', 'report.html', 'public-key.pem'];
      const mtimes = () => files.map((f) => statSync(path.join(room.out, f)).mtimeMs);
      const before = mtimes();
      await new Promise((r) => setTimeout(r, 20));
      const run4 = await room.open();
      expect(run4.view()).toMatchObject({ current: null, error: null, need: { kind: 'done' } });
      await run4.close();
      expect(mtimes()).toEqual(before);

      // Reopened with report.html gone and public-key.pem not writable (a folder in its place): the
      // exports cannot be written again, and the run opens still opening, with the error shown.
      rmSync(path.join(room.out, 'report.html'));
      rmSync(path.join(room.out, 'public-key.pem'));
      mkdirSync(path.join(room.out, 'public-key.pem', 'in-the-way'), { recursive: true });
      const run5 = await room.open();
      expect(run5.view().error).not.toBeNull();
      expect(run5.view().need).toEqual({ kind: 'running', message: 'Opening the ceremony' });
      await run5.close();
    } finally {
      await room.close();
    }
  }, 120_000);
});
