import { harnessApp, homeShowsTokenAndBanner } from './electron-shared';
import { expectNoSeriousAxe } from './ceremony-driver';
import { test, expect, screenshot, TOKEN_LABEL } from './harness';

// Shared with the electron project (electron-app.spec.ts).
test('home shows the SoftHSM2 token and the rehearsal banner', async ({ page, keyrite }) => homeShowsTokenAndBanner(harnessApp(page, keyrite)));

test('home shows no rehearsal banner when neither the session nor a token is a rehearsal', async ({ page, keyrite }) => {
  // A production module lists no SoftHSM2 token: model it with the real table over an empty slot list.
  await keyrite.open({ app: { version: '0.1.0-e2e', platform: process.platform, rehearsal: false }, tokens: { listSlots: async () => [] } });
  await expect(page.getByText('No token found')).toBeVisible();
  await expect(page.locator('.rehearsal-banner')).toHaveCount(0);
});

test('the devices panel follows devices/changed events from main', async ({ page, keyrite }) => {
  await keyrite.open({ app: { version: '0.1.0-e2e', platform: process.platform, rehearsal: false }, tokens: { listSlots: async () => [] } });
  await expect(page.getByText('No token found')).toBeVisible();
  const slots = await keyrite.tokens.listSlots();
  await keyrite.bridge?.emit('devices/changed', { slots, usb: [], usbAvailable: false });
  await expect(page.getByRole('list', { name: 'Tokens' }).getByText(TOKEN_LABEL, { exact: true })).toBeVisible();
  await expect(page.locator('.rehearsal-banner')).toBeVisible();
});

test('a token status change swaps the badge words without moving the layout', async ({ page, keyrite }) => {
  await keyrite.open();
  const row = page.getByRole('list', { name: 'Tokens' }).getByRole('listitem').filter({ hasText: TOKEN_LABEL });
  await expect(row.getByText('Ready')).toBeVisible();
  const before = await row.boundingBox();
  const panel = await page.locator('.devices-panel').boundingBox();
  const slots = await keyrite.tokens.listSlots();
  const locked = slots.map((s) => (s.token?.label === TOKEN_LABEL ? { ...s, token: { ...s.token, flags: { ...s.token.flags, userPinLocked: true } } } : s));
  await keyrite.bridge?.emit('devices/changed', { slots: locked, usb: [], usbAvailable: false });
  await expect(row.getByText('PIN locked')).toBeVisible();
  // Status is shown by an icon and words, never colour alone.
  await expect(row.locator('.badge-failed .icon')).toHaveCount(1);
  expect(await row.boundingBox()).toEqual(before);
  expect(await page.locator('.devices-panel').boundingBox()).toEqual(panel);
});

test('home says when the laptop is not air-gapped, what is up, and stops saying it once the interface is down', async ({ page, keyrite }) => {
  // The probe reads this machine's interfaces (a test runner has a network): here it reports what the test says.
  let findings = [
    { kind: 'interface-up' as const, name: 'eth0', detail: 'has address 192.0.2.7' },
    { kind: 'bluetooth' as const, name: 'hci0', detail: 'bluetooth controller present' },
  ];
  await keyrite.open({ airGapProbe: async () => findings });
  const banner = page.locator('.network-banner');
  await expect(banner).toContainText('This laptop is not air-gapped');
  await expect(banner).toContainText('Network interface up: eth0 (has address 192.0.2.7)');
  await expect(banner).toContainText('Bluetooth controller: hci0');
  const row = page.getByRole('list', { name: 'Network' });
  await expect(row).toContainText('2 ways off this laptop');
  await expect(row.locator('.badge-warning')).toContainText('Not air-gapped');
  await screenshot(page, 'home-not-air-gapped');
  await expectNoSeriousAxe(page, 'home-not-air-gapped');

  findings = [];
  await page.getByRole('button', { name: 'Check again' }).click();
  await expect(banner).toHaveCount(0);
  await expect(row).toContainText('No network');
  await expect(row.locator('.badge-ok')).toContainText('Air-gapped');
  await screenshot(page, 'home-air-gapped');
});
