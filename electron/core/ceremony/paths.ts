import { existsSync } from 'node:fs';
import path from 'node:path';
import { checkoutRoot } from '../util/checkout';

/**
 * Keyrite's resources/ (templates, policy, attestation roots): in an installed app, the copy
 * electron-builder puts beside the code (extraResources, under process.resourcesPath); in a checkout,
 * from the sources or the built CLI, the checkout's own.
 */
export function resourcesDir(): string {
  const packaged = (process as NodeJS.Process & { resourcesPath?: string }).resourcesPath;
  if (packaged !== undefined && existsSync(path.join(packaged, 'resources', 'ceremonies'))) return path.join(packaged, 'resources');
  return path.join(checkoutRoot(), 'resources');
}

export function defaultPolicyPath(): string {
  return path.join(resourcesDir(), 'policy', 'default.yaml');
}
