/**
 * Live tokens on Home: while Home is open, a second SoftHSM2 token is initialised with softhsm2-util
 * (a separate process, as a person would) in the store the app's token module reads. The app's own
 * devices watch (watchDevices over the real handler deps, pushing devices/changed as main does)
 * re-reads the slot list through the app's long-lived token host, and Home lists the new token
 * within 3 s, without a click.
 */
import { execFile } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { watchDevices } from '../../electron/core/ipc/device-watch';
import { LIVE_TOKEN_POLL_MS } from '../../electron/core/token/index';
import { expect, SCREENS_DIR, test, TOKEN_LABEL, USER_PIN, SO_PIN } from './harness';

const run = promisify(execFile);
const NEW_LABEL = 'arrived-while-open';

test('a token initialised while Home is open is listed on Home within 3 s', async ({ page, keyrite }) => {
  await page.setViewportSize({ width: 1280, height: 800 });
  await keyrite.open();
  const tokens = page.getByRole('list', { name: 'Tokens' });
  await expect(tokens.getByText(TOKEN_LABEL, { exact: true })).toBeVisible();
  await expect(tokens.getByText(NEW_LABEL, { exact: true })).toHaveCount(0);
  const bridge = keyrite.bridge!;
  const watch = watchDevices({ tokens: keyrite.tokens }, LIVE_TOKEN_POLL_MS, (view) => { void bridge.emit('devices/changed', view); });
  try {
    // Let the watch take its first view (the token list as Home shows it) before the token arrives.
    await page.waitForTimeout(LIVE_TOKEN_POLL_MS);
    await run('softhsm2-util', ['--init-token', '--free', '--label', NEW_LABEL, '--pin', USER_PIN, '--so-pin', SO_PIN], { env: { ...process.env, ...keyrite.token.env } });
    const initialisedAt = Date.now();
    await expect(tokens.getByText(NEW_LABEL, { exact: true })).toBeVisible({ timeout: 3000 });
    expect(Date.now() - initialisedAt).toBeLessThan(3000);
  } finally {
    watch.stop();
  }
  const row = tokens.getByRole('listitem').filter({ hasText: NEW_LABEL });
  await expect(row.getByText('Ready')).toBeVisible();
  await expect(row).toContainText('SoftHSM');
  // What a person sees on a 1280x800 screen: the window, not the whole page.
  mkdirSync(SCREENS_DIR, { recursive: true });
  await page.screenshot({ path: path.join(SCREENS_DIR, 'home-live-token.png') });
});
