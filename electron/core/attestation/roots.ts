/**
 * Vendor attestation roots shipped with Keyrite (resources/attestation/). They are the trust
 * anchors: a chain is checked against these, never against a root carried in a transcript.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { resourcesDir } from '../ceremony/paths';
import { KeyriteError } from '../util/errors';

export const SHIPPED_ROOT_FILES = { 'yubico-piv': 'yubico-piv-root-ca.pem' } as const;

/** resources/attestation in a checkout, beside a built out/main bundle, or in a packaged app's resources. */
function candidateDirs(): string[] {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const packaged = (process as NodeJS.Process & { resourcesPath?: string }).resourcesPath;
  return [
    path.join(resourcesDir(), 'attestation'),
    path.resolve(here, '../../resources/attestation'),
    ...(packaged ? [path.join(packaged, 'resources', 'attestation')] : []),
  ];
}

export function shippedRootPath(vendor: keyof typeof SHIPPED_ROOT_FILES): string {
  const name = SHIPPED_ROOT_FILES[vendor];
  const dirs = candidateDirs();
  return dirs.map((d) => path.join(d, name)).find((f) => existsSync(f)) ?? path.join(dirs[0] as string, name);
}

/** The PEM text of the shipped roots for a vendor. */
export function shippedRoots(vendor: keyof typeof SHIPPED_ROOT_FILES): string[] {
  const file = shippedRootPath(vendor);
  try {
    return [readFileSync(file, 'utf8')];
  } catch (e) {
    throw new KeyriteError('ATTESTATION_ROOT_MISSING', `The ${vendor} attestation root ${file} cannot be read: ${(e as Error).message}`, {
      action: 'Reinstall Keyrite: the vendor root is part of the application.',
    });
  }
}
