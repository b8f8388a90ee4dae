/**
 * What every ceremony script has, whatever its type: who is in the room, the token, the key, the
 * steps. Strict: an unknown field is refused, so a typo never silently drops a requirement.
 */
import { z } from 'zod';
import { KEY_ALGORITHMS } from '../../token/types';
import { parseVerifierKey } from '../../transcript/note-keys';
import { tokenSelectionSchema } from './script-token';

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
  'sign-tuf-root',
] as const;
export type StepAction = (typeof STEP_ACTIONS)[number];

export const IRREVERSIBLE_ACTIONS: ReadonlySet<StepAction> = new Set<StepAction>([
  'generate-key', 'backup', 'recover', 'reshare', 'deactivate', 'destroy-keys', 'seal',
]);

export const DELIVERIES = ['paper', 'file', 'token', 'age-recipient'] as const;

export const name = z.string().min(1).max(80);
export const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}:\d{2}Z)?$/, 'expected a date like 2026-12-01 or 2026-12-01T00:00:00Z');

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

export const keySpecSchema = z.strictObject({
  algorithm: z.enum(KEY_ALGORITHMS as unknown as [string, ...string[]]),
  label: z.string().min(1).max(64),
  class: z.string().min(1),
});

export const stepSchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'use lowercase letters, digits and dashes'),
  instruction: z.string().min(1),
  action: z.enum(STEP_ACTIONS),
  /** Names of participants who attest this step before it counts as done. */
  attest: z.array(name).default([]),
});

/** The fields of every script; each type adds `type` and the sections it uses (script-sections.ts). */
export const commonScriptFields = {
  version: z.literal(1),
  id: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'letters, digits, dot, dash and underscore only'),
  title: z.string().min(1),
  purpose: z.string().min(1),
  participants: z.array(participantSchema).min(1),
  token: tokenSelectionSchema,
  key: keySpecSchema,
  /** SHA-256 of the media the laptop boots from (e.g. the published ISO's), recorded as provenance. */
  bootMediaSha256: z.string().regex(/^[0-9a-f]{64}$/, 'expected a SHA-256 as 64 lowercase hex digits').optional(),
  steps: z.array(stepSchema).min(1),
};

export type ScriptStep = z.infer<typeof stepSchema>;
export type Participant = z.infer<typeof participantSchema>;
export type KeySpec = z.infer<typeof keySpecSchema>;
