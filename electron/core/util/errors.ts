/**
 * Every failure a person can meet is a KeyriteError: a stable code they can look up
 * (docs/ERRORS.md), a message that says what is wrong, and what to do next.
 * Errors cross process and IPC boundaries as plain data (see toErrorData), never as thrown objects.
 */
export interface ErrorData {
  code: string;
  message: string;
  /** What the person in the room should do next. */
  action?: string;
  /** Machine-readable detail (e.g. { seq: 12 }, { wordIndex: 7 }); never a secret. */
  details?: Record<string, unknown>;
}

export class KeyriteError extends Error {
  readonly code: string;
  readonly action: string | undefined;
  readonly details: Record<string, unknown> | undefined;

  constructor(code: string, message: string, opts: { action?: string; details?: Record<string, unknown>; cause?: unknown } = {}) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = 'KeyriteError';
    this.code = code;
    this.action = opts.action;
    this.details = opts.details;
  }

  toData(): ErrorData {
    const data: ErrorData = { code: this.code, message: this.message };
    if (this.action !== undefined) data.action = this.action;
    if (this.details !== undefined) data.details = this.details;
    return data;
  }

  static fromData(data: ErrorData): KeyriteError {
    const opts: { action?: string; details?: Record<string, unknown> } = {};
    if (data.action !== undefined) opts.action = data.action;
    if (data.details !== undefined) opts.details = data.details;
    return new KeyriteError(data.code, data.message, opts);
  }
}

export function isKeyriteError(e: unknown): e is KeyriteError {
  return e instanceof KeyriteError;
}

/** Turns anything thrown into error data; unknown errors keep only their message. */
export function toErrorData(e: unknown): ErrorData {
  if (e instanceof KeyriteError) return e.toData();
  const message = e instanceof Error ? e.message : String(e);
  return { code: 'INTERNAL', message, action: 'This is a bug in Keyrite. Note the step and the message, and report it.' };
}

export type Result<T> = { ok: true; value: T } | { ok: false; error: ErrorData };

export async function asResult<T>(fn: () => Promise<T> | T): Promise<Result<T>> {
  try {
    return { ok: true, value: await fn() };
  } catch (e) {
    return { ok: false, error: toErrorData(e) };
  }
}
