#!/usr/bin/env node
// The keyrite command runs under plain Node. It loads the TypeScript sources through tsx, so a
// checkout works after `npm ci` with no build step.
import { register } from 'tsx/esm/api';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

register();
const here = path.dirname(fileURLToPath(import.meta.url));
const { main } = await import(path.join(here, '..', 'electron', 'cli', 'main.ts'));
process.exitCode = await main(process.argv.slice(2));
