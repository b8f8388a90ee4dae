import type { TokenApi } from '../token/types';
import type { AuditReport, InventoryView, UsbDeviceView } from '../../contract/views';
import type { CeremonyHandlerDeps } from './ceremony-services';
import type { AirGapProbe } from '../ceremony/run-types';

/** Reads and verifies one transcript folder for the audit screen. */
export interface AuditService {
  verify(dir: string, trustedKeys?: string[]): Promise<AuditReport>;
  /** Writes the printable report beside the transcript; returns its path. */
  exportReport(dir: string): Promise<string>;
}

export interface InventoryService {
  list(): Promise<InventoryView>;
}

export interface UsbService {
  list(): Promise<UsbDeviceView[]>;
}

/**
 * Everything the handler table needs, injected so the same table runs in Electron main, in the e2e
 * harness (plain Node, Chromium page) and in unit tests. Optional services that are absent answer
 * with SERVICE_UNAVAILABLE rather than pretending.
 */
export interface HandlerDeps extends CeremonyHandlerDeps {
  dataDir: string;
  app: { version: string; platform: string; rehearsal: boolean };
  /** The token client (TokenClient from electron/core/token in the app and the harness). */
  tokens: Pick<TokenApi, 'listSlots'>;
  usb?: UsbService;
  audit?: AuditService;
  inventory?: InventoryService;
  /** The system folder picker; only Electron main has one. */
  pickFolder?: () => Promise<string | null>;
  /** What the air-gap check sees (Home says when the laptop is not air-gapped). */
  airGapProbe?: AirGapProbe;
}
