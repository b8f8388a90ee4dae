/**
 * The one dispatcher at the IPC boundary, used by Electron main's registration
 * (electron/main/ipc.ts) and by the UI harness's page binding (test/e2e/bridge.ts): a request is
 * parsed once with its channel's schema (electron/contract/channels.ts), the handler runs on the
 * parsed value, and whatever it throws comes back as data (a Result), because only `.message`
 * survives Electron's IPC. A malformed request is refused with REQUEST_INVALID on every path.
 */
import type { z } from 'zod';
import { CHANNELS } from '../../contract/channels';
import type { HandlerTable, InvokeChannel, Req, Res, Result } from '../../contract/index';
import { asResult, KeyriteError } from '../util/errors';

/** A channel's implementation: takes the parsed request, returns its result or throws a KeyriteError. */
export type ChannelImpl<C extends InvokeChannel> = (req: Req<C>) => Promise<Res<C>>;
export type ChannelImpls<K extends InvokeChannel = InvokeChannel> = { [C in K]: ChannelImpl<C> };

/** Channels named `prefix/...`, e.g. ChannelsOf<'ceremony'>. */
export type ChannelsOf<P extends string> = Extract<InvokeChannel, `${P}/${string}`>;

/**
 * The refusal of a malformed request: names the channel, the field and the problem, never the
 * value (it may be a PIN).
 */
export function requestInvalid(channel: string, problem: string, path: readonly PropertyKey[] = []): KeyriteError {
  const where = path.length > 0 ? ` (${path.map(String).join('.')})` : '';
  return new KeyriteError('REQUEST_INVALID', `The request to ${channel} was refused${where}: ${problem}.`, {
    action: 'Check what was entered and try again. If this keeps happening, it is a bug in Keyrite: report it.',
    details: { channel, path: path.map(String) },
  });
}

/** Parses a request with its channel's schema; throws REQUEST_INVALID. */
export function parseRequest<C extends InvokeChannel>(channel: C, req: unknown): Req<C> {
  const schema: z.ZodType = CHANNELS[channel].request;
  const parsed = schema.safeParse(req);
  if (parsed.success) return parsed.data as Req<C>;
  const issue = parsed.error.issues[0];
  throw requestInvalid(channel, issue?.message ?? 'it does not match the contract', issue?.path ?? []);
}

/** Binds implementations to their channels: each entry parses its request, runs, and answers a Result. */
export function bindChannels<K extends InvokeChannel>(impls: ChannelImpls<K>): Pick<HandlerTable, K> {
  const bound: Partial<Record<InvokeChannel, (req: unknown) => Promise<Result<unknown>>>> = {};
  for (const channel of Object.keys(impls) as K[]) {
    const impl = impls[channel] as (req: unknown) => Promise<unknown>;
    bound[channel] = (req) => asResult(async () => impl(parseRequest(channel, req)));
  }
  return bound as unknown as Pick<HandlerTable, K>;
}

/** Calls a channel by name with untrusted input: Electron's ipcMain listeners and the harness binding. */
export async function invokeChannel(table: HandlerTable, channel: unknown, req: unknown): Promise<Result<unknown>> {
  if (typeof channel !== 'string' || !Object.hasOwn(table, channel)) {
    return { ok: false, error: { code: 'CHANNEL_UNKNOWN', message: `There is no channel called ${String(channel)}.`, action: 'This is a bug in Keyrite: report it.' } };
  }
  const handler = table[channel as InvokeChannel] as (r: unknown) => Promise<Result<unknown>>;
  return handler(req);
}
