/** Builds the renderer once per run into a private temp folder (never shared out/). */
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ensureBuilt } from '../helpers/build-once';
import { buildRenderer } from './build-renderer';

export default async function globalSetup(): Promise<void> {
  // The token hosts the specs start are the built out/main/token-host.js.
  ensureBuilt();
  const existing = process.env.KEYRITE_E2E_RENDERER;
  if (existing) return;
  const dir = mkdtempSync(path.join(os.tmpdir(), 'keyrite-renderer-'));
  await buildRenderer(dir);
  process.env.KEYRITE_E2E_RENDERER = dir;
  process.env.KEYRITE_E2E_RENDERER_TEMP = '1';
}
