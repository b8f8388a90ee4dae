/**
 * What the `verify-attestation` step writes to the transcript. The certificates themselves are
 * recorded, so `keyrite verify` re-checks the chain offline against the vendor roots it ships,
 * without trusting what the ceremony's copy of Keyrite concluded.
 */
import type { ErrorData } from '../util/errors';
import type { AttestationResult } from './verify-piv';

export const ATTESTATION_KINDS = {
  verified: 'attestation.verified',
  /** The token offered no attestation: said plainly, never silently. */
  absent: 'attestation.absent',
  refused: 'attestation.refused',
} as const;

/** Where the administrator puts the certificates read from the device (yubico-piv-tool). */
export const ATTESTATION_DIR = 'attestation';
export const KEY_CERT_FILE = 'key_cert.pem';
export const DEVICE_CERT_FILE = 'device_cert.pem';
/** Rehearsals only: a stand-in vendor root for a chain made for a SoftHSM2 key. */
export const REHEARSAL_ROOT_FILE = 'rehearsal-root.pem';

export interface AttestedKeyRef {
  label: string;
  /** SHA-256 of the key's SPKI, hex (as in key.generated). */
  fingerprint: string;
}

/** One certificate object read from the token, and the file it was published as (file.published). */
export interface TokenCertRef {
  label: string;
  /** CKA_ID, lowercase hex. */
  id: string;
  /** Relative to the ceremony folder, e.g. attestation/key_cert.pem. */
  file: string;
}

/**
 * Where the certificates came from: files the administrator put in OUT/attestation/, or the token's
 * certificate objects (ykcs11), published as those files first. Absent in transcripts written
 * before Keyrite read them from the token (they were files).
 */
export type AttestationSource = { from: 'files' } | { from: 'token'; keyCert: TokenCertRef; deviceCert: TokenCertRef };

export interface AttestationVerifiedData {
  key: AttestedKeyRef;
  keyCert: string;
  deviceCert: string;
  source?: AttestationSource;
  result: AttestationResult;
  /** 'vendor': a root shipped with Keyrite; 'rehearsal': the rehearsal's stand-in root. */
  rootSource: 'vendor' | 'rehearsal';
}

export interface AttestationAbsentData {
  key: AttestedKeyRef;
  token?: { label: string; serial: string; model?: string; manufacturer?: string };
  reason: string;
}

export interface AttestationRefusedData {
  key: AttestedKeyRef;
  keyCert: string;
  deviceCert: string;
  source?: AttestationSource;
  error: ErrorData;
}
