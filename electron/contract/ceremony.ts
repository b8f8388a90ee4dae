/**
 * Ceremony, custodian and recovery channels of the IPC contract (merged into ./index.ts).
 * Owned by the ceremony UI; same rules as index.ts: no Node or DOM imports.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface CeremonyInvokeMap {}

// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface CeremonyEventMap {}

export const CEREMONY_API_METHODS = {} as const;

export const CEREMONY_EVENT_CHANNELS: readonly string[] = [];
