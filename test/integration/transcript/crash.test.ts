/**
 * Durability under SIGKILL: a child appends entries and reports each seq after append() returns;
 * the parent kills it at random points, reopens, and checks that no reported entry is lost and that
 * reopening always succeeds (a torn final record is cut off and reported, nothing else).
 * SIGKILL alone does not tear a write on Linux (the kernel finishes the write() call), so in every
 * third trial the parent also leaves a prefix of the next entry's line at the end of the file, as a
 * power cut during the write would, and checks that reopening cuts exactly that off.
 */
import { fork } from 'node:child_process';
import { appendFileSync, statSync } from 'node:fs';
import path from 'node:path';
import canonicalize from 'canonicalize';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { Journal } from '../../../electron/core/transcript/journal';
import { tempDir } from '../../helpers/softhsm';
import { crashEntryData } from './crash-data';

const here = path.dirname(fileURLToPath(import.meta.url));
const tmp = tempDir('keyrite-crash-');
afterAll(() => tmp.cleanup());

interface Trial { reported: number; opened: number; repairedBytes: number }

function runTrial(file: string, killAfter: number, delayMs: number): Promise<Trial> {
  return new Promise((resolve, reject) => {
    const child = fork(path.join(here, 'append-child.ts'), [file, 'c-crash'], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
    let stderr = '';
    child.stderr?.on('data', (d) => (stderr += String(d)));
    let reported = -1;
    let opened = -1;
    let repairedBytes = 0;
    let acks = 0;
    let killing = false;
    const kill = () => {
      if (killing) return;
      killing = true;
      setTimeout(() => child.kill('SIGKILL'), delayMs);
    };
    child.on('message', (m: { seq?: number; opened?: number; repaired?: number }) => {
      if (m.opened !== undefined) {
        opened = m.opened;
        repairedBytes = m.repaired ?? 0;
        if (killAfter === 0) kill();
        return;
      }
      if (m.seq !== undefined) {
        reported = Math.max(reported, m.seq);
        if (++acks >= killAfter) kill();
      }
    });
    child.on('exit', (code, signal) => {
      if (signal !== 'SIGKILL') reject(new Error(`child exited ${code}/${signal}: ${stderr}`));
      else resolve({ reported, opened, repairedBytes });
    });
  });
}

describe('journal durability under SIGKILL', () => {
  it('loses no returned entry over 60 random kills, and always reopens', async () => {
    const file = path.join(tmp.dir, 'transcript.jsonl');
    let rng = 20261128;
    const rand = (n: number) => {
      rng = (rng * 1103515245 + 12345) % 2 ** 31;
      return rng % n;
    };
    let highest = -1;
    let repairs = 0;
    let tears = 0;
    for (let t = 0; t < 60; t++) {
      const trial = await runTrial(file, rand(12), rand(4));
      if (trial.repairedBytes > 0) repairs++;
      highest = Math.max(highest, trial.reported);
      let torn = 0;
      if (t % 3 === 2) {
        const probe = await Journal.open(file, { ceremonyId: 'c-crash' });
        if (probe.repaired) repairs++;
        const next = { actor: { name: 'crash-test', role: 'system' }, ceremony: 'c-crash', data: crashEntryData(probe.journal.size), kind: 'step.note' };
        await probe.journal.close();
        const line = canonicalize(next) as string;
        torn = 1 + rand(line.length - 1);
        const before = statSync(file).size;
        appendFileSync(file, line.slice(0, torn));
        expect(statSync(file).size).toBe(before + Buffer.byteLength(line.slice(0, torn)));
        torn = Buffer.byteLength(line.slice(0, torn));
        tears++;
      }
      const { journal, repaired } = await Journal.open(file, { ceremonyId: 'c-crash' });
      if (torn > 0) expect(repaired?.truncatedBytes, `trial ${t}`).toBe(torn);
      if (repaired) repairs++;
      expect(journal.size, `trial ${t}`).toBeGreaterThanOrEqual(highest + 1);
      const entries = journal.entries();
      for (let s = 0; s < journal.size; s++) {
        const e = entries[s];
        expect(e?.seq).toBe(s);
        expect(e?.data).toEqual(crashEntryData(s));
      }
      await journal.close();
    }
    expect(repairs).toBeGreaterThanOrEqual(tears);
    console.log(`crash test: 60 kills, ${highest + 1} entries reported, ${tears} simulated torn writes, ${repairs} repairs`);
  }, 600_000);
});
