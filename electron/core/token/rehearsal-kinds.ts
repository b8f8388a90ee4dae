/**
 * Rehearsal tokens of each kind, made the same way for tests, the CLI and the ceremony runner:
 * `softhsm` (SoftHSM2), `nss` (NSS softokn) and `tpm` (tpm2-pkcs11 on swtpm). A run resumed in
 * the same folder reuses its token; a run that continues an earlier one (--from) takes a copy of
 * that run's token.
 */
import { cpSync, existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { KeyriteError } from '../util/errors';
import { createRehearsalToken, findSoftHsmModule, writeSoftHsmConfig } from './rehearsal';
import { createNssRehearsalToken, findNssSoftokn, nssInitArgs } from './rehearsal-nss';
import { PKCS11_INIT_ARGS_ENV } from './host-protocol';
import { provisionTpmRehearsalToken } from './rehearsal-tpm';

export const REHEARSAL_KINDS = ['softhsm', 'nss', 'tpm'] as const;
export type RehearsalKind = (typeof REHEARSAL_KINDS)[number];

export function parseRehearsalKind(text: string): RehearsalKind {
  if ((REHEARSAL_KINDS as readonly string[]).includes(text)) return text as RehearsalKind;
  throw new KeyriteError('USAGE_REHEARSAL_KIND', `"${text}" is not a rehearsal token kind.`, { action: `Use one of: ${REHEARSAL_KINDS.join(', ')}.` });
}

export interface ProvisionedToken {
  /** The module to load: for NSS it replaces the script's module (a rehearsal names SoftHSM2). */
  modulePath: string;
  env: Record<string, string>;
  /** Stops what the token needs running (tpm: its swtpm); the run calls it when it ends, whatever the outcome. */
  stop?: () => Promise<void>;
}

/** Provisions (or reuses, on resume) the rehearsal token in `dir`; copies `fromDir`'s token when given. */
export async function provisionRehearsalToken(o: { kind: RehearsalKind; dir: string; label: string; pin: string; fromDir?: string }): Promise<ProvisionedToken> {
  if (o.kind === 'tpm') return provisionTpmRehearsalToken(o);
  if (o.kind === 'nss') {
    const dbName = `nss-${o.label.replace(/[^A-Za-z0-9._-]/g, '_')}`;
    const dbDir = path.join(path.resolve(o.dir), dbName);
    const reuse = (): ProvisionedToken => ({ modulePath: findNssSoftokn()!, env: { [PKCS11_INIT_ARGS_ENV]: nssInitArgs(dbDir, o.label) } });
    if (existsSync(path.join(dbDir, 'key4.db')) && findNssSoftokn()) return reuse();
    if (o.fromDir && existsSync(path.join(o.fromDir, dbName, 'key4.db')) && findNssSoftokn()) {
      cpSync(path.join(o.fromDir, dbName), dbDir, { recursive: true });
      return reuse();
    }
    const t = await createNssRehearsalToken({ dir: o.dir, label: o.label, pin: o.pin });
    return { modulePath: t.modulePath, env: t.env };
  }
  const modulePath = findSoftHsmModule() ?? '';
  // A kill between the config and the token's init leaves a config with no token in its store: make it then.
  const made = existsSync(path.join(o.dir, 'softhsm2.conf')) && existsSync(path.join(o.dir, 'tokens')) && readdirSync(path.join(o.dir, 'tokens')).length > 0;
  if (made) return { modulePath, env: { SOFTHSM2_CONF: path.join(o.dir, 'softhsm2.conf') } };
  if (o.fromDir && existsSync(path.join(o.fromDir, 'tokens'))) {
    cpSync(path.join(o.fromDir, 'tokens'), path.join(o.dir, 'tokens'), { recursive: true });
    const { confPath } = await writeSoftHsmConfig(o.dir);
    return { modulePath, env: { SOFTHSM2_CONF: confPath } };
  }
  const t = await createRehearsalToken({ dir: o.dir, label: o.label, pin: o.pin });
  return { modulePath: t.modulePath, env: t.env };
}
