/**
 * zod schemas for every invoke request, used twice: by the preload (reject a bad request before it
 * crosses to main) and by the handler table (never trust the sender). Untrusted data is parsed at
 * the boundary. The ceremony channels' schemas are written by the ceremony UI in ./ceremony-schemas
 * and mapped to their channels here; test/unit/ipc checks that every channel has one.
 */
import { z } from 'zod';
import type { CeremonyInvokeMap } from './ceremony';
import {
  ceremonyInputSchema, checkWordReqSchema, deviationReqSchema, loadScriptReqSchema, recoveryStartReqSchema,
  revealShareReqSchema, shareInputSchema,
} from './ceremony-schemas';
import type { BaseInvokeMap, InvokeChannel } from './index';
import { KeyriteError } from '../core/util/errors';

const noPayload = z.undefined();

// A folder path typed or picked by a person: absolute, bounded, no NUL (it reaches fs calls).
const folderPath = z
  .string()
  .min(1, 'Choose a folder.')
  .max(4096, 'That path is too long.')
  .refine((p) => !p.includes('\0'), 'A path cannot contain a NUL character.')
  .refine((p) => p.startsWith('/') || /^[A-Za-z]:[\\/]/.test(p) || p.startsWith('\\\\'), 'Give the full path of the folder, starting from the root.');

const printOutput = z.enum(['print', 'pdf'], { message: 'Choose print or pdf.' });

export const BASE_REQUEST_SCHEMAS = {
  'app/info': noPayload,
  'tokens/list': noPayload,
  'devices/list': noPayload,
  'ceremonies/recent': noPayload,
  'audit/pick-folder': noPayload,
  'audit/verify': z.object({
    dir: folderPath,
    trustedKeys: z.array(z.string().trim().min(1).max(1024)).max(16, 'At most 16 trusted keys.').optional(),
  }).strict(),
  'audit/export-report': z.object({ dir: folderPath }).strict(),
  'inventory/list': noPayload,
  'print/report': z.object({ dir: folderPath, output: printOutput }).strict(),
  // strict: a request carrying words (or anything else) is refused, the sheet is built in main.
  'print/share-sheet': z.object({ custodian: z.string().trim().min(1, 'Name the custodian.').max(200, 'That name is too long.'), output: printOutput }).strict(),
} as const satisfies { [C in keyof BaseInvokeMap]: z.ZodType<BaseInvokeMap[C]['req']> };

// Partial on purpose: a new ceremony channel must not break the build before its schema is mapped
// here; the unit test that every channel has a schema catches the gap instead.
const CEREMONY_REQUEST_SCHEMAS: { [C in keyof CeremonyInvokeMap]?: z.ZodType<CeremonyInvokeMap[C]['req']> } = {
  'ceremony/validate': loadScriptReqSchema,
  'ceremony/load': loadScriptReqSchema,
  'ceremony/preflight': loadScriptReqSchema,
  'ceremony/view': noPayload,
  'ceremony/submit': ceremonyInputSchema,
  'ceremony/reveal-share': revealShareReqSchema,
  'ceremony/deviation': deviationReqSchema,
  'ceremony/close': noPayload,
  'recovery/start': recoveryStartReqSchema,
  'recovery/check-word': checkWordReqSchema,
  'recovery/add-share': shareInputSchema,
  'recovery/close': noPayload,
};

export const REQUEST_SCHEMAS: Readonly<Record<string, z.ZodType>> = { ...CEREMONY_REQUEST_SCHEMAS, ...BASE_REQUEST_SCHEMAS };

/** The schema for a channel, or undefined for a channel not mapped yet (a bug the unit test catches). */
export function requestSchema(channel: InvokeChannel): z.ZodType | undefined {
  return REQUEST_SCHEMAS[channel];
}

/**
 * Parses a request for `channel`. Throws REQUEST_INVALID naming the field and the problem, never
 * echoing the value (it may be a PIN).
 */
export function parseRequest<T>(channel: InvokeChannel, req: unknown): T {
  const schema = requestSchema(channel);
  if (!schema) {
    throw new KeyriteError('REQUEST_INVALID', `The channel ${channel} has no request schema, so its request was refused.`, {
      action: 'This is a bug in Keyrite: report it.',
      details: { channel, path: [] },
    });
  }
  const parsed = schema.safeParse(req);
  if (parsed.success) return parsed.data as T;
  const issue = parsed.error.issues[0];
  const where = issue && issue.path.length > 0 ? ` (${issue.path.join('.')})` : '';
  throw new KeyriteError('REQUEST_INVALID', `The request to ${channel} was refused${where}: ${issue?.message ?? 'it does not match the contract'}.`, {
    action: 'Check what was entered and try again. If this keeps happening, it is a bug in Keyrite: report it.',
    details: { channel, path: issue?.path.map(String) ?? [] },
  });
}
