import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));

/** resources/ in a checkout (the packaged app passes its own paths). */
export function resourcesDir(): string {
  return path.resolve(here, '../../../resources');
}

export function defaultPolicyPath(): string {
  return path.join(resourcesDir(), 'policy', 'default.yaml');
}
