/**
 * IPC registration. Each channel of the handler table gets one ipcMain.handle; the sender is checked
 * (the app's own top frame, in a window main created), then the request goes through the core's one
 * dispatcher (electron/core/ipc/dispatch.ts), which parses it with the channel's schema once, as it
 * does for the UI harness. Replies are always Result values: only `.message` survives Electron's
 * IPC when a handler throws, so nothing is thrown across it.
 */
import type { EventChannel, EventMap, HandlerTable, InvokeChannel, Result } from '../contract';
import { invokeChannel, requestInvalid } from '../core/ipc/dispatch';
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

function refused(code: string, message: string, action: string): Result<never> {
  return { ok: false, error: { code, message, action } };
}

export type ChannelListener = (event: InvokeEventLike, request: unknown) => Promise<Result<unknown>>;

/** One channel's ipcMain.handle listener: the sender check, then the dispatcher (parse, run, Result-wrap). */
export function makeChannelListener(channel: InvokeChannel, table: HandlerTable, trusted: TrustedSenders): ChannelListener {
  return async (event, request) => {
    if (!isTrustedSender(event, trusted)) {
      // Dropped without running anything; the URL tells a reviewer where it came from.
      console.warn(`ipc: dropped ${channel} from an untrusted sender (${event.senderFrame?.url ?? 'no frame'})`);
      return refused('IPC_UNTRUSTED_SENDER', `The request ${channel} did not come from the Keyrite window.`, 'Restart Keyrite.');
    }
    return invokeChannel(table, channel, request);
  };
}

export interface IpcMainLike {
  handle(channel: string, listener: (event: InvokeEventLike, ...args: unknown[]) => Promise<unknown>): void;
  removeHandler(channel: string): void;
}

export interface IpcRegistration {
  /** Unregisters every channel. */
  dispose(): void;
}

/** Registers every channel of the table. */
export function registerIpc(ipcMain: IpcMainLike, table: HandlerTable, trusted: TrustedSenders): IpcRegistration {
  const channels = Object.keys(table) as InvokeChannel[];
  for (const channel of channels) {
    const listener = makeChannelListener(channel, table, trusted);
    ipcMain.handle(channel, (event: InvokeEventLike, ...args: unknown[]) =>
      // The preload sends exactly one request value (or none); anything else did not come from it.
      args.length > 1 ? Promise.resolve({ ok: false, error: requestInvalid(channel, 'it carried extra arguments').toData() }) : listener(event, args[0]),
    );
  }
  return {
    dispose: () => {
      for (const channel of channels) ipcMain.removeHandler(channel);
    },
  };
}

/** Pushes a contract event to the window; a closed window simply misses it. */
export function sendEvent<E extends EventChannel>(contents: { send(channel: string, payload: unknown): void } | undefined, channel: E, payload: EventMap[E]): void {
  contents?.send(channel, payload);
}
