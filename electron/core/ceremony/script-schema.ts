/**
 * The ceremony script: one declarative YAML file agreed before the day (CA/B Forum BR 6.1.1.1).
 * Its schema is the union of the ceremony types' schemas (types/index.ts), each strict: an unknown
 * field is refused, so a typo never silently drops a requirement. The pieces live in types/.
 */
import type { ScriptCore } from './types/define';
import type { CeremonyType } from './types/index';

export { CEREMONY_TYPES, scriptSchema, type CeremonyType } from './types/index';
export {
  DELIVERIES, IRREVERSIBLE_ACTIONS, ROLES, STEP_ACTIONS, keySpecSchema, participantSchema, stepSchema,
  type KeySpec, type Participant, type Role, type ScriptStep, type StepAction,
} from './types/script-common';
export {
  backupSchema, certificateProfileSchema, custodianSchema, recipientSchema, signingInputSchema, subjectSchema,
  type BackupSpec, type CertificateProfile, type CustodianSpec, type RecipientSpec,
} from './types/script-sections';
export { tokenSelectionSchema, type TokenSelection } from './types/script-token';

/** A parsed script of any type: the common fields, and each section its type may have. */
export type CeremonyScript = ScriptCore & { type: CeremonyType };
