/**
 * A ceremony room for the runner tests in this folder: a fresh SoftHSM2 token reached through the
 * token host's server run in the test process (test/helpers/in-process-host.ts), a root-keygen script
 * with every custodian on paper, and people who answer each need through the CeremonyRun API as the
 * app's screens do, recording what they saw.
 *
 * Each test drives its own room inside the test (not in beforeAll): StrykerJS's per-test coverage
 * counts only the code a test itself runs, so a ceremony run in beforeAll would cover no mutant.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { openCeremonyRun } from '../../../electron/core/ceremony/runner';
import { parsePolicy, parseScript } from '../../../electron/core/ceremony/load';
import type { CeremonyRun, ProgressEvent, RevealedShare, RunInput, RunNeed, RunView } from '../../../electron/core/ceremony/run-types';
import { createTokenClient, type TokenClient } from '../../../electron/core/token/client';
import type { SessionId, TokenApi } from '../../../electron/core/token/types';
import { inProcessSpawner } from '../../helpers/in-process-host';
import { makeToken, USER_PIN } from '../../helpers/softhsm';

const ROOT = path.resolve(__dirname, '../../..');
// Every custodian on paper: a `file` delivery would spend seconds in scrypt for nothing the runner decides.
export const SCRIPT_TEXT = readFileSync(path.join(ROOT, 'resources/ceremonies/root-keygen.yaml'), 'utf8').replace('{ name: Frank, delivery: file }', '{ name: Frank, delivery: paper }');
export const POLICY_TEXT = readFileSync(path.join(ROOT, 'resources/policy/default.yaml'), 'utf8');
export const SCRIPT = parseScript(SCRIPT_TEXT, 'root-keygen.yaml');
export const STEPS = SCRIPT.script.steps.map((s) => s.id);
export const CUSTODIANS = ['Carol', 'Dan', 'Erin', 'Frank', 'Grace'];
export const ADMIN = 'Alice Admin';
export const TOKEN_LABEL = 'keyrite-rehearsal';

export type Line = { seq: number; kind: string; step: string; actor: { role: string; name: string }; data: Record<string, unknown> };
export type ErrorSeen = { code: string; message: string; action: string | undefined };
export const errorOf = (e: unknown): ErrorSeen => { const k = e as ErrorSeen; return { code: k.code, message: k.message, action: k.action }; };
export const stepDone = (id: string) => (v: RunView) => v.steps.find((s) => s.id === id)?.status === 'done';

export interface Room {
  out: string;
  client: TokenClient;
  /** Sessions the runner opened and closed on the token, in order. */
  sessionsOpened: SessionId[];
  sessionsClosed: SessionId[];
  /** Share reveals each custodian got (on their turn). */
  revealed: Map<string, RevealedShare>;
  /** Steps a view showed done while the transcript on disk had no step.done for them. */
  doneBeforeJournaled: string[];
  views: RunView[];
  progress: { event: ProgressEvent; need: RunNeed }[];
  open(tokens?: TokenApi): Promise<CeremonyRun>;
  transcript(): Line[];
  /** Answers each need until `stop` says so; `each` may answer a need itself (returns the view) instead. */
  driveUntil(run: CeremonyRun, stop: (v: RunView) => boolean, each?: (v: RunView) => Promise<RunView | undefined>): Promise<RunView>;
  answer(need: RunNeed): RunInput;
  /** The runner's session closed behind its back, as a token reset does. */
  loseSession(): Promise<void>;
  close(): Promise<void>;
}

export async function makeRoom(dir: string): Promise<Room> {
  const token = await makeToken(path.join(dir, 'token'), TOKEN_LABEL);
  const client = createTokenClient({ modulePath: token.modulePath, env: token.env, spawner: inProcessSpawner() });
  // A session of the room's own stays open throughout. It was written around a defect since fixed:
  // SoftHSM2 reissues object handles once all of an application's sessions are closed, and the
  // adapter's key-type cache was by handle alone (key-type-after-session.test.ts pins the fix).
  const keep = await client.openSession({ label: TOKEN_LABEL });
  const out = path.join(dir, 'ceremony');
  const room: Room = {
    out, client, sessionsOpened: [], sessionsClosed: [], revealed: new Map(), doneBeforeJournaled: [], views: [], progress: [],
    open: async (tokens) => {
      const api: TokenApi = tokens ?? {
        ...client,
        openSession: async (...a) => { const s = await client.openSession(...a); room.sessionsOpened.push(s); return s; },
        closeSession: async (s) => { room.sessionsClosed.push(s); return client.closeSession(s); },
      };
      const run = await openCeremonyRun({ script: SCRIPT, policy: parsePolicy(POLICY_TEXT).policy, policyText: POLICY_TEXT, outDir: out, tokens: api, rehearsal: true, airGapProbe: async () => [] });
      run.on('changed', (v) => {
        room.views.push(v);
        const journaled = new Set(room.transcript().filter((e) => e.kind === 'step.done').map((e) => e.step));
        for (const s of v.steps) if (s.status === 'done' && !journaled.has(s.id)) room.doneBeforeJournaled.push(s.id);
      });
      run.on('progress', (event) => { room.progress.push({ event, need: run.view().need }); });
      return run;
    },
    transcript: () => readFileSync(path.join(out, 'transcript.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Line),
    answer: (need) => {
      switch (need.kind) {
        case 'confirm': return { kind: 'confirm', who: ADMIN };
        case 'pin': return { kind: 'pin', pin: USER_PIN };
        case 'attest': return { kind: 'attest', witness: need.witnesses.find((w) => !need.attested.includes(w))! };
        case 'show-share': return { kind: 'share-shown', custodian: need.custodian };
        case 'verify-share': return { kind: 'verify-share', custodian: need.custodian, words: need.positions.map((p) => room.revealed.get(need.custodian)!.words[p - 1]!) };
        default: throw new Error(`unexpected need ${need.kind}`);
      }
    },
    driveUntil: async (run, stop, each) => {
      let v = run.view();
      for (let guard = 0; !stop(v) && guard < 200; guard++) {
        const mine = each ? await each(v) : undefined;
        if (mine) { v = mine; continue; }
        if (v.need.kind === 'show-share') room.revealed.set(v.need.custodian, await run.revealShare(v.need.custodian));
        v = await run.submit(room.answer(v.need));
        if (v.error) throw new Error(`${v.error.code}: ${v.error.message}`);
      }
      return v;
    },
    loseSession: async () => { await client.closeSession(room.sessionsOpened.at(-1)!); },
    close: async () => {
      await client.closeSession(keep).catch(() => undefined);
      await client.close();
    },
  };
  return room;
}
