import { afterAll, describe, expect, it } from 'vitest';
import { createRehearsalToken } from '../../../electron/core/token/rehearsal';
import { tempDir } from '../../helpers/softhsm';

describe('rehearsal token', () => {
  const tmp = tempDir();
  afterAll(() => tmp.cleanup());

  it('provisions two labelled tokens in one folder and refuses a label twice', async () => {
    const a = await createRehearsalToken({ dir: tmp.dir, label: 'root-a' });
    const b = await createRehearsalToken({ dir: tmp.dir, label: 'root-b' });
    expect(a.confPath).toBe(b.confPath);
    expect(a.serial).toMatch(/^[0-9a-f]{16}$/);
    expect(a.serial).not.toBe(b.serial);
    await expect(createRehearsalToken({ dir: tmp.dir, label: 'root-a' })).rejects.toMatchObject({ code: 'TOKEN_LABEL_IN_USE' });
  });
});
