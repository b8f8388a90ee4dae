/**
 * The whole 2-of-3 root key ceremony with the keyboard only: Tab and Shift+Tab to move, Enter to
 * press, Space held to show a share, typing for PINs and words. The mouse is never used.
 */
import { verifyTranscript } from '../../electron/core/transcript/verify';
import { Driver, loadScript, openWithRunner, ROOT_POLICY, rootScript, runRootCeremony, tabTo } from './ceremony-driver';
import { expect, screenshot, test, TOKEN_LABEL } from './harness';

test('a root key ceremony can be run with the keyboard only', async ({ page, keyrite }) => {
  test.setTimeout(300_000);
  await openWithRunner(keyrite);
  const d = new Driver(page, 'keyboard');
  // The screen navigation itself, by keyboard.
  await tabTo(page, page.getByRole('navigation', { name: 'Screens' }).getByRole('button', { name: 'Ceremony', exact: true }));
  await page.keyboard.press('Enter');
  await loadScript(d, rootScript(TOKEN_LABEL, 'e2e-keyboard'), ROOT_POLICY);

  // Focus is visible where the keyboard is.
  const start = page.getByRole('button', { name: 'Start the ceremony' });
  await tabTo(page, start);
  const outline = await start.evaluate((el) => getComputedStyle(el).outlineStyle);
  expect(outline).not.toBe('none');
  await screenshot(page, 'keyboard-focus-start');

  const { outDir } = await runRootCeremony(d, { screens: null });
  const report = await verifyTranscript(outDir);
  expect(report.valid).toBe(true);
  expect(report.steps.completed).toEqual(report.steps.expected);
});
