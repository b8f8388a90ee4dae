/**
 * The handler table: one async function per contract channel, mapping it to a core service call.
 * Every request is parsed with its zod schema (the renderer is untrusted input) and every reply is
 * Result-wrapped (asResult), so failures cross IPC as data with their code and action.
 * Electron main registers these with ipcMain.handle; the e2e harness binds them into a page.
 */
import { asResult, KeyriteError } from '../util/errors';
import type { BaseInvokeMap, HandlerTable, InvokeChannel, Req, Res, Result } from '../../contract/index';
import { parseRequest } from '../../contract/schemas';
import type { DevicesView } from '../../contract/views';
import { createCeremonyHandlers } from './ceremony-handlers';
import type { HandlerDeps as CoreHandlerDeps } from './deps';
import { printReport, printShareSheet, type PrintService, type ShareSource } from './print-handlers';
import { listRecentCeremonies } from './recent';

/** The table's dependencies: the core ones plus printing, which only Electron main provides. */
export interface HandlerDeps extends CoreHandlerDeps {
  print?: PrintService;
}

function unavailable(what: string, action: string): KeyriteError {
  return new KeyriteError('SERVICE_UNAVAILABLE', `${what} is not available in this build of Keyrite.`, { action });
}

type BaseImpl = { [C in keyof BaseInvokeMap]: (req: BaseInvokeMap[C]['req']) => Promise<BaseInvokeMap[C]['res']> };

/** Wraps an implementation: parse the request, run it, return a Result. */
export function wrapHandler<C extends InvokeChannel>(channel: C, impl: (req: Req<C>) => Promise<Res<C>>): (req: Req<C>) => Promise<Result<Res<C>>> {
  return (req) => asResult(async () => impl(parseRequest<Req<C>>(channel, req)));
}

export async function readDevices(deps: Pick<HandlerDeps, 'tokens' | 'usb' | 'airGapProbe'>): Promise<DevicesView> {
  const slots = await deps.tokens.listSlots();
  const view: DevicesView = { slots, usb: [], usbAvailable: false };
  if (deps.airGapProbe) view.network = { findings: await deps.airGapProbe() };
  if (!deps.usb) return view;
  try {
    return { ...view, usb: await deps.usb.list(), usbAvailable: true };
  } catch {
    // Tokens still show when USB cannot be enumerated (no permission, no libusb): the panel says so.
    return view;
  }
}

function baseImpl(deps: HandlerDeps, shares: ShareSource): BaseImpl {
  return {
    'app/info': async () => ({ ...deps.app, dataDir: deps.dataDir, canPickFolders: deps.pickFolder !== undefined }),
    'tokens/list': async () => deps.tokens.listSlots(),
    'devices/list': async () => readDevices(deps),
    'ceremonies/recent': async () => listRecentCeremonies(deps.dataDir),
    'audit/pick-folder': async () => {
      if (!deps.pickFolder) throw unavailable('The folder picker', 'Type or paste the full path of the transcript folder instead.');
      return { dir: await deps.pickFolder() };
    },
    'audit/verify': async ({ dir, trustedKeys }) => {
      if (!deps.audit) throw unavailable('Transcript verification', 'Run keyrite verify with the folder on the command line instead.');
      return deps.audit.verify(dir, trustedKeys);
    },
    'audit/export-report': async ({ dir }) => {
      if (!deps.audit) throw unavailable('Report export', 'Run keyrite verify with the folder on the command line instead.');
      return { path: await deps.audit.exportReport(dir) };
    },
    'inventory/list': async () => {
      if (!deps.inventory) throw unavailable('The key inventory', 'Run keyrite inventory on the command line instead.');
      return deps.inventory.list();
    },
    'print/report': async ({ dir, output }) => printReport(deps.print, dir, output),
    'print/share-sheet': async ({ custodian, output }) => printShareSheet(deps.print, shares, custodian, output),
  };
}

/** Reads the run through the ceremony handlers, which alone hold it; a failed Result becomes a throw. */
function shareSource(ceremony: ReturnType<typeof createCeremonyHandlers>): ShareSource {
  const unwrap = <T>(r: Result<T>): T => {
    if (!r.ok) throw KeyriteError.fromData(r.error);
    return r.value;
  };
  return {
    view: async () => unwrap(await ceremony['ceremony/view']()),
    reveal: async (custodian) => unwrap(await ceremony['ceremony/reveal-share']({ custodian })),
  };
}

export function createHandlerTable(deps: HandlerDeps): HandlerTable {
  const ceremonyHandlers = createCeremonyHandlers(deps);
  const impl = baseImpl(deps, shareSource(ceremonyHandlers));
  const base = {} as Record<string, unknown>;
  for (const channel of Object.keys(impl) as (keyof BaseImpl)[]) {
    base[channel] = wrapHandler(channel, impl[channel] as (req: unknown) => Promise<never>);
  }
  // The ceremony handlers (electron/core/ipc/ceremony-handlers.ts) return Results themselves; their
  // requests are parsed here too, so no channel reaches core without its schema.
  const ceremony = ceremonyHandlers as Record<string, (req: unknown) => Promise<Result<unknown>>>;
  for (const [channel, handler] of Object.entries(ceremony)) {
    base[channel] = async (req: unknown) => {
      const parsed = await asResult(() => parseRequest<unknown>(channel as InvokeChannel, req));
      return parsed.ok ? handler(parsed.value) : parsed;
    };
  }
  return base as HandlerTable;
}

/** Calls a channel by name with untrusted input (the harness binding and Electron's ipcMain use this). */
export async function invokeChannel(table: HandlerTable, channel: unknown, req: unknown): Promise<Result<unknown>> {
  if (typeof channel !== 'string' || !Object.hasOwn(table, channel)) {
    return { ok: false, error: { code: 'CHANNEL_UNKNOWN', message: `There is no channel called ${String(channel)}.`, action: 'This is a bug in Keyrite: report it.' } };
  }
  const handler = table[channel as InvokeChannel] as (r: unknown) => Promise<Result<unknown>>;
  return handler(req);
}
