#!/usr/bin/env node
// The keyrite command runs the built CLI (out/cli/keyrite.js, from `npm run build`) under plain Node:
// no TypeScript loader, no loader hook, no compile cache another user could write into.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const cli = join(root, 'out', 'cli', 'keyrite.js');
const host = join(root, 'out', 'main', 'token-host.js');
const missing = [cli, host].filter((f) => !existsSync(f));
if (missing.length > 0) {
  process.stderr.write(
    `keyrite: Keyrite is not built: ${missing.join(' and ')} ${missing.length > 1 ? 'are' : 'is'} missing.\n` +
      `  What to do: run \`npm run build\` in ${root}, then run keyrite again.\n  [NOT_BUILT]\n`,
  );
  process.exit(2);
}
const { main } = await import(pathToFileURL(cli).href);
process.exitCode = await main(process.argv.slice(2));
