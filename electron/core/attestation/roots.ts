/**
 * Vendor attestation roots shipped with Keyrite (resources/attestation/). They are the trust
 * anchors: a chain is checked against these, never against a root carried in a transcript.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { resourcesDir } from '../ceremony/paths';
import { KeyriteError } from '../util/errors';

export const SHIPPED_ROOT_FILES = { 'yubico-piv': 'yubico-piv-root-ca.pem' } as const;

export function shippedRootPath(vendor: keyof typeof SHIPPED_ROOT_FILES): string {
  return path.join(resourcesDir(), 'attestation', SHIPPED_ROOT_FILES[vendor]);
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
