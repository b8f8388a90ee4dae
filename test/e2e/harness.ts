/**
 * The e2e harness: every test gets its own data folder and SoftHSM2 rehearsal token, the real
 * handler table (electron/core/ipc) over a real TokenClient, bound into the page as window.keyrite,
 * and the built renderer served from a local folder. Same contract as the Electron preload.
 *
 *   import { test, expect, screenshot } from './harness';
 *   test('…', async ({ page, keyrite }) => { await keyrite.open(); … });
 */
import { test as base, expect, type Page } from '@playwright/test';
import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { HandlerTable } from '../../electron/contract/index';
import { createHandlerTable, type HandlerDeps } from '../../electron/core/ipc/handlers';
import { createCoreServices } from '../../electron/core/ipc/services';
import { createTokenClient, type TokenClient } from '../../electron/core/token/client';
import { createRehearsalToken, type RehearsalToken } from '../../electron/core/token/rehearsal';
import { bindKeyrite, type BoundBridge } from './bridge';
import { serveDir, type StaticServer } from './static-server';

export const USER_PIN = '123456';
export const SO_PIN = '12345678';
export const TOKEN_LABEL = 'keyrite-e2e';

export interface KeyriteFixture {
  /** This test's own folder; ceremonies and transcripts go in dataDir. */
  root: string;
  dataDir: string;
  token: RehearsalToken;
  tokens: TokenClient;
  /** Signer key files the witnesses "choose" in the app's open dialog, by witness name (set by the test). */
  witnessKeyFiles: Record<string, string>;
  /** Every witness the dialog was opened for, in order. */
  witnessPicks: string[];
  /** Stands in for main's open dialog (CeremonyServices.pickWitnessKeyFile): null = cancelled. */
  pickWitnessKeyFile(witness: string): Promise<string | null>;
  /** Set by open(). */
  table: HandlerTable | null;
  bridge: BoundBridge | null;
  /**
   * Builds the handler table (deps may be overridden, e.g. to inject a failing service), binds it
   * into the page and loads the app. Resolves once the shell is on screen.
   */
  open(overrides?: Partial<HandlerDeps>): Promise<void>;
}

export const test = base.extend<{ keyrite: KeyriteFixture }, { rendererServer: StaticServer }>({
  rendererServer: [
    // eslint-disable-next-line no-empty-pattern
    async ({}, use) => {
      const dir = process.env.KEYRITE_E2E_RENDERER;
      if (!dir) throw new Error('KEYRITE_E2E_RENDERER is not set: run the specs with -c test/e2e/playwright.config.ts (its global setup builds the renderer).');
      const server = await serveDir(dir);
      await use(server);
      await server.close();
    },
    { scope: 'worker' },
  ],
  keyrite: async ({ page, rendererServer }, use) => {
    const root = mkdtempSync(path.join(os.tmpdir(), 'keyrite-e2e-'));
    const dataDir = path.join(root, 'data');
    mkdirSync(dataDir, { recursive: true });
    const token = await createRehearsalToken({ dir: path.join(root, 'softhsm'), label: TOKEN_LABEL, pin: USER_PIN, soPin: SO_PIN });
    const tokens = createTokenClient({ modulePath: token.modulePath, env: token.env });
    const fixture: KeyriteFixture = {
      root,
      dataDir,
      token,
      tokens,
      witnessKeyFiles: {},
      witnessPicks: [],
      async pickWitnessKeyFile(witness) {
        fixture.witnessPicks.push(witness);
        return fixture.witnessKeyFiles[witness] ?? null;
      },
      table: null,
      bridge: null,
      async open(overrides = {}) {
        const deps: HandlerDeps = {
          dataDir,
          app: { version: '0.1.0-e2e', platform: process.platform, rehearsal: true },
          tokens,
          ...createCoreServices({ dataDir }),
          ...overrides,
        };
        fixture.table = createHandlerTable(deps);
        fixture.bridge = await bindKeyrite(page, fixture.table);
        await page.goto(rendererServer.url);
        await expect(page.getByRole('navigation', { name: 'Screens' })).toBeVisible();
      },
    };
    await use(fixture);
    await tokens.close();
    rmSync(root, { recursive: true, force: true });
  },
});

export { expect };

export const SCREENS_DIR = path.resolve(import.meta.dirname, '../../test-results/screens');

/** Saves a full-page screenshot as a test artifact: test-results/screens/<name>.png. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENS_DIR, { recursive: true });
  const file = path.join(SCREENS_DIR, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

/** Goes to a screen through the top navigation, as a person would. */
export async function goTo(page: Page, screen: 'Home' | 'Ceremony' | 'Recovery' | 'Audit' | 'Inventory'): Promise<void> {
  await page.getByRole('navigation', { name: 'Screens' }).getByRole('button', { name: screen, exact: true }).click();
}
