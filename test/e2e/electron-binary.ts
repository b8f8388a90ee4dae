/**
 * Where the Electron binary is, if it was installed: node_modules/electron writes path.txt (the
 * binary's path inside dist/) when its postinstall download succeeds. Offline machines have no
 * dist/, so the 'electron' e2e project is left out of the config there (playwright.config.ts).
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

export const REPO_ROOT = path.resolve(import.meta.dirname, '../..');

/** The built main entry the app starts from (`npm run build`). */
export const BUILT_MAIN = path.join(REPO_ROOT, 'out', 'main', 'index.js');

export function electronBinary(root: string = REPO_ROOT): string | null {
  const pkg = path.join(root, 'node_modules', 'electron');
  const pathFile = path.join(pkg, 'path.txt');
  if (!existsSync(pathFile)) return null;
  const binary = path.join(pkg, 'dist', readFileSync(pathFile, 'utf8').trim());
  return existsSync(binary) ? binary : null;
}
