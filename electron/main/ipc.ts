/**
 * IPC registration. Each channel of the handler table gets one ipcMain.handle; before the handler
 * runs, the sender is checked (the app's own top frame, in a window main created) and the request
 * is validated against the channel's schema. Replies are always Result values: only `.message`
 * survives Electron's IPC when a handler throws, so nothing is thrown across it.
 */
import type { EventChannel, EventMap, HandlerTable, InvokeChannel, Result } from '../contract';
import { toErrorData } from '../core/util/errors';
import { isAppUrl } from './protocol';

/** The parts of Electron's IpcMainInvokeEvent the sender check reads. */
export interface SenderFrame {
  url: string;
  parent: SenderFrame | null;
}
export interface InvokeEventLike {
  sender: { id: number };
  senderFrame: SenderFrame | null;
}

/** A request schema: zod's safeParse shape, so any zod schema fits. */
export interface RequestSchema {
  safeParse(data: unknown): { success: true; data: unknown } | { success: false; error: { issues: ReadonlyArray<{ path: ReadonlyArray<PropertyKey>; message: string }> } };
}

export type RequestSchemas = Readonly<Partial<Record<string, RequestSchema>>>;

/** webContents ids main created and trusts (the main window only; print views get no preload). */
export class TrustedSenders {
  private readonly ids = new Set<number>();
  add(id: number): void {
    this.ids.add(id);
  }
  remove(id: number): void {
    this.ids.delete(id);
  }
  has(id: number): boolean {
    return this.ids.has(id);
  }
}

/** The part of a BrowserWindow trustWhileOpen reads. */
export interface TrustableWindow {
  webContents: { id: number };
  on(event: 'closed', listener: () => void): unknown;
}

/** Trusts a window main created until it closes: a closed window's id is never trusted again. */
export function trustWhileOpen(win: TrustableWindow, trusted: TrustedSenders): void {
  const id = win.webContents.id;
  trusted.add(id);
  win.on('closed', () => trusted.remove(id));
}

export function isTrustedSender(event: InvokeEventLike, trusted: TrustedSenders): boolean {
  const frame = event.senderFrame;
  // senderFrame is null when the frame navigated away or was destroyed while the call was in flight.
  if (frame === null) return false;
  if (frame.parent !== null) return false;
  if (!isAppUrl(frame.url)) return false;
  return trusted.has(event.sender.id);
}

function refused(code: string, message: string, action: string, details?: Record<string, unknown>): Result<never> {
  return { ok: false, error: details === undefined ? { code, message, action } : { code, message, action, details } };
}

export type ChannelListener = (event: InvokeEventLike, request: unknown) => Promise<Result<unknown>>;

/** One channel's ipcMain.handle listener: sender check, validation, then the handler, Result-wrapped. */
export function makeChannelListener(
  channel: InvokeChannel,
  handler: (req: never) => Promise<Result<unknown>>,
  schema: RequestSchema | undefined,
  trusted: TrustedSenders,
): ChannelListener {
  return async (event, request) => {
    if (!isTrustedSender(event, trusted)) {
      // Dropped without running anything; the URL tells a reviewer where it came from.
      console.warn(`ipc: dropped ${channel} from an untrusted sender (${event.senderFrame?.url ?? 'no frame'})`);
      return refused('IPC_UNTRUSTED_SENDER', `The request ${channel} did not come from the Keyrite window.`, 'Restart Keyrite.');
    }
    let validated: unknown = undefined;
    if (schema !== undefined) {
      const parsed = schema.safeParse(request);
      if (!parsed.success) {
        const issues = parsed.error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message }));
        return refused('IPC_BAD_REQUEST', `The request ${channel} was malformed.`, 'This is a bug in Keyrite. Note the step and report it.', { issues });
      }
      validated = parsed.data;
    } else {
      // Only channels whose owner has not published a schema yet reach here; their handlers parse
      // the request themselves. registerIpc reports them so the gap stays visible.
      validated = request;
    }
    try {
      return await handler(validated as never);
    } catch (e) {
      return { ok: false, error: toErrorData(e) };
    }
  };
}

export interface IpcMainLike {
  handle(channel: string, listener: (event: InvokeEventLike, ...args: unknown[]) => Promise<unknown>): void;
  removeHandler(channel: string): void;
}

export interface IpcRegistration {
  /** Unregisters every channel. */
  dispose(): void;
  /** Channels registered without a request schema (their handlers validate on their own). */
  unvalidated: InvokeChannel[];
}

/** Registers every channel of the table. */
export function registerIpc(ipcMain: IpcMainLike, table: HandlerTable, schemas: RequestSchemas, trusted: TrustedSenders): IpcRegistration {
  const channels = Object.keys(table) as InvokeChannel[];
  for (const channel of channels) {
    const listener = makeChannelListener(channel, table[channel] as (req: never) => Promise<Result<unknown>>, schemas[channel], trusted);
    ipcMain.handle(channel, (event: InvokeEventLike, ...args: unknown[]) =>
      // The preload sends exactly one request value (or none); anything else did not come from it.
      args.length > 1 ? Promise.resolve(refused('IPC_BAD_REQUEST', `The request ${channel} had extra arguments.`, 'Restart Keyrite.')) : listener(event, args[0]),
    );
  }
  return {
    dispose: () => {
      for (const channel of channels) ipcMain.removeHandler(channel);
    },
    unvalidated: channels.filter((c) => schemas[c] === undefined),
  };
}

/** Pushes a contract event to the window; a closed window simply misses it. */
export function sendEvent<E extends EventChannel>(contents: { send(channel: string, payload: unknown): void } | undefined, channel: E, payload: EventMap[E]): void {
  contents?.send(channel, payload);
}
