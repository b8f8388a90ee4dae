/**
 * The promise: interrupting the UI harness (Ctrl+C, or a kill) leaves no temp folder behind, even
 * while it is still building. The built harness (out/cli/ui-harness.js) runs with TMPDIR set to a
 * folder of this test; once it says where its temp folder and its rehearsal ceremonies are, it is
 * sent SIGINT (and, in a second run, SIGTERM), and that folder must be gone.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { tempDir } from '../../helpers/softhsm';

const ROOT = path.resolve(__dirname, '../../..');
const HARNESS = path.join(ROOT, 'out/cli/ui-harness.js');
const tmp = tempDir('keyrite-harness-signal-');
afterAll(() => tmp.cleanup());

function interrupted(name: string, signal: NodeJS.Signals): Promise<{ code: number | null; output: string; folder: string | undefined; left: string[] }> {
  const TMPDIR = path.join(tmp.dir, name);
  mkdirSync(TMPDIR);
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [HARNESS, '--check'], { cwd: ROOT, env: { ...process.env, TMPDIR }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    let sent = false;
    const onData = (d: Buffer) => {
      output += String(d);
      // Sent once the token is made and the folders are named: the renderer build is still to come.
      if (!sent && /Rehearsal ceremonies go to /.test(output)) { sent = true; child.kill(signal); }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code) => resolve({
      code, output, folder: /Temp folder \(removed on exit and on Ctrl\+C\): (\S+)/.exec(output)?.[1],
      left: readdirSync(TMPDIR).filter((f) => f.startsWith('keyrite-ui-')),
    }));
  });
}

describe('the UI harness interrupted while it starts', () => {
  for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143]] as const) {
    it(`${signal}: says where rehearsals go, stops, and removes its temp folder`, async () => {
      const r = await interrupted(signal.toLowerCase(), signal);
      expect(r.output).toMatch(/Rehearsal ceremonies go to \S+data \(one folder per run; the ceremony screen shows it\)/);
      expect(r.folder, r.output).toBeDefined();
      expect(r.folder!.startsWith(path.join(tmp.dir, signal.toLowerCase()))).toBe(true);
      expect(r.code, r.output).toBe(code);
      expect(existsSync(r.folder!)).toBe(false);
      expect(r.left).toEqual([]);
    }, 120_000);
  }
});
