import path from 'node:path';
import { checkoutRoot } from '../util/checkout';

/** resources/ in a checkout, from the sources or the built CLI (the packaged app passes its own paths). */
export function resourcesDir(): string {
  return path.join(checkoutRoot(), 'resources');
}

export function defaultPolicyPath(): string {
  return path.join(resourcesDir(), 'policy', 'default.yaml');
}
