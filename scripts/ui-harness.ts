/**
 * The e2e harness for a person: `npm start` runs this when no Electron binary exists.
 * Provisions a SoftHSM2 rehearsal token in a temp folder, builds and serves the renderer, and opens
 * it in headed Chromium (Playwright) with the real handler table bound in as window.keyrite, the
 * same contract as the Electron preload, and the real ceremony runner on the rehearsal token
 * (share files go to OUT/custody; a witness's key file is asked for on the terminal). Without a
 * display it says how to get one.
 *
 *   node --import tsx scripts/ui-harness.ts [--data DIR] [--check]
 *     --data DIR  keep ceremonies in DIR (default: a temp folder, removed on exit, Ctrl+C and SIGTERM too)
 *     --check     open headless, check the app renders, and exit (used to test this script)
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline/promises';
import { chromium } from 'playwright';
import type { EventMap } from '../electron/contract/index';
import { createAirGapProbe } from '../electron/core/ceremony/air-gap';
import { createHandlerTable, type HandlerDeps } from '../electron/core/ipc/handlers';
import { watchDevices } from '../electron/core/ipc/device-watch';
import { createCoreServices } from '../electron/core/ipc/services';
import { createTokenClient } from '../electron/core/token/client';
import { createRehearsalToken } from '../electron/core/token/rehearsal';
import { bindKeyrite, type BoundBridge } from '../test/e2e/bridge';
import { buildRenderer } from '../test/e2e/build-renderer';
import { serveDir } from '../test/e2e/static-server';

const CHROMIUM = process.env.KEYRITE_CHROMIUM ?? '/usr/bin/chromium';
const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

function option(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

/** Stands in for the app's open dialog for a witness's signer key: the path typed here, empty = cancelled. */
async function askWitnessKeyFile(witness: string): Promise<string | null> {
  const rl = createInterface({ input: process.stdin, output: process.stdout });
  try {
    const answer = (await rl.question(`${witness}: path of your witness signer key file (empty to cancel): `)).trim();
    return answer === '' ? null : path.resolve(answer);
  } finally {
    rl.close();
  }
}

function howToRun(): string {
  return [
    'Keyrite UI harness: no display was found (DISPLAY and WAYLAND_DISPLAY are unset), so no window can open.',
    'Run it from a desktop session, or under a virtual display:',
    '  xvfb-run -a node --import tsx scripts/ui-harness.ts      (Debian: apt-get install xvfb)',
    'or check it without a window:',
    '  node --import tsx scripts/ui-harness.ts --check',
  ].join('\n');
}

async function main(): Promise<number> {
  const check = process.argv.includes('--check');
  const hasDisplay = Boolean(process.env.DISPLAY || process.env.WAYLAND_DISPLAY);
  if (!check && !hasDisplay) {
    console.log(howToRun());
    return 0;
  }
  if (!existsSync(CHROMIUM)) {
    console.error(`Chromium is not at ${CHROMIUM}. Install it (apt-get install chromium) or set KEYRITE_CHROMIUM.`);
    return 1;
  }
  const root = mkdtempSync(path.join(os.tmpdir(), 'keyrite-ui-'));
  // Ctrl+C or a kill at any point (also while building) stops what was started and removes the temp folder.
  const closers: (() => Promise<void>)[] = [];
  let cleaned = false;
  const cleanup = async (): Promise<void> => {
    if (cleaned) return;
    cleaned = true;
    for (const close of closers.reverse()) await close().catch(() => undefined);
    rmSync(root, { recursive: true, force: true });
  };
  let stopWaiting: (() => void) | undefined;
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopWaiting) { stopWaiting(); return; }
    void cleanup().finally(() => process.exit(signal === 'SIGINT' ? 130 : 143));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  console.log(`Temp folder (removed on exit and on Ctrl+C): ${root}`);
  const dataArg = option('--data');
  const dataDir = dataArg ? path.resolve(dataArg) : path.join(root, 'data');
  mkdirSync(dataDir, { recursive: true });
  const token = await createRehearsalToken({ dir: path.join(root, 'softhsm') });
  const tokens = createTokenClient({ modulePath: token.modulePath, env: token.env });
  closers.push(() => tokens.close());
  console.log(`Rehearsal token "${token.label}" (SoftHSM2, user PIN 123456) in ${token.tokenDir}`);
  console.log(dataArg
    ? `Rehearsal ceremonies are kept in ${dataDir} (one folder per run; the ceremony screen shows it).`
    : `Rehearsal ceremonies go to ${dataDir} (one folder per run; the ceremony screen shows it). This is inside the temp folder and removed on exit: pass --data DIR to keep them.`);
  const rendererDir = await buildRenderer(path.join(root, 'renderer'));
  const server = await serveDir(rendererDir);
  closers.push(() => server.close());
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS, headless: check });
  closers.push(() => browser.close());
  let watcher: { stop(): void } | undefined;
  try {
    const context = await browser.newContext({ viewport: check ? { width: 1366, height: 900 } : null });
    // Events go through the bridge, which needs the table first: bound late.
    const link: { bridge?: BoundBridge } = {};
    const deps: HandlerDeps = {
      dataDir,
      app: { version: '0.1.0', platform: process.platform, rehearsal: true },
      tokens,
      ...createCoreServices({ dataDir }),
      // This machine's real network state: Home says when it is not air-gapped.
      airGapProbe: createAirGapProbe(),
      // The real ceremony runner on the rehearsal token. Share files go to the run's custody folder
      // (no save dialog here); a witness's key file is asked for on this terminal instead of a dialog.
      ceremony: { tokens, tokenEnv: token.env, modulePath: token.modulePath, rehearsal: true, pickWitnessKeyFile: askWitnessKeyFile },
      emit: (channel, payload) => { void link.bridge?.emit(channel, payload as EventMap[typeof channel]).catch(() => undefined); },
    };
    const bridge = await bindKeyrite(context, createHandlerTable(deps));
    link.bridge = bridge;
    const page = await context.newPage();
    await page.goto(server.url);
    await page.getByRole('navigation', { name: 'Screens' }).waitFor();
    watcher = watchDevices(deps, 2000, (view) => void bridge.emit('devices/changed', view).catch(() => undefined));
    if (check) {
      const banner = await page.locator('.rehearsal-banner').textContent({ timeout: 20_000 });
      console.log(`ui-harness check: the app rendered; ${banner?.includes('Rehearsal mode') ? 'rehearsal banner shown' : 'no rehearsal banner'}.`);
      return 0;
    }
    console.log('Keyrite is open in Chromium. Close the window (or press Ctrl+C) to stop; the temp folder is removed.');
    await new Promise<void>((resolve) => {
      stopWaiting = resolve;
      page.on('close', () => resolve());
      browser.on('disconnected', () => resolve());
    });
    return 0;
  } finally {
    watcher?.stop();
    await cleanup();
  }
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error('ui-harness failed:', e instanceof Error ? e.message : e);
    process.exit(1);
  },
);
