/**
 * Wires the core domains into the handler table's optional services. Electron main and the e2e
 * harness both spread this into their HandlerDeps, so the app and the tests run the same code.
 * A service whose core domain has not landed is left out (its channels answer SERVICE_UNAVAILABLE).
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { InventoryKeyView, InventoryView, UsbDeviceView } from '../../contract/views';
import { buildInventory } from '../lifecycle/inventory';
import { listUsbDevices, type UsbLoader } from '../devices/usb-watch';
import { renderReportHtml } from '../transcript/report-html';
import { verifyTranscript } from '../transcript/verify';
import { writeFileAtomic } from '../util/fs-durable';
import { KeyriteError } from '../util/errors';
import { readJournalLines, toAuditReport } from './audit-view';
import { dueDateViews } from './evidence-view';
import { dueItems } from '../lifecycle/due';
import { loadPolicyFile } from '../ceremony/load';
import { defaultPolicyPath } from '../ceremony/paths';
import type { Policy } from '../ceremony/policy-schema';
import type { AuditService, HandlerDeps, InventoryService, UsbService } from './deps';
import { summariseCeremony } from './recent';

export interface CoreServiceOptions {
  dataDir: string;
  /** Tests inject a fake `usb` package; the app loads the real one. */
  usbLoader?: UsbLoader;
}

export function createAuditService(dataDir: string): AuditService {
  return {
    async verify(dir, trustedKeys) {
      const report = await verifyTranscript(dir, { trustedKeys: trustedKeys ?? [] });
      return toAuditReport(report, await readJournalLines(report.dir));
    },
    // The same report the CLI writes (transcript/report-html), saved to the data folder, never into
    // the audited folder: the evidence stays as it was.
    async exportReport(dir) {
      const report = await verifyTranscript(dir);
      const now = new Date();
      const outDir = path.join(dataDir, 'audit-reports');
      await mkdir(outDir, { recursive: true, mode: 0o700 });
      const stamp = now.toISOString().replace(/[:.]/g, '-');
      const safeId = (report.ceremonyId ?? 'transcript').replace(/[^A-Za-z0-9._-]/g, '_');
      const file = path.join(outDir, `audit-${safeId}-${stamp}.html`);
      await writeFileAtomic(file, renderReportHtml(report, { generatedAt: now }));
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

export function createInventoryService(dataDir: string): InventoryService {
  return {
    async list(): Promise<InventoryView> {
      const inv = await buildInventory(dataDir);
      const rehearsalCeremonies = new Set<string>();
      for (const t of inv.transcripts) {
        const summary = t.valid ? await summariseCeremony(t.dir) : null;
        if (summary?.rehearsal) rehearsalCeremonies.add(summary.id);
      }
      const keys = inv.keys.map((k): InventoryKeyView => {
        const backup = k.backups.find((b) => b.status === 'current');
        const view: InventoryKeyView = {
          id: k.id,
          label: k.label,
          keyClass: k.class,
          algorithm: k.algorithm,
          state: k.state,
          fingerprint: k.fingerprint,
          createdAt: k.history[0]?.date ?? '',
          custodians: k.custodians,
          ceremonies: k.ceremonies,
          history: k.history.map((h) => ({ state: h.state, date: h.date, ceremony: h.ceremony, reason: h.reason })),
          rehearsal: k.ceremonies.some((c) => rehearsalCeremonies.has(c)),
        };
        if (k.rotationDue) view.rotationDue = k.rotationDue;
        if (backup) view.quorum = { k: backup.k, n: backup.n };
        if (k.successor) view.successor = k.successor;
        return view;
      });
      const problems = inv.transcripts
        .filter((t) => !t.valid)
        .map((t) => ({
          dir: t.dir,
          error: { code: 'TRANSCRIPT_INVALID', message: t.failure ?? 'The transcript did not verify.', action: 'Open it in the audit screen to see why.' },
        }));
      // The lead times come from the shipped policy, as for keyrite inventory --due; without it the
      // dates still show, with the default lead time.
      let policy: Policy | undefined;
      try { policy = loadPolicyFile(defaultPolicyPath()).policy; } catch { /* no shipped policy: the default lead times */ }
      const due = dueDateViews(dueItems(inv, { now: new Date(), ...(policy ? { policy } : {}) }));
      return { keys, problems, due };
    },
  };
}

export function createCoreServices(opts: CoreServiceOptions): Pick<HandlerDeps, 'audit' | 'inventory' | 'usb'> {
  return {
    audit: createAuditService(opts.dataDir),
    inventory: createInventoryService(opts.dataDir),
    usb: createUsbService(opts.usbLoader),
  };
}
