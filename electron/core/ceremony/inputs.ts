/** The inputs file of a headless run (and a template's rehearsal inputs): strict YAML like the script. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { KeyriteError } from '../util/errors';
import { parseYamlSource, renderIssues, zodIssues } from './yaml-source';

export const inputsSchema = z.strictObject({
  /** Who confirms each step; without it, the administrator confirms each step on the TTY. */
  administrator: z.string().min(1).optional(),
  /** PIN by token label, or one PIN for every token. Rehearsal PINs only: never write a real PIN to a file. */
  pins: z.record(z.string(), z.string().min(4)).optional(),
  pin: z.string().min(4).optional(),
  airGapOverride: z.strictObject({ who: z.string().min(1).optional(), reason: z.string().min(3) }).optional(),
  /** Witnesses who attest when asked: `all`, or a list of names; the others are asked on the TTY. */
  attest: z.union([z.literal('all'), z.array(z.string().min(1))]).default([]),
  /** Rehearsals: each custodian re-enters the words just shown to them. */
  shareVerification: z.literal('echo').optional(),
  /** Shares presented at recovery or reshare: share files (words) by custodian. */
  shares: z.strictObject({
    /** Folder of share files, relative to --from (default `shares`). */
    dir: z.string().min(1).default('shares'),
    custodians: z.array(z.string().min(1)).min(1),
  }).optional(),
  /**
   * Signer key files (paths, relative to this file) of witnesses who cosign the final checkpoint, by
   * witness name. Paths only: the key text never goes into an inputs file. The others are asked.
   */
  witnessKeys: z.record(z.string().min(1), z.string().min(1)).optional(),
  /**
   * Witnesses who cosign on their own token: token label by witness name. The token is reached
   * through the script's token module; its PIN comes from `pins` by that label (else `pin`), else it
   * is asked hidden on the TTY. Witnesses not named here cosign by key file.
   */
  witnessTokens: z.record(z.string().min(1), z.string().min(1)).optional(),
  /** Rehearsals only: make throwaway keys for these witnesses (`all`, or names) and run a copy of the script recording them. */
  rehearsalWitnessKeys: z.union([z.literal('all'), z.array(z.string().min(1))]).optional(),
  /**
   * Rehearsals only: the passphrase of each `file` custodian's share file, by custodian name.
   * In a real ceremony the custodian types it (hidden) on the TTY; never write one to a file.
   */
  sharePassphrases: z.record(z.string().min(1), z.string().min(1)).optional(),
  /** Rehearsal of a ceremony that needs an existing key: the template that makes it first (relative to this file). */
  prior: z.string().min(1).optional(),
});

export type RunInputs = z.infer<typeof inputsSchema>;

export function loadInputsFile(file: string): RunInputs {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new KeyriteError('INPUT_FILE_UNREADABLE', `Cannot read the inputs file ${file}: ${(e as Error).message}`, { action: 'Check the --inputs path.' });
  }
  const src = parseYamlSource(text, file);
  const r = inputsSchema.safeParse(src.value ?? {});
  if (!r.success) {
    const issues = zodIssues(src, r.error);
    throw new KeyriteError('INPUT_FILE_INVALID', `The inputs file is not valid:\n${renderIssues(issues, file)}`, { action: 'Fix each field shown.', details: { issues } });
  }
  const base = path.dirname(path.resolve(file));
  const witnessKeys = r.data.witnessKeys ? Object.fromEntries(Object.entries(r.data.witnessKeys).map(([k, v]) => [k, path.resolve(base, v)])) : undefined;
  return { ...r.data, ...(witnessKeys ? { witnessKeys } : {}) };
}
