/** Governance policy: what each key class allows. Owned by the security officer, checked before the day and on the day. */
import { z } from 'zod';
import { KEY_ALGORITHMS } from '../token/types';

import { PROOF_ATTRIBUTES } from './key-attributes';

export { PROOF_ATTRIBUTES };

export const keyClassPolicySchema = z.strictObject({
  algorithms: z.array(z.enum(KEY_ALGORITHMS as unknown as [string, ...string[]])).min(1),
  minK: z.number().int().min(2),
  minN: z.number().int().min(2),
  minWitnesses: z.number().int().min(0),
  /**
   * The key's final state, read back after the lock (key-attributes.ts): `local`, `sensitive`,
   * `alwaysSensitive`, `neverExtractable`, `token`, `private` must be TRUE; `notExtractable`,
   * `notCopyable`, `notModifiable` mean that attribute must be FALSE.
   */
  requiredAttributes: z.array(z.enum(PROOF_ATTRIBUTES)).default([]),
  rotationPeriodDays: z.number().int().min(1),
  /** Whether the air-gap check may be overridden (with a recorded reason). */
  airGapOverride: z.boolean(),
  /** Whether every witness must have a key (participants[].key) and cosign the final checkpoint with it. */
  witnessKeysRequired: z.boolean().default(false),
  /** Whether a backup is required for keys of this class. */
  backupRequired: z.boolean().default(true),
  /** Whether a key of this class must be attested by its device's vendor (a verify-attestation step that verifies). */
  attestationRequired: z.boolean().default(false),
  /** Days before a CRL's nextUpdate that its re-signing falls due (keyrite inventory --due). */
  crlResignLeadDays: z.number().int().min(0).default(14),
  /** Days between share check-ups of each custodian of a key of this class (keyrite inventory --due); none when absent. */
  checkUpDays: z.number().int().min(1).optional(),
  /**
   * How shares of keys of this class may reach their custodians. `requirePostQuantum`: every custodian's
   * delivery is `age-recipient` to a post-quantum (mlkem768x25519, age1pq1...) recipient, for roots that
   * must outlive classical key exchange; paper, passphrase, token and X25519 deliveries are refused at load.
   */
  shareDelivery: z.strictObject({ requirePostQuantum: z.boolean().default(false) }).optional(),
});

export const policySchema = z.strictObject({
  version: z.literal(1),
  name: z.string().min(1),
  classes: z.record(z.string().regex(/^[a-z][a-z0-9-]*$/), keyClassPolicySchema),
});

export type Policy = z.infer<typeof policySchema>;
export type KeyClassPolicy = z.infer<typeof keyClassPolicySchema>;
