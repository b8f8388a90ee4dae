/**
 * The ceremony, custodian and recovery types of the contract in one import, for code written
 * before the contract was split by what it holds. Their channels are in ./channels.ts with the
 * others; new code imports from ./index or from the file that holds the type.
 */
export type * from './ceremony-views';
export type * from './ceremony-inputs';
export type * from './script-views';
export type * from './recovery-views';
export type { CeremonyEventMap } from './channels';
export type { ErrorData } from '../core/util/errors';
