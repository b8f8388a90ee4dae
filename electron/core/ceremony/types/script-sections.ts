/**
 * The sections a script type may add to the common fields (types/<type>.ts picks them): the backup
 * and its custodians, the certificate profile, the signing inputs, the DNSSEC section, more tokens.
 */
import { z } from 'zod';
import { recipientKeyProblem } from '../custodian-recipient';
import { parseAgeRecipient } from '../../shares/age-recipient';
import { certificateProfileFields, crlNumberSchema, crlProfileFields } from '../../x509/profile-schema';
import { dnssecSectionSchema } from '../../dnssec/script-section';
import { DELIVERIES, isoDate, keySpecSchema, name } from './script-common';
import { tokenSelectionSchema } from './script-token';

/**
 * The custodian's token key a `token` share is encrypted to, recorded inline so the script's hash
 * commits to it (and so a script loaded as text needs no other file).
 */
export const recipientSchema = z.strictObject({
  /** PEM SubjectPublicKeyInfo of an RSA key of at least 2048 bits (RSA-OAEP) or an EC key on P-256, P-384 or P-521 (ECDH). */
  publicKey: z.string().superRefine((pem, ctx) => {
    const problem = recipientKeyProblem(pem);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  }),
  /** CKA_LABEL of the key on the custodian's token, shown to help them find it. */
  keyLabel: z.string().min(1).max(64).optional(),
  /** The custodian's token, by label or serial, shown so the right card is inserted. */
  token: z.strictObject({
    label: z.string().min(1).max(32).optional(),
    serial: z.string().min(1).max(16).optional(),
  }).refine((t) => t.label !== undefined || t.serial !== undefined, { message: 'give the token label or serial' }).optional(),
});

/** The custodian's own age recipient (`age1...` X25519, `age1pq1...` post-quantum) an `age-recipient` share is encrypted to. */
const ageRecipientText = z.string().superRefine((text, ctx) => {
  const r = parseAgeRecipient(text);
  if ('problem' in r) ctx.addIssue({ code: 'custom', message: r.problem });
});

export const custodianSchema = z.strictObject({
  name,
  delivery: z.enum(DELIVERIES),
  /** delivery `token`: the custodian's token key; delivery `age-recipient`: their age recipient string. */
  recipient: z.union([recipientSchema, ageRecipientText]).optional(),
}).superRefine((c, ctx) => {
  if (c.delivery === 'token' && (!c.recipient || typeof c.recipient === 'string')) {
    ctx.addIssue({ code: 'custom', path: ['recipient'], message: `delivery is token: give ${c.name}'s token public key (recipient.publicKey, PEM)` });
  }
  if (c.delivery === 'age-recipient' && typeof c.recipient !== 'string') {
    ctx.addIssue({ code: 'custom', path: ['recipient'], message: `delivery is age-recipient: give ${c.name}'s age recipient (recipient: age1pq1... or age1...)` });
  }
  if (c.delivery !== 'token' && c.delivery !== 'age-recipient' && c.recipient) {
    ctx.addIssue({ code: 'custom', path: ['recipient'], message: `delivery is ${c.delivery}: a recipient is only used when delivery is token or age-recipient` });
  }
}).transform(({ recipient, ...rest }): { name: string; delivery: (typeof DELIVERIES)[number]; recipient?: z.infer<typeof recipientSchema>; ageRecipient?: string } =>
  // The script says `recipient:` for both; the parsed script keeps them apart so each delivery reads its own type.
  typeof recipient === 'string' ? { ...rest, ageRecipient: recipient.trim() } : recipient ? { ...rest, recipient } : rest);

export const backupSchema = z.strictObject({
  k: z.number().int(),
  n: z.number().int(),
  custodians: z.array(custodianSchema).min(1),
}).superRefine((b, ctx) => {
  if (b.k < 2) ctx.addIssue({ code: 'custom', path: ['k'], message: `k is ${b.k}: a backup needs at least 2 shares to rebuild (dual control)` });
  if (b.k > b.n) ctx.addIssue({ code: 'custom', path: ['k'], message: `k is ${b.k} but n is ${b.n}: k cannot exceed n` });
  if (b.n > 255) ctx.addIssue({ code: 'custom', path: ['n'], message: 'n is at most 255' });
  if (b.custodians.length !== b.n) ctx.addIssue({ code: 'custom', path: ['custodians'], message: `${b.custodians.length} custodians listed but n is ${b.n}` });
});

export const subjectSchema = z.strictObject({
  commonName: z.string().min(1),
  organization: z.string().min(1).optional(),
  organizationalUnit: z.string().min(1).optional(),
  country: z.string().length(2).optional(),
});

export const certificateProfileSchema = z.strictObject({
  subject: subjectSchema,
  notBefore: isoDate,
  notAfter: isoDate,
  /** basicConstraints pathLenConstraint; omitted means unlimited. */
  pathLen: z.number().int().min(0).optional(),
  signature: z.enum(['sha256', 'sha384', 'sha512']).default('sha384'),
  /** Serial number as hex; a random 16-byte serial is chosen when omitted (BR profiles refuse a set serial). */
  serial: z.string().regex(/^[0-9a-f]+$/).optional(),
  ...certificateProfileFields,
  /** rotate: what the cross-certificates add to the fields above (BR 7.1.2.2: policies, CRL and AIA URLs). */
  cross: z.strictObject({ ...certificateProfileFields, profile: z.literal('cross').optional() }).optional(),
});

/** Inputs for the signing ceremonies, paths relative to the script. */
export const signingInputSchema = z.strictObject({
  csr: z.string().min(1).optional(),
  artifact: z.string().min(1).optional(),
  digest: z.enum(['sha256', 'sha384']).default('sha384'),
  revoked: z.array(z.strictObject({ serial: z.string().regex(/^[0-9a-f]+$/), date: isoDate, reason: z.string().optional() })).default([]),
  /** Days from thisUpdate to nextUpdate: at most 10 for a CRL, 365 for an ARL (BR 4.9.7). */
  nextUpdateDays: z.number().int().min(1).default(7),
  crlNumber: crlNumberSchema.default(1),
  ...crlProfileFields,
});

/** Every optional section, by the script field that holds it. */
export const SCRIPT_SECTIONS = {
  /** A second token for recovery (the key is unwrapped into it) or a rotation successor. */
  targetToken: tokenSelectionSchema.optional(),
  /** Destruction: other tokens holding copies of the key (e.g. a recovery token); each is cleaned too. */
  otherTokens: z.array(tokenSelectionSchema).optional(),
  successor: keySpecSchema.optional(),
  backup: backupSchema.optional(),
  certificate: certificateProfileSchema.optional(),
  signing: signingInputSchema.optional(),
  /** sign-dnskey: the DNSKEY RRset and the RRSIG validity windows. */
  dnssec: dnssecSectionSchema.optional(),
};
export type ScriptSection = keyof typeof SCRIPT_SECTIONS;

export type CertificateProfile = z.infer<typeof certificateProfileSchema>;
export type BackupSpec = z.infer<typeof backupSchema>;
export type CustodianSpec = z.infer<typeof custodianSchema>;
export type RecipientSpec = z.infer<typeof recipientSchema>;
