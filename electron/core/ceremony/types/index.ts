/**
 * The ceremony types: one file each. The script schema is the union of their schemas, and the
 * loader runs each type's own steps and rules from here. A new type: its file, and one line below.
 */
import { z } from 'zod';
import type { CeremonyTypeDef } from './define';
import { checkUp } from './check-up';
import { destroy } from './destroy';
import { recovery } from './recovery';
import { reshare } from './reshare';
import { rootKeygen } from './root-keygen';
import { rotate } from './rotate';
import { signArtifact } from './sign-artifact';
import { signCrl } from './sign-crl';
import { signDnskey } from './sign-dnskey';
import { signIntermediate } from './sign-intermediate';
import { signTufRoot } from './sign-tuf-root';

const DEFS = [rootKeygen, recovery, reshare, signIntermediate, signCrl, signArtifact, rotate, destroy, checkUp, signDnskey, signTufRoot] as const;

export type CeremonyType = (typeof DEFS)[number]['type'];
export const CEREMONY_TYPES: readonly CeremonyType[] = DEFS.map((d) => d.type);

/** Each type's definition, by type. A type's rules only ever see scripts its own schema parsed. */
export const CEREMONY_TYPE_DEFS = Object.fromEntries(DEFS.map((d) => [d.type, d])) as unknown as Record<CeremonyType, CeremonyTypeDef>;

/** Whether the type's new key is the script's `successor` (a rotation), so its steps act on that key and the old one is its predecessor. */
export function makesSuccessor(type: CeremonyType): boolean {
  return CEREMONY_TYPE_DEFS[type].newKey?.field === 'successor';
}

type SchemasOf<D extends readonly CeremonyTypeDef<string, z.ZodType>[]> = { -readonly [I in keyof D]: D[I]['schema'] };

/** The script schema: one strict object per type, chosen by `type`. */
export const scriptSchema = z.discriminatedUnion('type', DEFS.map((d) => d.schema) as unknown as SchemasOf<typeof DEFS>, { error: (iss) => (iss.code === 'invalid_union' ? `Invalid option: expected one of ${CEREMONY_TYPES.map((t) => `"${t}"`).join('|')}` : undefined) });
