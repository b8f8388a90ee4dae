/**
 * What a ceremony type is: its strict schema (the common fields, its `type`, the sections it uses),
 * the steps it must contain in order, its own script and policy rules, and the facts the run and
 * the pre-flight ask of it. One file per type (types/<type>.ts) calls defineCeremonyType.
 */
import { z } from 'zod';
import type { KeyClassPolicy } from '../policy-schema';
import { commonScriptFields, type KeySpec, type StepAction } from './script-common';
import { SCRIPT_SECTIONS, type ScriptSection } from './script-sections';

/** A script as the shared rules see it: the common fields, any section, the type as a string. */
export type ScriptCore = z.output<z.ZodObject<typeof commonScriptFields>> & { type: string } & { [K in ScriptSection]?: z.output<(typeof SCRIPT_SECTIONS)[K]> };

/** A rule's finding, located by its path in the script (load.ts adds the line). */
export interface RuleIssue {
  path: (string | number)[];
  message: string;
  code: string;
}

/** A check of the script alone (refused as SCRIPT_INVALID). */
export type ScriptRule<S> = (script: S) => RuleIssue[];
/** A check of the script against its key class in the policy (refused as SCRIPT_POLICY_VIOLATION). */
export type PolicyRule<S> = (script: S, cls: KeyClassPolicy) => RuleIssue[];

export interface CeremonyTypeDef<T extends string = string, Schema extends z.ZodType = z.ZodType<ScriptCore>> {
  type: T;
  /** The strict schema of a script of this type; an unknown field or a section it does not use is refused. */
  schema: Schema;
  /** Steps a script of this type must contain, in this order (other steps may come between). */
  steps: readonly StepAction[];
  /** Whether it works on a key an earlier ceremony made or used, whose folder the run must be given. */
  needsPriorRun: boolean;
  /** The key pair it puts on its token, by the script field describing it: its label must be free there. */
  newKey?: { field: 'key' | 'successor'; how: 'generated' | 'restored' };
  /** Whether it signs with the script's key on its token (so the token must support that algorithm). */
  signsWithKey?: boolean;
  scriptRules?: readonly ScriptRule<z.output<Schema>>[];
  policyRules?: readonly PolicyRule<z.output<Schema>>[];
}

/** What the signing types share: the key an earlier ceremony made signs on the token. */
export const SIGNS_WITH_EARLIER_KEY = { needsPriorRun: true, signsWithKey: true } as const;

/** A type's schema: the common fields, `type: <type>`, and the optional sections it uses. */
export function scriptObject<const T extends string, K extends ScriptSection>(type: T, sections: readonly K[]) {
  const picked = Object.fromEntries(sections.map((k) => [k, SCRIPT_SECTIONS[k]])) as Pick<typeof SCRIPT_SECTIONS, K>;
  return z.strictObject({ ...commonScriptFields, type: z.literal(type), ...picked });
}

export function defineCeremonyType<const T extends string, Schema extends z.ZodType>(def: CeremonyTypeDef<T, Schema>): CeremonyTypeDef<T, Schema> {
  return def;
}

/** The key spec whose algorithm the token must support: the key it makes or restores, else the key it signs with. */
export function keyUsedOnToken(def: CeremonyTypeDef, script: ScriptCore): KeySpec | undefined {
  if (def.newKey) return script[def.newKey.field] ?? script.key;
  return def.signsWithKey ? script.key : undefined;
}
