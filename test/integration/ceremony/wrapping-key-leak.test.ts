/**
 * Issue #4's promise, checked after a whole root-key ceremony: the backup's wrapping key appears in
 * no encoding (raw, hex, base64, base32, words) in the transcript, the report, the checkpoints,
 * the backup file, the share files, the token store, what the run printed, or any temp file it made.
 * The key itself is rebuilt from the custodians' share files, as a recovery would.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { parseBackupFile, RecoverySession } from '../../../electron/core/shares';
import { withRebuiltKey } from '../../../electron/core/shares/recovery';
import { tempDir } from '../../helpers/softhsm';
import { allFiles, findLeaks } from '../shares/helpers';
import { ROOT, TEMPLATES } from './helpers';

const run = promisify(execFile);

describe('after a root-key ceremony', () => {
  const tmp = tempDir('keyrite-leak-');
  afterAll(() => tmp.cleanup());

  it('the wrapping key is in no file the ceremony left behind, in any encoding', async () => {
    const out = path.join(tmp.dir, 'ceremony');
    const scratch = path.join(tmp.dir, 'tmp');
    mkdirSync(scratch);
    const { stdout, stderr } = await run(process.execPath, [
      path.join(ROOT, 'bin/keyrite.mjs'), 'ceremony', 'run', path.join(TEMPLATES, 'root-keygen.yaml'), '--rehearsal', '--out', out,
    ], { env: { ...process.env, TMPDIR: scratch }, maxBuffer: 16 * 1024 * 1024 });
    const log = path.join(tmp.dir, 'run.log');
    writeFileSync(log, stdout + stderr);
    expect(stdout).toContain('sealed');

    const backup = parseBackupFile(readFileSync(path.join(out, 'backup.json'), 'utf8'));
    const session = new RecoverySession(backup);
    for (const f of readdirSync(path.join(out, 'shares')).slice(0, backup.split.k)) {
      session.add({ text: readFileSync(path.join(out, 'shares', f), 'utf8') });
    }
    const files = [...allFiles(out), ...allFiles(scratch), log];
    expect(files.some((f) => f.endsWith('transcript.jsonl'))).toBe(true);
    expect(files.some((f) => f.includes(`${path.sep}token${path.sep}`))).toBe(true);

    const { leaks, control } = await withRebuiltKey(session, async (key) => {
      // Control: the same scan finds the key when a file does hold it, in hex and base64.
      const ctl = path.join(tmp.dir, 'control.txt');
      writeFileSync(ctl, `x ${Buffer.from(key).toString('hex')} y ${Buffer.from(key).toString('base64')}`);
      return { leaks: findLeaks(files, key), control: findLeaks([ctl], key).length };
    });
    session.dispose();
    expect(control).toBeGreaterThan(0);
    expect(leaks).toEqual([]);
  });
});
