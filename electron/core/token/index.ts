/**
 * The token layer's public API for callers outside the token host. Nothing here loads pkcs11js:
 * the native module lives only in the host process (host-entry.ts).
 */
export * from './types';
export { createTokenClient, type TokenClient, type TokenClientOptions } from './client';
export { forkSpawner, builtHostPath } from './spawn-fork';
export type { HostSpawner, HostChannel, HostRequest, HostReply, HostExit, TokenMethod } from './host-protocol';
export type { FaultPlan, FaultSpec } from './faults';
export { verifySignature, spkiToPem, pemToSpki, publicKeyFingerprint, ecdsaRawToDer, ecdsaDerToRaw } from './verify';
export { findModules, KNOWN_MODULES, type KnownModule, type ModuleCandidate } from './modules';
export { createRehearsalToken, findSoftHsmModule, type RehearsalToken, type RehearsalTokenOptions } from './rehearsal';
export { toPgpWords, fromPgpWords } from '../util/pgp-words';
export { capabilityGaps, assertTokenCapable, KNOWN_QUIRKS, type CapabilityGap, type CeremonyNeeds } from './capabilities';
export { parsePkcs11Uri, formatPkcs11Uri, tokenUri, redactUri, type Pkcs11Uri } from './pkcs11-uri';

/**
 * How often a watch re-reads the slot list (the app's devices watch, the e2e harness): a token that
 * appears or disappears shows on Home within 3 s only if the poll interval plus one read stays under
 * it. Idle token hosts re-read the module's store on each read (adapter/context.ts, rescanIfIdle).
 */
export const LIVE_TOKEN_POLL_MS = 1000;
