/**
 * pkcs11js is a CommonJS native addon whose exports Node's ESM loader cannot see by name, so it is
 * loaded through require. Only the token host (and the fault injector, the bench and the names
 * table) import this file: the native module never loads in the caller's process by accident.
 */
import { createRequire } from 'node:module';

export type Pkcs11Module = typeof import('pkcs11js');
export type { PKCS11, Handle, Template, Attribute, Mechanism, TokenInfo } from 'pkcs11js';

export const pkcs11: Pkcs11Module = createRequire(import.meta.url)('pkcs11js') as Pkcs11Module;
