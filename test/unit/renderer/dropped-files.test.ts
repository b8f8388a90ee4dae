import { describe, expect, it } from 'vitest';
import { sortDroppedFiles } from '../../../renderer/src/store/dropped-files';

const SCRIPT = { fileName: 'root.yaml', text: 'version: 1\nid: r\ntype: root-keygen\nsteps:\n  - id: seal\n' };
const POLICY = { fileName: 'policy.yaml', text: 'version: 1\nname: p\nclasses:\n  root: {}\n' };

describe('sortDroppedFiles', () => {
  it('takes one file as the script, whatever it holds (main checks it as a picked file)', () => {
    const photo = { fileName: 'photo.png', text: '\u0089PNG' };
    expect(sortDroppedFiles([photo])).toEqual({ script: photo, policy: null });
  });

  it('tells the script from its policy in either order', () => {
    expect(sortDroppedFiles([POLICY, SCRIPT])).toEqual({ script: SCRIPT, policy: POLICY });
    expect(sortDroppedFiles([SCRIPT, POLICY])).toEqual({ script: SCRIPT, policy: POLICY });
  });

  it('refuses a drop with no script, two scripts, more than two files or nothing, each with an action', () => {
    const code = (r: ReturnType<typeof sortDroppedFiles>) => ('error' in r ? r.error.code : null);
    expect(code(sortDroppedFiles([POLICY]))).toBe('DROP_NO_SCRIPT');
    expect(code(sortDroppedFiles([SCRIPT, { ...SCRIPT, fileName: 'other.yaml' }]))).toBe('DROP_TWO_SCRIPTS');
    expect(code(sortDroppedFiles([SCRIPT, POLICY, POLICY]))).toBe('DROP_TOO_MANY');
    expect(code(sortDroppedFiles([]))).toBe('DROP_EMPTY');
    const r = sortDroppedFiles([POLICY]);
    expect('error' in r && r.error.action).toMatch(/Drop the ceremony script too/);
  });
});
