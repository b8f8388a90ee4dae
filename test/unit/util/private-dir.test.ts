/**
 * makePrivateDir, the one way Keyrite makes an output or token folder: missing parents made 0700,
 * an existing folder left as it is, and a path that cannot be a folder refused at once. Node's
 * recursive mkdir loops forever under /proc (every mkdir there answers ENOENT), so `--out
 * /proc/typo` used to hang the CLI instead of saying the path is unusable.
 */
import { chmodSync, existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { makePrivateDir } from '../../../electron/core/util/fs-durable';
import { tempDir } from '../../helpers/softhsm';

const tmp = tempDir('keyrite-private-dir-');
afterAll(() => tmp.cleanup());
let n = 0;
const fresh = () => path.join(tmp.dir, `case-${n++}`);
const mode = (p: string) => statSync(p).mode & 0o777;

describe('makePrivateDir', () => {
  it('makes every missing parent 0700 and leaves an existing folder and its mode alone', async () => {
    const base = fresh();
    mkdirSync(base, { mode: 0o755 });
    chmodSync(base, 0o755);
    const dir = path.join(base, 'a', 'b', 'c');
    await makePrivateDir(dir);
    for (const d of [dir, path.dirname(dir), path.join(base, 'a')]) expect(mode(d)).toBe(0o700);
    expect(mode(base)).toBe(0o755);
    await makePrivateDir(dir);
    expect(mode(dir)).toBe(0o700);
  });

  it('accepts a relative path', async () => {
    const rel = path.relative(process.cwd(), path.join(fresh(), 'x'));
    await makePrivateDir(rel);
    expect(statSync(rel).isDirectory()).toBe(true);
  });

  it('refuses a path where a file stands (EEXIST) or under a file (ENOTDIR), and makes nothing', async () => {
    const file = path.join(fresh(), 'f');
    await makePrivateDir(path.dirname(file));
    writeFileSync(file, 'x');
    await expect(makePrivateDir(file)).rejects.toMatchObject({ code: 'EEXIST', path: file, message: `EEXIST: ${file} exists and is not a folder` });
    await expect(makePrivateDir(path.join(file, 'sub', 'deeper'))).rejects.toMatchObject({ code: 'ENOTDIR' });
    expect(existsSync(path.join(file, 'sub'))).toBe(false);
  });

  it('lets several makers of the same new folder all succeed (one makes each level, the others find it)', async () => {
    const dir = path.join(fresh(), 'x', 'y', 'z');
    await Promise.all([1, 2, 3, 4].map(() => makePrivateDir(dir)));
    expect(statSync(dir).isDirectory()).toBe(true);
    expect(mode(dir)).toBe(0o700);
  });

  it.runIf(existsSync('/proc/self'))('fails at once under /proc instead of looping (Node recursive mkdir hangs there)', async () => {
    await expect(makePrivateDir('/proc/keyrite-no-such/out')).rejects.toMatchObject({ code: 'ENOENT' });
  });
});
