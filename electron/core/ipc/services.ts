/**
 * Wires the core domains into the handler table's optional services. Electron main and the e2e
 * harness both spread this into their HandlerDeps, so the app and the tests run the same code.
 * A service whose core domain has not landed is left out (its channels answer SERVICE_UNAVAILABLE).
 */
import type { HandlerDeps } from './deps';

export interface CoreServiceOptions {
  dataDir: string;
}

export function createCoreServices(_opts: CoreServiceOptions): Pick<HandlerDeps, 'audit' | 'inventory' | 'usb'> {
  return {};
}
