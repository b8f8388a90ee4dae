/** The devices view in one call: USB devices and every present module's tokens, combined. */
import { probeModules } from '../token/probe';
import type { HostSpawner } from '../token/host-protocol';
import { combineDevices, presentTokens, type DevicesView } from './combine';
import { listUsbDevices, type UsbLoader } from './usb-watch';

export async function readDevices(opts: { modulePaths?: string[]; env?: Record<string, string>; spawner?: HostSpawner; usbLoader?: UsbLoader } = {}): Promise<DevicesView> {
  const [usb, modules] = await Promise.all([
    listUsbDevices(opts.usbLoader),
    probeModules({ ...(opts.modulePaths ? { modulePaths: opts.modulePaths } : {}), ...(opts.env ? { env: opts.env } : {}), ...(opts.spawner ? { spawner: opts.spawner } : {}) }),
  ]);
  const tokens = modules.flatMap((m) => (m.slots ? presentTokens(m.path, m.slots) : []));
  return combineDevices(usb, tokens);
}
