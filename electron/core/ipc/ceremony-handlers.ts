/** Handlers for the ceremony channels (electron/contract/ceremony.ts); merged into the handler table. */
export interface CeremonyHandlerDeps {
  /** Folder where ceremony runs are kept. */
  dataDir: string;
}

export function createCeremonyHandlers(_deps: CeremonyHandlerDeps): Record<string, never> {
  return {};
}
