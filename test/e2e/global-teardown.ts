import { rmSync } from 'node:fs';

export default async function globalTeardown(): Promise<void> {
  const dir = process.env.KEYRITE_E2E_RENDERER;
  if (dir && process.env.KEYRITE_E2E_RENDERER_TEMP === '1') rmSync(dir, { recursive: true, force: true });
}
