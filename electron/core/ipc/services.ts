/**
 * Wires the core domains into the handler table's optional services. Electron main and the e2e
 * harness both spread this into their HandlerDeps, so the app and the tests run the same code.
 * A service whose core domain has not landed is left out (its channels answer SERVICE_UNAVAILABLE).
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { UsbDeviceView } from '../../contract/views';
import { listUsbDevices, type UsbLoader } from '../devices/usb-watch';
import { verifyTranscript } from '../transcript/verify';
import { writeFileAtomic } from '../util/fs-durable';
import { KeyriteError } from '../util/errors';
import { readJournalLines, toAuditReport } from './audit-view';
import type { AuditService, HandlerDeps, UsbService } from './deps';
import { auditReportHtml } from './report-html';

export interface CoreServiceOptions {
  dataDir: string;
  /** Tests inject a fake `usb` package; the app loads the real one. */
  usbLoader?: UsbLoader;
}

export function createAuditService(dataDir: string): AuditService {
  const verify = async (dir: string) => {
    const report = await verifyTranscript(dir);
    return toAuditReport(report, await readJournalLines(report.dir));
  };
  return {
    verify,
    // Written to the data folder, never into the audited folder: the evidence stays as it was.
    async exportReport(dir) {
      const report = await verify(dir);
      const now = new Date();
      const outDir = path.join(dataDir, 'audit-reports');
      await mkdir(outDir, { recursive: true });
      const stamp = now.toISOString().replace(/[:.]/g, '-');
      const safeId = report.ceremony.id.replace(/[^A-Za-z0-9._-]/g, '_');
      const file = path.join(outDir, `audit-${safeId}-${stamp}.html`);
      await writeFileAtomic(file, auditReportHtml(report, now));
      return file;
    },
  };
}

export function createUsbService(load?: UsbLoader): UsbService {
  return {
    async list(): Promise<UsbDeviceView[]> {
      const listing = await listUsbDevices(load);
      if (listing.unavailable) throw new KeyriteError('USB_UNAVAILABLE', listing.unavailable, { action: 'Tokens are still found through their PKCS#11 modules.' });
      return listing.devices.map((d) => ({
        id: d.location ?? `${d.vendorId}:${d.productId}:${d.serial ?? ''}`,
        vendorId: d.vendorId,
        productId: d.productId,
        name: d.product,
        vendor: d.vendor,
        kind: d.kind,
        known: true,
      }));
    },
  };
}

export function createCoreServices(opts: CoreServiceOptions): Pick<HandlerDeps, 'audit' | 'inventory' | 'usb'> {
  return {
    audit: createAuditService(opts.dataDir),
    usb: createUsbService(opts.usbLoader),
  };
}
