/**
 * The one way the renderer calls Keyrite's core (window.keyrite, through ../api). Main answers every
 * call with a Result: a refusal is data, and the `request` the store gives each slice writes it into
 * that slice. Only a broken bridge throws (the preload gone, a channel closed); `callKeyrite` turns
 * that into a `BridgeFailure`, an error with a code and an action the person can act on, never an
 * exception.
 */
import { keyrite, type ErrorData, type KeyriteApi, type Result } from '../api';

/** The error shown when a request never reached main, or its answer never came back. */
export interface BridgeFailure extends ErrorData {
  code: 'BRIDGE_FAILED';
  action: string;
}

export function bridgeFailure(thrown: unknown): BridgeFailure {
  const reason = thrown instanceof Error ? thrown.message : String(thrown);
  return {
    code: 'BRIDGE_FAILED',
    message: `The request did not reach Keyrite's core: ${reason}`,
    action: 'Try again; if it keeps failing, restart Keyrite (completed ceremony steps are kept).',
  };
}

/** Calls one method of the preload API; a throw comes back as a failed Result, never as an exception. */
export async function callKeyrite<T>(call: (api: KeyriteApi) => Promise<Result<T>>): Promise<Result<T>> {
  try {
    return await call(keyrite());
  } catch (e) {
    return { ok: false, error: bridgeFailure(e) };
  }
}

/** Writes some of a slice's fields, as zustand's `set` does without `replace`. */
export type SliceSet<S> = (partial: Partial<S> | ((state: S) => Partial<S>)) => void;

/** The keys of S whose value is exactly V (e.g. the boolean fields, the `ErrorData | null` fields). */
type FieldsOf<S, V> = { [K in keyof S]-?: [S[K]] extends [V] ? ([V] extends [S[K]] ? K : never) : never }[keyof S];

export interface RequestFields<S, T> {
  /** The flag that is true while the request is in flight, and false once it settled either way. */
  busy?: FieldsOf<S, boolean>;
  /** Where a refusal lands; set to null when the request succeeds. */
  error: FieldsOf<S, ErrorData | null>;
  /** Also clear the error when the request is sent (a form sent again), not only once it succeeds. */
  clearErrorOnSend?: boolean;
  /** The fields a success writes; applied last, so it may keep the error (a cancelled dialog). */
  onOk?: (value: T) => Partial<S>;
  /** Other fields a refusal writes besides the error (a result that no longer stands). */
  onError?: (error: ErrorData) => Partial<S>;
}

/**
 * The request function of one slice: it calls the preload API and writes the outcome into the slice
 * in one update, busy flag down and either the success's fields or the error. It resolves to whether
 * the request succeeded, and never throws. The store binds one to each slice's `set` (index.ts), so
 * the slice's type is known before the fields are checked.
 */
export type Request<S> = <T>(call: (api: KeyriteApi) => Promise<Result<T>>, fields: RequestFields<S, T>) => Promise<boolean>;

export function requester<S>(set: SliceSet<S>): Request<S> {
  return async function request(call, fields) {
    const { busy, error, clearErrorOnSend = false, onOk, onError } = fields;
    const sending: Record<string, unknown> = {};
    if (busy !== undefined) sending[busy as string] = true;
    if (clearErrorOnSend) sending[error as string] = null;
    if (Object.keys(sending).length > 0) set(sending as Partial<S>);
    const r = await callKeyrite(call);
    const settled: Record<string, unknown> = {};
    if (busy !== undefined) settled[busy as string] = false;
    if (r.ok) {
      settled[error as string] = null;
      set({ ...settled, ...onOk?.(r.value) } as Partial<S>);
      return true;
    }
    settled[error as string] = r.error;
    set({ ...onError?.(r.error), ...settled } as Partial<S>);
    return false;
  };
}
