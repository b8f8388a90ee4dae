import { KeyriteError, type ErrorData } from '../../electron/core/util/errors';

/** The KeyriteError `f` throws; fails the test when it throws nothing or anything else. */
export function thrownKeyriteError(f: () => unknown): KeyriteError {
  try {
    f();
  } catch (e) {
    if (e instanceof KeyriteError) return e;
    throw e;
  }
  throw new Error('expected a KeyriteError');
}

/** The error of a refused Result (a handler table's reply); fails the test when the reply is ok. */
export function refusalOf<T>(r: { ok: true; value: T } | { ok: false; error: ErrorData }): ErrorData {
  if (r.ok) throw new Error(`expected a refusal, got ${JSON.stringify(r.value)}`);
  return r.error;
}
