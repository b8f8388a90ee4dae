/**
 * The 'electron' e2e project: the built app (out/main/index.js) launched with Playwright's
 * `_electron.launch`, real preload and IPC, a fresh SoftHSM2 rehearsal token and its own data
 * folder (KEYRITE_DATA_DIR) per test. Specs get the same `page` and a `keyrite` with the parts of
 * the harness fixture that make sense for a real app (no handler overrides, no fake events), so a
 * spec body written against SharedApp (electron-shared.ts) runs in both projects.
 *
 * UNTESTED here: this machine has no Electron binary; the config leaves the project out then.
 */
import { test as base, expect, type Page } from '@playwright/test';
import { _electron, type ElectronApplication } from 'playwright';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRehearsalToken } from '../../electron/core/token/rehearsal';
import { BUILT_MAIN, REPO_ROOT, electronBinary } from './electron-binary';
import type { SharedApp } from './electron-shared';
import { SO_PIN, TOKEN_LABEL, USER_PIN } from './harness';

export interface ElectronAppFixture extends SharedApp {
  /** Set by open(). */
  app: ElectronApplication | null;
}


export const test = base.extend<{ keyrite: ElectronAppFixture }>({
  // eslint-disable-next-line no-empty-pattern
  keyrite: async ({}, use) => {
    const executablePath = electronBinary();
    if (!executablePath) throw new Error('No Electron binary (node_modules/electron/dist): the electron project should not have run.');
    if (!existsSync(BUILT_MAIN)) throw new Error(`${BUILT_MAIN} is missing: run npm run build before the electron project.`);
    const root = mkdtempSync(path.join(os.tmpdir(), 'keyrite-e2e-electron-'));
    const dataDir = path.join(root, 'data');
    mkdirSync(dataDir, { recursive: true });
    const token = await createRehearsalToken({ dir: path.join(root, 'softhsm'), label: TOKEN_LABEL, pin: USER_PIN, soPin: SO_PIN });
    let page: Page | null = null;
    const fixture: ElectronAppFixture = {
      root,
      dataDir,
      token,
      app: null,
      shotName: (name) => `electron-${name}`,
      get page(): Page {
        if (!page) throw new Error('Call keyrite.open() before using the page.');
        return page;
      },
      async open() {
        const env: Record<string, string> = {};
        for (const [k, v] of Object.entries(process.env)) if (v !== undefined) env[k] = v;
        fixture.app = await _electron.launch({
          executablePath,
          // Its own user-data folder: the single-instance lock is per folder, so tests do not collide.
          args: [BUILT_MAIN, `--user-data-dir=${path.join(root, 'user-data')}`],
          cwd: REPO_ROOT,
          env: { ...env, ...token.env, KEYRITE_DATA_DIR: dataDir, KEYRITE_REHEARSAL: '1', KEYRITE_PKCS11_MODULE: token.modulePath },
        });
        page = await fixture.app.firstWindow();
        await expect(page.getByRole('navigation', { name: 'Screens' })).toBeVisible();
      },
    };
    await use(fixture);
    await fixture.app?.close();
    rmSync(root, { recursive: true, force: true });
  },
});

export { expect };
