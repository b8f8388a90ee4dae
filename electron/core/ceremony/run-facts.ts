/**
 * What a run knows, rebuilt from its journal alone (so a resumed run knows exactly what the
 * interrupted one did), and the mapping from journal entries to engine events.
 */
import { ENTRY_KINDS, type JournalEntry } from '../transcript/entry-kinds';
import type { KeyAlgorithm } from '../token/types';
import type { EngineEvent, StepFact } from './engine';
import type { Provenance } from '../provenance/gather';

export interface KeyInfo {
  id: string;
  label: string;
  algorithm: KeyAlgorithm;
  /** SPKI DER, base64. */
  spki: string;
  fingerprint: string;
}

export interface TokenInfo {
  label: string;
  serial: string;
  model?: string;
  manufacturer?: string;
  /** RFC 7512 URI of the token (pkcs11:token=...;serial=...), no module path and never a PIN. */
  uri?: string;
}

export interface RunFacts {
  token?: TokenInfo;
  /** The key this ceremony is about: generated here, recovered here, or taken over with --from. */
  key?: KeyInfo;
  /** Rotation: the successor key generated here. */
  successor?: KeyInfo;
  /** PEM of the issuing certificate (self-signed root made here, or from --from). */
  caCert?: string;
  successorCert?: string;
  /** The key objects were destroyed in this run. */
  keyGone?: boolean;
  /** The transcript key after its handover to the token (transcript-handover.ts). */
  transcriptToken?: { id: string; label: string; verifierKey: string };
  /** CKA_IDs of keys whose final proof (key.locked) reads CKA_EXTRACTABLE FALSE: the seal needs the ceremony's key here. */
  lockedKeys?: string[];
  /** What ran, on what (ceremony.start): its code digest is read aloud at the air-gap check. */
  provenance?: Provenance;
}

export interface KeyLifecycleData {
  keyId: string;
  label: string;
  fingerprint: string;
  algorithm: string;
  class: string;
  /** NIST SP 800-57 Part 1 state the key enters. */
  state: 'pre-activation' | 'active' | 'suspended' | 'deactivated' | 'compromised' | 'destroyed';
  reason: string;
  rotationPeriodDays?: number;
  successorOf?: string;
  custodians?: string[];
}

export function engineEventOf(e: JournalEntry): EngineEvent | null {
  const d = (e.data ?? {}) as Record<string, unknown>;
  switch (e.kind) {
    case 'step.start': return { type: 'start', step: e.step };
    case 'step.intent': return { type: 'intent', step: e.step, opId: String(d.opId), operation: String(d.operation), detail: d };
    case 'step.result':
      if (typeof d.opId === 'string') return { type: 'op-result', step: e.step, opId: d.opId, ok: d.outcome === 'ok' };
      if (d.outcome === 'ok') return { type: 'performed', step: e.step, facts: (d.facts ?? []) as StepFact[] };
      return { type: 'failed', step: e.step, error: (d.error ?? { code: 'STEP_FAILED', message: 'failed' }) as { code: string; message: string } };
    case 'step.attest': return { type: 'attest', step: e.step, witness: String(d.witness) };
    case ENTRY_KINDS.stepDone: return { type: 'complete', step: e.step };
    case 'deviation': return { type: 'deviation', step: e.step, who: String(d.who), why: String(d.why), time: e.time };
    default: return null;
  }
}

export function applyFact(facts: RunFacts, e: JournalEntry, successorLabel: string | undefined): void {
  const d = (e.data ?? {}) as Record<string, unknown>;
  if (e.kind === 'ceremony.start' && typeof d.provenance === 'object' && d.provenance !== null) {
    facts.provenance = d.provenance as Provenance;
  } else if (e.kind === 'key.generated' || e.kind === ENTRY_KINDS.keyPrior) {
    const info: KeyInfo = { id: String(d.id), label: String(d.label), algorithm: d.algorithm as KeyAlgorithm, spki: String(d.spki), fingerprint: String(d.fingerprint) };
    if (e.kind === 'key.generated' && successorLabel !== undefined && info.label === successorLabel) facts.successor = info;
    else facts.key = info;
  } else if (e.kind === ENTRY_KINDS.certPrior && typeof d.pem === 'string') {
    facts.caCert = d.pem;
  } else if (e.kind === 'certificate.issued' && typeof d.pem === 'string') {
    if (d.role === 'successor-root') facts.successorCert = d.pem;
    else if (d.role === 'root') facts.caCert = d.pem;
  } else if (e.kind === ENTRY_KINDS.keyLocked && (d.proof as { extractable?: unknown } | undefined)?.extractable === false) {
    facts.lockedKeys = [...(facts.lockedKeys ?? []), String(d.id)];
  } else if (e.kind === ENTRY_KINDS.keyDestroyed) {
    facts.keyGone = true;
  } else if (e.kind === ENTRY_KINDS.transcriptHandover) {
    facts.transcriptToken = { id: String(d.ckaId), label: String(d.label), verifierKey: String(d.verifierKey) };
  } else if (e.kind === ENTRY_KINDS.sessionOpened && typeof d.token === 'object' && d.token !== null) {
    facts.token = d.token as TokenInfo;
  }
}
