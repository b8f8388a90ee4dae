import { describe, expect, it } from 'vitest';
import { API_METHODS, type InvokeChannel } from '../../../electron/contract/index';
import { parseRequest, requestSchema } from '../../../electron/contract/schemas';
import { KeyriteError } from '../../../electron/core/util/errors';

describe('request schemas', () => {
  it('every channel of the contract has a request schema', () => {
    const missing = Object.values(API_METHODS).filter((c) => requestSchema(c) === undefined);
    expect(missing).toEqual([]);
  });

  it('accepts an absolute transcript folder', () => {
    expect(parseRequest('audit/verify', { dir: '/home/auditor/ceremony-1' })).toEqual({ dir: '/home/auditor/ceremony-1' });
    expect(parseRequest('audit/verify', { dir: 'C:\\ceremonies\\one' })).toEqual({ dir: 'C:\\ceremonies\\one' });
  });

  it('refuses a relative path, a NUL, extra fields and a missing payload with REQUEST_INVALID', () => {
    for (const bad of [{ dir: 'ceremony-1' }, { dir: '/a\0b' }, { dir: '/a', extra: 1 }, undefined, 'x']) {
      let err: unknown;
      try {
        parseRequest('audit/verify', bad);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(KeyriteError);
      expect((err as KeyriteError).code).toBe('REQUEST_INVALID');
      expect((err as KeyriteError).action).toBeTruthy();
    }
  });

  it('refuses a payload on a channel that takes none', () => {
    expect(() => parseRequest('tokens/list', { slot: 1 })).toThrow(KeyriteError);
  });

  it('never echoes the refused value (it may be a PIN)', () => {
    const secret = '98765432-not-a-valid-input';
    try {
      parseRequest('ceremony/submit' as InvokeChannel, { kind: 'pin', pin: secret, extra: true });
      expect.unreachable('the request should be refused');
    } catch (e) {
      const err = e as KeyriteError;
      expect(err.code).toBe('REQUEST_INVALID');
      expect(JSON.stringify(err.toData())).not.toContain(secret);
    }
  });
});
