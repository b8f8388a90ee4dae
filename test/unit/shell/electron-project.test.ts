import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { chooseDataDir } from '../../../electron/main/services';
import { electronBinary } from '../../e2e/electron-binary';
import { tempDir } from '../../helpers/softhsm';

describe('the e2e electron project gate', () => {
  const dirs: Array<{ cleanup: () => void }> = [];
  afterEach(() => dirs.splice(0).forEach((d) => d.cleanup()));

  it('finds no binary when electron was installed without its download (this machine)', () => {
    const t = tempDir('keyrite-electron-bin-');
    dirs.push(t);
    mkdirSync(path.join(t.dir, 'node_modules', 'electron'), { recursive: true });
    expect(electronBinary(t.dir)).toBeNull();
    // path.txt alone is not enough: the binary it names must be there.
    writeFileSync(path.join(t.dir, 'node_modules', 'electron', 'path.txt'), 'electron');
    expect(electronBinary(t.dir)).toBeNull();
  });

  it('finds the binary path.txt names inside dist/', () => {
    const t = tempDir('keyrite-electron-bin-');
    dirs.push(t);
    const pkg = path.join(t.dir, 'node_modules', 'electron');
    mkdirSync(path.join(pkg, 'dist'), { recursive: true });
    writeFileSync(path.join(pkg, 'path.txt'), 'electron\n');
    writeFileSync(path.join(pkg, 'dist', 'electron'), '');
    expect(electronBinary(t.dir)).toBe(path.join(pkg, 'dist', 'electron'));
  });
});

describe('KEYRITE_DATA_DIR', () => {
  it('keeps ceremonies under userData unless overridden', () => {
    expect(chooseDataDir(undefined, '/home/ada/.config/Keyrite')).toBe(path.join('/home/ada/.config/Keyrite', 'ceremonies'));
    expect(chooseDataDir('', '/home/ada/.config/Keyrite')).toBe(path.join('/home/ada/.config/Keyrite', 'ceremonies'));
    expect(chooseDataDir('/tmp/keyrite-e2e-1/data', '/home/ada/.config/Keyrite')).toBe('/tmp/keyrite-e2e-1/data');
  });

  it('refuses a relative override with what to do', () => {
    expect(() => chooseDataDir('data', '/u')).toThrow(expect.objectContaining({ code: 'DATA_DIR_INVALID', action: expect.stringContaining('full path') }));
  });
});
