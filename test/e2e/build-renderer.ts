/**
 * Builds the renderer with Vite (the same root, plugin and base as electron.vite.config.ts's
 * renderer part, Home prerendered into index.html as the app ships it) into a folder of the caller's
 * choice, so concurrent test runs never share out/.
 */
import path from 'node:path';
import { existsSync } from 'node:fs';
import react from '@vitejs/plugin-react';
import { build } from 'vite';
import { prerenderHome } from '../../electron.vite.config';

export const REPO_ROOT = path.resolve(import.meta.dirname, '../..');

export async function buildRenderer(outDir: string): Promise<string> {
  await build({
    configFile: false,
    root: path.join(REPO_ROOT, 'renderer'),
    base: './',
    logLevel: 'warn',
    plugins: [react(), prerenderHome()],
    build: { outDir, emptyOutDir: true, rollupOptions: { input: path.join(REPO_ROOT, 'renderer/index.html') } },
  });
  if (!existsSync(path.join(outDir, 'index.html'))) throw new Error(`The renderer build wrote no index.html in ${outDir}`);
  return outDir;
}
