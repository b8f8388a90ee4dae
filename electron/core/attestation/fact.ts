/**
 * What the offline re-check (transcript-check.ts) says of one recorded attestation: a plain type,
 * in its own module so the verifier's report types (transcript/verify-types.ts) can name it without
 * importing the check, which itself reports with the verifier's failure type.
 */
import type { Advisory } from './advisories';
import type { AttestedKeyRef } from './entries';

export interface AttestationFact {
  seq: number;
  status: 'verified' | 'absent' | 'refused';
  key: AttestedKeyRef;
  /** Re-verified facts (status verified). */
  serial?: number;
  firmware?: string;
  slot?: string;
  pinPolicy?: string;
  touchPolicy?: string;
  formFactor?: string;
  advisories?: Advisory[];
  /** The root the chain ends at, and whether it is a vendor root shipped with Keyrite or one the auditor gave. */
  root?: { subject: string; sha256: string; source: 'vendor' | 'auditor' };
  /** Where the ceremony got the certificates: its token's certificate objects, or files given to it. */
  source?: 'token' | 'files';
  /** Why there is no attestation, or why it was refused. */
  reason?: string;
}
