/**
 * The ceremony script: one declarative YAML file agreed before the day (CA/B Forum BR 6.1.1.1).
 * Strict: an unknown field is refused, so a typo never silently drops a requirement.
 */
import { z } from 'zod';
import { KEY_ALGORITHMS } from '../token/types';
import { parseVerifierKey } from '../transcript/note-keys';
import { recipientKeyProblem } from './custodian-recipient';
import { parseAgeRecipient } from '../shares/age-recipient';
import { certificateProfileFields, crlNumberSchema, crlProfileFields } from '../x509/profile-schema';
import { parsePkcs11Uri, type Pkcs11Uri } from '../token/pkcs11-uri';
import { dnssecSectionSchema } from '../dnssec/script-section';

export const CEREMONY_TYPES = ['root-keygen', 'recovery', 'reshare', 'sign-intermediate', 'sign-crl', 'sign-artifact', 'rotate', 'destroy', 'check-up', 'sign-dnskey'] as const;
export type CeremonyType = (typeof CEREMONY_TYPES)[number];

export const ROLES = ['administrator', 'witness', 'custodian', 'auditor'] as const;
export type Role = (typeof ROLES)[number];

/**
 * What the app does at a step. `confirm` is a manual step (read aloud, done by hand, confirmed).
 * Irreversible actions (see IRREVERSIBLE_ACTIONS) write an intent entry before the token call.
 */
export const STEP_ACTIONS = [
  'confirm', 'air-gap-check', 'login', 'generate-key', 'read-proof', 'export-public-key',
  'self-sign-root', 'backup', 'recover', 'reshare', 'sign-certificate', 'sign-crl', 'sign-artifact',
  'cross-sign', 'deactivate', 'destroy-keys', 'seal', 'verify-attestation', 'check-up', 'sign-dnskey',
] as const;
export type StepAction = (typeof STEP_ACTIONS)[number];

export const IRREVERSIBLE_ACTIONS: ReadonlySet<StepAction> = new Set<StepAction>([
  'generate-key', 'backup', 'recover', 'reshare', 'deactivate', 'destroy-keys', 'seal',
]);

export const DELIVERIES = ['paper', 'file', 'token', 'age-recipient'] as const;

const name = z.string().min(1).max(80);
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}:\d{2}Z)?$/, 'expected a date like 2026-12-01 or 2026-12-01T00:00:00Z');

/** A signed-note verifier key (name+keyid+base64), as `keyrite witness-key` or Go's note package prints it. */
const verifierKeyText = z.string().superRefine((text, ctx) => {
  try {
    parseVerifierKey(text);
  } catch (e) {
    ctx.addIssue({ code: 'custom', message: e instanceof Error ? e.message : String(e) });
  }
});

export const participantSchema = z.strictObject({
  name,
  role: z.enum(ROLES),
  /** Witnesses only: the note verifier key of the key they cosign the final checkpoint with (card or key file). */
  key: verifierKeyText.optional(),
});

/** URI path attributes a script may name a token by; the rest name objects, slots or libraries. */
const TOKEN_URI_ATTRIBUTES = ['token', 'serial', 'manufacturer', 'model'];

/**
 * A token: by PKCS#11 URI (RFC 7512: `pkcs11:token=LABEL;serial=S?module-path=/lib.so`), or by
 * `module` plus label or serial. Either way the result carries module, label and serial.
 */
export const tokenSelectionSchema = z.strictObject({
  /** A PKCS#11 URI naming the token; module-path (or module-name=softhsm) gives the module unless `module` does. */
  uri: z.string().min(1).optional(),
  /** A module path, or `softhsm` for the platform's SoftHSM2 (rehearsals). */
  module: z.string().min(1).optional(),
  label: z.string().min(1).max(32).optional(),
  serial: z.string().min(1).max(16).optional(),
}).superRefine((t, ctx) => {
  if (t.uri === undefined) {
    if (t.module === undefined) ctx.addIssue({ code: 'custom', path: ['module'], message: 'name the token\'s module (a path, or softhsm), or the token by uri' });
    if (t.label === undefined && t.serial === undefined) ctx.addIssue({ code: 'custom', message: 'give the token label or serial (slot ids change)' });
    return;
  }
  const problem = tokenUriProblem(t.uri, t.module);
  if (problem) ctx.addIssue({ code: 'custom', path: ['uri'], message: problem });
  if (t.label !== undefined || t.serial !== undefined) ctx.addIssue({ code: 'custom', path: ['uri'], message: 'name the token by uri or by label/serial, not both (put them in the uri: token=LABEL;serial=SERIAL)' });
}).transform((t) => {
  if (t.uri === undefined) return { module: t.module!, ...(t.label !== undefined ? { label: t.label } : {}), ...(t.serial !== undefined ? { serial: t.serial } : {}) };
  const u = parsePkcs11Uri(t.uri);
  return { module: t.module ?? uriModule(u)!, ...(u.path.token !== undefined ? { label: u.path.token } : {}), ...(u.path.serial !== undefined ? { serial: u.path.serial } : {}), uri: t.uri };
});

/** The module a token URI names: module-path as is; module-name softhsm/softhsm2 means the platform's SoftHSM2. */
function uriModule(u: Pkcs11Uri): string | undefined {
  if (u.query['module-path'] !== undefined) return u.query['module-path'];
  const name = u.query['module-name']?.toLowerCase();
  return name === 'softhsm' || name === 'softhsm2' ? 'softhsm' : undefined;
}

function tokenUriProblem(uri: string, module: string | undefined): string | undefined {
  let u: Pkcs11Uri;
  try {
    u = parsePkcs11Uri(uri);
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
  const other = Object.keys(u.path).filter((k) => !TOKEN_URI_ATTRIBUTES.includes(k));
  if (other.length > 0) return `the uri names a token, so it may carry only ${TOKEN_URI_ATTRIBUTES.join(', ')} (not ${other.join(', ')})`;
  if (u.path.token === undefined && u.path.serial === undefined) return 'the uri must give token=LABEL or serial=SERIAL (slot ids change)';
  if ((u.path.token?.length ?? 0) > 32 || (u.path.serial?.length ?? 0) > 16) return 'a token label is at most 32 characters and a serial at most 16';
  if (u.query['pin-value'] !== undefined) return 'a PIN does not belong in a script: remove pin-value (the PIN is typed by its holder, or read from --pin-source)';
  if (u.query['pin-source'] !== undefined) return 'pin-source does not belong in a script: name it on the command line (--pin-source)';
  if (module === undefined && uriModule(u) === undefined) {
    return u.query['module-name'] !== undefined ? `module-name "${u.query['module-name']}" is not one Keyrite knows: give module-path=/path/to/module.so` : 'the uri names no module: add ?module-path=/path/to/module.so (or module-name=softhsm), or give module';
  }
  if (module !== undefined && uriModule(u) !== undefined && uriModule(u) !== module) return `the uri's module (${uriModule(u)}) is not the module given (${module})`;
  return undefined;
}

export const keySpecSchema = z.strictObject({
  algorithm: z.enum(KEY_ALGORITHMS as unknown as [string, ...string[]]),
  label: z.string().min(1).max(64),
  class: z.string().min(1),
});

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

export const stepSchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'use lowercase letters, digits and dashes'),
  instruction: z.string().min(1),
  action: z.enum(STEP_ACTIONS),
  /** Names of participants who attest this step before it counts as done. */
  attest: z.array(name).default([]),
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

export const scriptSchema = z.strictObject({
  version: z.literal(1),
  id: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'letters, digits, dot, dash and underscore only'),
  title: z.string().min(1),
  purpose: z.string().min(1),
  type: z.enum(CEREMONY_TYPES),
  participants: z.array(participantSchema).min(1),
  token: tokenSelectionSchema,
  /** A second token for recovery (the key is unwrapped into it) or a rotation successor. */
  targetToken: tokenSelectionSchema.optional(),
  /** Destruction: other tokens holding copies of the key (e.g. a recovery token); each is cleaned too. */
  otherTokens: z.array(tokenSelectionSchema).optional(),
  key: keySpecSchema,
  successor: keySpecSchema.optional(),
  backup: backupSchema.optional(),
  certificate: certificateProfileSchema.optional(),
  signing: signingInputSchema.optional(),
  /** sign-dnskey: the DNSKEY RRset and the RRSIG validity windows. */
  dnssec: dnssecSectionSchema.optional(),
  /** SHA-256 of the media the laptop boots from (e.g. the published ISO's), recorded as provenance. */
  bootMediaSha256: z.string().regex(/^[0-9a-f]{64}$/, 'expected a SHA-256 as 64 lowercase hex digits').optional(),
  steps: z.array(stepSchema).min(1),
});

export type CeremonyScript = z.infer<typeof scriptSchema>;
export type ScriptStep = z.infer<typeof stepSchema>;
export type Participant = z.infer<typeof participantSchema>;
export type CertificateProfile = z.infer<typeof certificateProfileSchema>;
export type BackupSpec = z.infer<typeof backupSchema>;
export type KeySpec = z.infer<typeof keySpecSchema>;
export type TokenSelection = z.infer<typeof tokenSelectionSchema>;
export type CustodianSpec = z.infer<typeof custodianSchema>;
export type RecipientSpec = z.infer<typeof recipientSchema>;
