import canonicalize from 'canonicalize';
import { loneSurrogatePath } from '../util/unicode';
import { z } from 'zod';
import { KEY_ALGORITHMS, type KeyAlgorithm, type SignatureScheme } from '../token/types';
import { verifySignature } from '../token/verify';
import { shareError } from './errors';
import { fromBase64 } from './bytes';

/**
 * backup.json, format "keyrite.backup" version 1 (documented in docs/SHARES.md).
 *
 * `sealed` never changes for a key: the key, its wrapped form and the commitment to the wrapping
 * key, signed by the root key itself. `split` describes the current set of shares of that same
 * wrapping key and changes on reshare; it is authenticated by `splitMac`, a MAC keyed from the
 * wrapping key, which anyone holding k shares can check (and only they can make).
 */
const hex = (bytes?: number) => z.string().regex(bytes === undefined ? /^([0-9a-f]{2})*$/ : new RegExp(`^[0-9a-f]{${bytes * 2}}$`));
const b64 = z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/).refine((s) => s.length % 4 === 0);

const SealedSchema = z.object({
  ceremonyId: z.string().min(1).max(200),
  createdAt: z.string(),
  key: z.object({
    label: z.string(),
    id: hex(),
    algorithm: z.enum(KEY_ALGORITHMS as [KeyAlgorithm, ...KeyAlgorithm[]]),
    spki: b64,
  }).strict(),
  wrapping: z.object({
    mechanism: z.literal('CKM_AES_KEY_WRAP_PAD'),
    keyBits: z.literal(256),
    wrappedKey: b64,
    keyCommitment: hex(32),
  }).strict(),
}).strict();

const ShareRecordSchema = z.object({
  index: z.number().int().min(1).max(255),
  custodian: z.string().min(1).max(200),
  x: z.number().int().min(1).max(255),
  commitment: hex(32),
  fingerprint: z.string().regex(/^[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}$/),
}).strict();

const SplitSchema = z.object({
  id: hex(4),
  ceremonyTag: hex(4),
  /** The ceremony that made this split (the original one, or a reshare ceremony). */
  madeBy: z.string().min(1).max(200),
  createdAt: z.string(),
  scheme: z.literal('shamir-secret-sharing-gf256'),
  k: z.number().int().min(2).max(255),
  n: z.number().int().min(2).max(255),
  shares: z.array(ShareRecordSchema),
  /** Earlier splits of this wrapping key, declared void when this one was made. */
  voids: z.array(z.object({ splitId: hex(4), voidedBy: z.string(), at: z.string() }).strict()),
}).strict();

export const BackupFileSchema = z.object({
  format: z.literal('keyrite.backup'),
  version: z.literal(1),
  sealed: SealedSchema,
  signature: z.object({ scheme: z.string(), value: b64 }).strict(),
  split: SplitSchema,
  splitMac: hex(32),
}).strict().superRefine((b, ctx) => {
  if (b.split.n < b.split.k || b.split.shares.length !== b.split.n) ctx.addIssue({ code: 'custom', message: 'split: k <= n and one share record per share' });
  if (new Set(b.split.shares.map((s) => s.x)).size !== b.split.shares.length) ctx.addIssue({ code: 'custom', message: 'split: x coordinates must be distinct' });
});

export type BackupFile = z.infer<typeof BackupFileSchema>;
export type BackupSealed = BackupFile['sealed'];
export type BackupSplit = BackupFile['split'];
export type ShareRecord = BackupSplit['shares'][number];

const BAD_BACKUP = 'Use the backup.json written by the ceremony (check it was copied in full).';

export function parseBackupFile(text: string): BackupFile {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    throw shareError('BACKUP_FORMAT', 'The backup file is not valid JSON.', BAD_BACKUP);
  }
  const lone = loneSurrogatePath(v);
  if (lone) throw shareError('BACKUP_FORMAT', `The backup file is not a Keyrite backup: ${lone} holds an escaped lone surrogate, not Unicode text.`, BAD_BACKUP, { path: lone });
  const r = BackupFileSchema.safeParse(v);
  if (!r.success) {
    const issue = r.error.issues[0];
    const where = issue ? issue.path.join('.') : '';
    throw shareError('BACKUP_FORMAT', `The backup file is not a Keyrite backup (version 1)${where ? `: ${where}` : ''}${issue ? ` ${issue.message}` : ''}.`, BAD_BACKUP, { path: where });
  }
  return r.data;
}

export function serializeBackupFile(b: BackupFile): string {
  return JSON.stringify(b, null, 2) + '\n';
}

/** The scheme the root key signs the backup with. */
export function backupSignatureScheme(algorithm: KeyAlgorithm): SignatureScheme {
  switch (algorithm) {
    case 'ec-p256': return 'ecdsa-sha256';
    case 'ec-p384': return 'ecdsa-sha384';
    case 'ec-p521': return 'ecdsa-sha512';
    case 'ed25519': return 'ed25519';
    default: return 'rsa-pkcs1-sha256';
  }
}

/** Bytes the root key signs: a context line, then the RFC 8785 canonical form of `sealed`. */
export function sealedSigningBytes(sealed: BackupSealed): Uint8Array {
  const c = canonicalize(sealed);
  if (c === undefined) throw new Error('sealed section cannot be canonicalised');
  return new TextEncoder().encode(`keyrite.backup.v1 sealed\n${c}`);
}

/** Verifies a token signature with the recorded SPKI (the token layer's verifier; never throws). */
export function verifyWithSpki(spki: Uint8Array, scheme: SignatureScheme, data: Uint8Array, signature: Uint8Array): boolean {
  return verifySignature(spki, scheme, data, signature);
}

/** Checks the backup file's root-key signature over its sealed section. */
export function verifyBackupFile(b: BackupFile): { scheme: SignatureScheme } {
  const scheme = backupSignatureScheme(b.sealed.key.algorithm);
  if (b.signature.scheme !== scheme) {
    throw shareError('BACKUP_SIGNATURE_INVALID', `The backup is signed with ${b.signature.scheme}; a ${b.sealed.key.algorithm} key signs with ${scheme}.`, BAD_BACKUP);
  }
  const ok = verifyWithSpki(fromBase64(b.sealed.key.spki), scheme, sealedSigningBytes(b.sealed), fromBase64(b.signature.value));
  if (!ok) {
    throw shareError('BACKUP_SIGNATURE_INVALID', 'The backup file\'s signature does not verify with its own public key: it was altered or damaged.', 'Use another copy of backup.json and compare it with the one recorded in the transcript.');
  }
  return { scheme };
}

/** Public summary for the transcript: everything about the split, nothing secret. */
export function backupTranscriptData(b: BackupFile): Record<string, unknown> {
  return {
    ceremonyId: b.sealed.ceremonyId,
    key: { label: b.sealed.key.label, id: b.sealed.key.id, algorithm: b.sealed.key.algorithm },
    mechanism: b.sealed.wrapping.mechanism,
    wrappingKeyCommitment: b.sealed.wrapping.keyCommitment,
    splitId: b.split.id,
    k: b.split.k,
    n: b.split.n,
    custodians: b.split.shares.map((s) => ({ index: s.index, custodian: s.custodian, fingerprint: s.fingerprint })),
    voidSplits: b.split.voids.map((v) => v.splitId),
  };
}
