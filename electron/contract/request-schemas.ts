/**
 * zod schemas of every request the renderer can send; ./channels.ts maps each channel to its
 * schema. The renderer is untrusted input like any other: every request is parsed once, at the IPC
 * boundary (electron/core/ipc/dispatch.ts), before any handler runs.
 */
import { z } from 'zod';
import type { CeremonyInput, LoadScriptReq, ShareInput } from './ceremony-inputs';
import type { PrintOutput } from './views';

export const noPayload = z.undefined();

// A folder path typed or picked by a person: absolute, bounded, no NUL (it reaches fs calls).
const folderPath = z
  .string()
  .min(1, 'Choose a folder.')
  .max(4096, 'That path is too long.')
  .refine((p) => !p.includes('\0'), 'A path cannot contain a NUL character.')
  .refine((p) => p.startsWith('/') || /^[A-Za-z]:[\\/]/.test(p) || p.startsWith('\\\\'), 'Give the full path of the folder, starting from the root.');

const printOutput = z.enum(['print', 'pdf'], { message: 'Choose print or pdf.' }) satisfies z.ZodType<PrintOutput>;

export const auditVerifyReqSchema = z.object({
  dir: folderPath,
  trustedKeys: z.array(z.string().trim().min(1).max(1024)).max(16, 'At most 16 trusted keys.').optional(),
}).strict();

export const auditFolderReqSchema = z.object({ dir: folderPath }).strict();

export const printReportReqSchema = z.object({ dir: folderPath, output: printOutput }).strict();

// strict: a request carrying words (or anything else) is refused, the sheet is built in main.
export const printShareSheetReqSchema = z.object({ custodian: z.string().trim().min(1, 'Name the custodian.').max(200, 'That name is too long.'), output: printOutput }).strict();

const MAX_SCRIPT_CHARS = 256 * 1024;
const name = z.string().min(1).max(80);
const word = z.string().min(1).max(16);
const ceremonyFolder = z.string().min(1).max(4096).refine((p) => !p.includes('\0') && (p.startsWith('/') || /^[A-Za-z]:[\\/]/.test(p)), 'give the full path of the ceremony folder');

export const loadScriptReqSchema = z.strictObject({
  fileName: z.string().min(1).max(255),
  text: z.string().max(MAX_SCRIPT_CHARS),
  policyText: z.string().max(MAX_SCRIPT_CHARS).optional(),
  from: ceremonyFolder.optional(),
  resume: ceremonyFolder.optional(),
}) satisfies z.ZodType<LoadScriptReq>;

export const shareInputSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('words'), words: z.array(word).min(1).max(128) }),
  z.strictObject({ kind: z.literal('qr'), text: z.string().min(1).max(4096) }),
  z.strictObject({ kind: z.literal('age-file'), fileName: z.string().min(1).max(255), content: z.string().min(1).max(64 * 1024), passphrase: z.string().min(1).max(1024) }),
  z.strictObject({ kind: z.literal('token'), fileName: z.string().min(1).max(255), content: z.string().min(1).max(64 * 1024), tokenSerial: z.string().min(1).max(32), pin: z.string().min(1).max(256) }),
]) satisfies z.ZodType<ShareInput>;

export const ceremonyInputSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('confirm'), who: name }),
  z.strictObject({ kind: z.literal('pin'), pin: z.string().min(1).max(256) }),
  z.strictObject({ kind: z.literal('attest'), witness: name }),
  z.strictObject({ kind: z.literal('air-gap-override'), who: name, reason: z.string().trim().min(3).max(2000) }),
  z.strictObject({ kind: z.literal('share-shown'), custodian: name }),
  z.strictObject({ kind: z.literal('verify-share'), custodian: name, words: z.array(word).min(1).max(128) }),
  z.strictObject({ kind: z.literal('share-file'), custodian: name, passphrase: z.string().min(1).max(1024) }),
  z.strictObject({ kind: z.literal('verify-share-file'), custodian: name, passphrase: z.string().min(1).max(1024) }),
  z.strictObject({ kind: z.literal('share-token'), custodian: name }),
  z.strictObject({ kind: z.literal('verify-share-token'), custodian: name, tokenSerial: z.string().min(1).max(32), pin: z.string().min(1).max(256) }),
  z.strictObject({ kind: z.literal('witness-cosign'), witness: name, token: z.strictObject({ tokenSerial: z.string().min(1).max(32), pin: z.string().min(1).max(256) }).optional() }),
  z.strictObject({ kind: z.literal('share-input'), share: shareInputSchema }),
]) satisfies z.ZodType<CeremonyInput>;

export const revealShareReqSchema = z.strictObject({ custodian: name });

export const deviationReqSchema = z.strictObject({ who: name, why: z.string().trim().min(3).max(2000) });

export const recoveryStartReqSchema = z.strictObject({
  backupFileName: z.string().min(1).max(255),
  backupText: z.string().min(1).max(MAX_SCRIPT_CHARS),
});

export const checkWordReqSchema = z.strictObject({ input: z.string().max(32) });
