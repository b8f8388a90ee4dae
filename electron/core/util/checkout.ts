/**
 * The folder Keyrite's own files live in (package.json, resources/, the built token host under out/),
 * found from the running code: this file sits at electron/core/util/ in the sources and in out/cli/
 * (or out/main/) once bundled, so the first ancestor holding a package.json is the checkout itself.
 * The walk never goes above that folder, so nothing outside the checkout is ever picked up.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

let cached: string | undefined;

export function checkoutRoot(): string {
  if (cached !== undefined) return cached;
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!existsSync(path.join(dir, 'package.json'))) {
    const up = path.dirname(dir);
    if (up === dir) throw new Error(`no package.json above ${fileURLToPath(import.meta.url)}: Keyrite's files are incomplete`);
    dir = up;
  }
  cached = dir;
  return dir;
}
