import path from 'node:path';
import { test, expect, goTo } from './harness';
import { runRootCeremony } from './ceremony-fixture';
import { auditTamperedThenIntact, harnessApp, homeOpensRecentInAudit } from './electron-shared';

// The first two are shared with the electron project (electron-app.spec.ts).
test('audit of a tampered transcript shows the error at the changed entry, and the intact one verifies', async ({ page, keyrite }) => {
  await auditTamperedThenIntact(harnessApp(page, keyrite));
});

test('home lists the ceremonies on this laptop and opens one in the audit screen', async ({ page, keyrite }) => homeOpensRecentInAudit(harnessApp(page, keyrite)));

test('printing the report outside the desktop app says where to print instead', async ({ page, keyrite }) => {
  const dir = await runRootCeremony(path.join(keyrite.dataDir, 'ceremonies', 'root-2026'));
  await keyrite.open();
  await goTo(page, 'Audit');
  await page.getByLabel('Transcript folder').fill(dir);
  await page.getByRole('button', { name: 'Verify', exact: true }).click();
  await expect(page.locator('.verdict')).toContainText('Transcript verified');
  // The harness has no print service (only Electron main has one): the channel says so, with an action.
  await page.getByRole('button', { name: 'Save as PDF' }).click();
  const alert = page.getByRole('alert').filter({ hasText: 'The report could not be printed' });
  await expect(alert).toContainText('SERVICE_UNAVAILABLE');
  await expect(alert).toContainText('Print from the Keyrite desktop app');
  await expect(page.getByRole('button', { name: 'Print report' })).toBeEnabled();
});

test('a folder without a transcript is refused with what to do', async ({ page, keyrite }) => {
  await keyrite.open();
  await goTo(page, 'Audit');
  await page.getByLabel('Transcript folder').fill(keyrite.dataDir);
  await page.getByRole('button', { name: 'Verify', exact: true }).click();
  const alert = page.getByRole('alert');
  await expect(alert).toContainText('The transcript could not be verified');
  await expect(alert).toContainText('INPUT_NO_TRANSCRIPT');
  await page.getByLabel('Transcript folder').fill('relative/folder');
  await page.getByRole('button', { name: 'Verify', exact: true }).click();
  await expect(page.getByRole('alert')).toContainText('REQUEST_INVALID');
});

test('the auditor checks the signatures against the keys from the paper report', async ({ page, keyrite }) => {
  const dir = await runRootCeremony(path.join(keyrite.dataDir, 'ceremonies', 'root-2026'));
  await keyrite.open();
  await goTo(page, 'Audit');
  await page.getByLabel('Transcript folder').fill(dir);
  await page.getByRole('button', { name: 'Verify', exact: true }).click();
  await expect(page.locator('.verdict')).toContainText('Transcript verified');
  const facts = page.getByRole('region', { name: 'Key facts' });
  const transcriptKey = (await facts.locator('dt', { hasText: /^Transcript key$/ }).locator('xpath=following-sibling::dd[1]').textContent())?.trim() ?? '';
  expect(transcriptKey).toMatch(/^[^+\s]+\+[0-9a-f]{8}\+/);

  // A mistyped key (its key id does not match) is refused with the reason, not silently ignored.
  const mistyped = transcriptKey.replace(/\+[0-9a-f]{8}\+/, '+00000000+');
  await page.getByLabel('Trusted keys (optional)').fill(mistyped);
  await page.getByRole('button', { name: 'Verify', exact: true }).click();
  await expect(page.getByRole('alert')).toContainText('INPUT_TRUSTED_KEY_INVALID');

  await page.getByLabel('Trusted keys (optional)').fill(transcriptKey);
  await page.getByRole('button', { name: 'Verify', exact: true }).click();
  await expect(page.locator('.verdict')).toContainText('Transcript verified');
  await expect(facts).toContainText('Transcript key, given by you');
});
