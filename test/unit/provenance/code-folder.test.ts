import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runningCodeFolder } from '../../../electron/core/provenance/code-digest';

describe('the running code folder', () => {
  it('is out/ when the code runs from the built main bundle', () => {
    expect(runningCodeFolder(pathToFileURL('/opt/Keyrite/resources/app.asar/out/main/index.js').href)).toEqual({ parent: '/opt/Keyrite/resources/app.asar', folder: 'out' });
  });
  it('is out/ when the keyrite command runs from its built bundle (out/cli)', () => {
    expect(runningCodeFolder(pathToFileURL('/home/a/keyrite/out/cli/ceremony-BkGVBNTh.js').href)).toEqual({ parent: '/home/a/keyrite', folder: 'out' });
  });
  it('is electron/ of the checkout when the sources run (tests through vitest)', () => {
    const src = path.resolve(__dirname, '../../../electron/core/provenance/code-digest.ts');
    expect(runningCodeFolder(pathToFileURL(src).href)).toEqual({ parent: path.resolve(__dirname, '../../..'), folder: 'electron' });
  });
});
