/**
 * Every fault point is recoverable. A root-keygen rehearsal is run through the CLI with
 * KEYRITE_TEST_KILL_TRACE to list every named kill point it reaches (each fsynced journal append,
 * each stage of each file publish, each stage of the transcript key's making and destruction; see
 * electron/core/util/kill-point.ts). Then, for each point in turn, a run is SIGKILLed there by
 * KEYRITE_TEST_KILL_AT, and the same command is run again on the same folder; the runs are chained
 * (the resume is killed at the next point) so that each point costs one process, not a ceremony.
 * At the end of each chain the ceremony is finished and checked: `keyrite verify` says VALID, the
 * irreversible work was done once (one root key, one transcript key, one handover, one certificate,
 * one seal, one done per step), and no temp file or transcript key is left in the folder.
 * A point a resumed run no longer reaches (it was before where the run resumes) is killed again in
 * a fresh folder, so that every point is killed at least once.
 */
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readJournalEntries } from '../../../electron/core/ceremony/prior-run';
import { loadScriptFile } from '../../../electron/core/ceremony/load';
import type { JournalEntry } from '../../../electron/core/transcript/entry-kinds';
import { tempDir } from '../../helpers/softhsm';
import { pkcs11Objects, privateKeyObjects, ROOT, TEMPLATES } from './helpers';

const tmp = tempDir('keyrite-kill-points-');
afterAll(() => tmp.cleanup());
const SCRIPT = path.join(TEMPLATES, 'root-keygen.yaml');
const STEPS = loadScriptFile(SCRIPT).script.steps.map((s) => s.id);
const CLI = path.join(ROOT, 'bin/keyrite.mjs');

interface CliRun { code: number | null; signal: NodeJS.Signals | null; output: string }

function keyrite(args: string[], env: Record<string, string> = {}): Promise<CliRun> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
    let output = '';
    child.stdout.on('data', (d) => { output += String(d); });
    child.stderr.on('data', (d) => { output += String(d); });
    child.on('exit', (code, signal) => resolve({ code, signal, output }));
  });
}

const rehearse = (out: string, env: Record<string, string> = {}) => keyrite(['ceremony', 'run', SCRIPT, '--rehearsal', '--out', out], env);

/** Every file under dir except the rehearsal token's own store. */
function ourFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((d) => d.isFile())
    .map((d) => path.relative(dir, path.join(d.parentPath, d.name)))
    .filter((f) => !f.startsWith(`token${path.sep}`));
}

const isOk = (e: JournalEntry) => (e.data as { outcome?: string }).outcome === 'ok';
const opOf = (e: JournalEntry) => (e.data as { operation?: string }).operation;

async function expectFinishedOnce(out: string, killedAt: string[]): Promise<void> {
  const why = `after kills at ${killedAt.join(', ')}`;
  const verify = await keyrite(['verify', '--json', out]);
  expect(verify.code, `${why}\n${verify.output}`).toBe(0);
  expect((JSON.parse(verify.output) as { failure?: unknown }).failure, why).toBeUndefined();
  const entries = readJournalEntries(path.join(out, 'transcript.jsonl'));
  for (const step of STEPS) expect(entries.filter((e) => e.step === step && e.kind === 'step.done'), `${step} ${why}`).toHaveLength(1);
  const intents = (operation: string) => entries.filter((e) => e.kind === 'step.intent' && opOf(e) === operation);
  const okResultsOf = (ops: JournalEntry[]) => entries.filter((e) => e.kind === 'step.result' && isOk(e) && ops.some((i) => (i.data as { opId: string }).opId === (e.data as { opId?: string }).opId));
  expect(okResultsOf(intents('generateKeyPair')), why).toHaveLength(1);
  // An intent killed before its call is closed as not done (looked up by CKA_ID); one call succeeded.
  expect(okResultsOf(intents('generateTranscriptKeyPair')), why).toHaveLength(1);
  expect(entries.filter((e) => e.kind === 'key.generated'), why).toHaveLength(1);
  expect(entries.filter((e) => e.kind === 'transcript.key-handover'), why).toHaveLength(1);
  expect(entries.filter((e) => e.kind === 'certificate.issued'), why).toHaveLength(1);
  expect(entries.filter((e) => e.kind === 'ceremony.sealed'), why).toHaveLength(1);
  // One root key and one transcript key on the token, whatever was interrupted.
  const privates = privateKeyObjects(pkcs11Objects(path.join(out, 'token/softhsm2.conf'), 'keyrite-rehearsal'));
  expect(privates.transcript, why).toHaveLength(1);
  expect(privates.others, why).toHaveLength(1);
  const files = ourFiles(out);
  expect(files.filter((f) => f.endsWith('.tmp')), why).toEqual([]);
  expect(files.filter((f) => f.includes('transcript-key.secret')), why).toEqual([]);
  // backup.json is the one the transcript's last backup made.
  const backups = entries.filter((e) => e.kind === 'backup.created');
  const last = backups[backups.length - 1]?.data as { splitId: string; voidSplits: string[] };
  const file = JSON.parse(readFileSync(path.join(out, 'backup.json'), 'utf8')) as { split: { id: string } };
  expect(file.split.id, why).toBe(last.splitId);
  // A backup redone after a kill voids the splits before it, and says so.
  expect([...last.voidSplits].sort(), why).toEqual(backups.slice(0, -1).map((b) => (b.data as { splitId: string }).splitId).sort());
}

let points: string[] = [];

beforeAll(async () => {
  const out = path.join(tmp.dir, 'trace');
  const trace = path.join(tmp.dir, 'trace.txt');
  const run = await rehearse(out, { KEYRITE_TEST_KILL_TRACE: trace });
  expect(run.code, run.output).toBe(0);
  points = [...new Set(readFileSync(trace, 'utf8').split('\n').filter(Boolean))];
  rmSync(out, { recursive: true, force: true });
}, 300_000);

describe('a root-keygen rehearsal killed at every named point', () => {
  it('lists every kind of point: step boundaries, each stage of each publish, the transcript key', () => {
    for (const step of STEPS) expect(points).toContain(`append:step.done:${step}`);
    for (const stage of ['tmp-created', 'tmp-synced', 'renamed', 'dir-synced']) {
      for (const file of ['#.note', 'checkpoint.note', 'public-key.pem', 'root-cert.pem', 'backup.json', 'Carol.txt', 'report.html']) {
        expect(points).toContain(`publish.${stage}:${file}`);
      }
    }
    for (const p of ['created', 'synced', 'renamed', 'overwritten']) expect(points).toContain(`transcript-key.${p}`);
    expect(points).toContain('rehearsal-token.configured');
  });

  // Four chains, so a failure names a part of the ceremony and each test stays within its timeout.
  const CHAINS = 4;
  for (let c = 0; c < CHAINS; c++) {
    it(`part ${c + 1} of ${CHAINS}: each kill resumes with the same command to a VALID transcript, nothing done twice, no temp file left`, async () => {
      const mine = points.filter((_, i) => Math.floor((i * CHAINS) / points.length) === c);
      expect(mine.length).toBeGreaterThan(0);
      let folder = 0;
      let out = '';
      let killedHere: string[] = [];
      const finish = async () => {
        if (killedHere.length === 0) return;
        const last = await rehearse(out);
        expect(last.code, `resume after ${killedHere.join(', ')}\n${last.output}`).toBe(0);
        await expectFinishedOnce(out, killedHere);
      };
      const fresh = () => { out = path.join(tmp.dir, `chain-${c}-${folder++}`); killedHere = []; };
      fresh();
      for (const point of mine) {
        let run = await rehearse(out, { KEYRITE_TEST_KILL_AT: point });
        if (run.signal !== 'SIGKILL') {
          // The resumed run had passed this point already: the ceremony is finished; kill it afresh.
          expect(run.code, `run meant to die at ${point} after ${killedHere.join(', ')}\n${run.output}`).toBe(0);
          if (killedHere.length > 0) await expectFinishedOnce(out, killedHere);
          fresh();
          run = await rehearse(out, { KEYRITE_TEST_KILL_AT: point });
        }
        expect(run.signal, `a fresh run never reached ${point}\n${run.output}`).toBe('SIGKILL');
        killedHere.push(point);
      }
      await finish();
    }, 1_800_000);
  }
});
