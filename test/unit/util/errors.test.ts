import { describe, expect, it } from 'vitest';
import { KeyriteError, asResult, toErrorData } from '../../../electron/core/util/errors';

describe('KeyriteError', () => {
  it('round-trips through plain data, as it must across IPC', () => {
    const e = new KeyriteError('PIN_INCORRECT', 'The PIN is wrong.', { action: 'Try again.', details: { finalTry: true } });
    const back = KeyriteError.fromData(JSON.parse(JSON.stringify(e.toData())));
    expect(back).toBeInstanceOf(KeyriteError);
    expect(back.code).toBe('PIN_INCORRECT');
    expect(back.action).toBe('Try again.');
    expect(back.details).toEqual({ finalTry: true });
  });

  it('turns a thrown error into a failed Result, never a throw', async () => {
    const r = await asResult(() => {
      throw new KeyriteError('X', 'bad');
    });
    expect(r).toEqual({ ok: false, error: { code: 'X', message: 'bad' } });
    expect(toErrorData(new Error('boom')).code).toBe('INTERNAL');
  });
});
