/**
 * The handler table: one async function per contract channel, mapping it to a core service call,
 * bound through the dispatcher (./dispatch.ts): every request is parsed once with its channel's
 * schema (the renderer is untrusted input) and every reply is Result-wrapped, so failures cross IPC
 * as data with their code and action. Electron main registers the table with ipcMain.handle; the
 * e2e harness binds it into a page; both call it through invokeChannel.
 */
import { KeyriteError } from '../util/errors';
import type { HandlerTable, InvokeChannel } from '../../contract/index';
import type { DevicesView } from '../../contract/views';
import { ceremonyChannels } from './ceremony-handlers';
import { bindChannels, type ChannelImpls, type ChannelsOf } from './dispatch';
import type { HandlerDeps as CoreHandlerDeps } from './deps';
import { printReport, printShareSheet, type PrintService, type ShareSource } from './print-handlers';
import { listRecentCeremonies } from './recent';
import { defaultTemplatesDir, listTemplates } from './templates';

/** The table's dependencies: the core ones plus printing, which only Electron main provides. */
export interface HandlerDeps extends CoreHandlerDeps {
  print?: PrintService;
}

function unavailable(what: string, action: string): KeyriteError {
  return new KeyriteError('SERVICE_UNAVAILABLE', `${what} is not available in this build of Keyrite.`, { action });
}

/** The app, device, audit, inventory and print channels; the ceremony and recovery ones are in ./ceremony-handlers. */
type BaseChannel = Exclude<InvokeChannel, ChannelsOf<'ceremony'> | ChannelsOf<'recovery'>>;

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

function baseChannels(deps: HandlerDeps, shares: ShareSource): ChannelImpls<BaseChannel> {
  return {
    'app/info': async () => ({ ...deps.app, dataDir: deps.dataDir, canPickFolders: deps.pickFolder !== undefined }),
    'tokens/list': async () => deps.tokens.listSlots(),
    'devices/list': async () => readDevices(deps),
    'ceremonies/recent': async () => listRecentCeremonies(deps.dataDir),
    'templates/list': async () => listTemplates(deps.templatesDir ?? defaultTemplatesDir()),
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

export function createHandlerTable(deps: HandlerDeps): HandlerTable {
  const ceremony = ceremonyChannels(deps);
  // The share sheet is built from the run, which the ceremony channels alone hold.
  const shares: ShareSource = {
    view: () => ceremony['ceremony/view'](),
    reveal: (custodian) => ceremony['ceremony/reveal-share']({ custodian }),
  };
  const impls: ChannelImpls = { ...baseChannels(deps, shares), ...ceremony };
  return bindChannels(impls);
}

// Tests and harnesses reach a table by channel name through the dispatcher's own entry.
export { invokeChannel } from './dispatch';
