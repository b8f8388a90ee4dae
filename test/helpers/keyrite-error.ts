import { KeyriteError } from '../../electron/core/util/errors';

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
