import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { test, expect, screenshot, goTo } from './harness';
import { runRootCeremony, tamperCopy } from './ceremony-fixture';
import { seriousViolations } from './axe';

test('audit of a tampered transcript shows the error at the changed entry, and the intact one verifies', async ({ page, keyrite }) => {
  const intact = await runRootCeremony(path.join(keyrite.dataDir, 'ceremonies', 'root-2026'));
  const forged = tamperCopy(intact, path.join(keyrite.root, 'forged', 'root-2026'));
  await keyrite.open();

  await goTo(page, 'Audit');
  await page.getByLabel('Transcript folder').fill(forged.dir);
  await page.getByRole('button', { name: 'Verify', exact: true }).click();

  const verdict = page.locator('.verdict');
  await expect(verdict).toContainText('Transcript failed verification');
  await expect(verdict).toContainText(`Entry ${forged.seq} was changed`);

  const timeline = page.getByRole('list', { name: 'Transcript entries' });
  const failed = timeline.locator('li[data-status="failed"]');
  await expect(failed).toHaveCount(1);
  await expect(failed).toHaveAttribute('data-seq', String(forged.seq));
  await expect(failed).toContainText('ENTRY_CHAIN');
  await expect(failed).toContainText('Failed');
  // The auditor lands on the failure: it has focus and is on screen.
  await expect(failed).toBeFocused();
  await expect(failed).toBeInViewport();
  await expect(timeline.locator(`li[data-seq="${forged.seq - 1}"]`)).toHaveAttribute('data-status', 'ok');
  await expect(timeline.locator(`li[data-seq="${forged.seq + 1}"]`)).toHaveAttribute('data-status', 'unchecked');
  await expect(page.getByRole('list', { name: 'Integrity checks' })).toContainText('Hash chain of entries');
  expect(await seriousViolations(page)).toEqual([]);
  await screenshot(page, 'audit-tampered');

  await page.getByLabel('Transcript folder').fill(intact);
  await page.getByRole('button', { name: 'Verify', exact: true }).click();
  await expect(verdict).toContainText('Transcript verified');
  await expect(timeline.locator('li[data-status="failed"]')).toHaveCount(0);
  const facts = page.getByRole('region', { name: 'Key facts' });
  await expect(facts).toContainText('example-root-2026');
  await expect(facts).toContainText('Fingerprint words');
  await expect(page.getByRole('list', { name: 'Policy compliance' })).toContainText('Backup shares (3 of 5)');
  await expect(page.getByRole('region', { name: 'Checkpoints and signatures' })).toContainText('checkpoints/');
  expect(await seriousViolations(page)).toEqual([]);
  await screenshot(page, 'audit-verified');

  await page.getByRole('button', { name: 'Save report.html' }).click();
  const saved = page.locator('.banner-success', { hasText: 'Report saved' });
  await expect(saved).toBeVisible();
  const file = (await saved.locator('.mono').textContent())?.trim() ?? '';
  expect(file.startsWith(path.join(keyrite.dataDir, 'audit-reports'))).toBe(true);
  expect(existsSync(file)).toBe(true);
  const html = readFileSync(file, 'utf8');
  expect(html).toContain('VALID: the transcript is intact');
  expect(html).not.toContain('<script');

  // The print view: no navigation or form, the report alone.
  await page.emulateMedia({ media: 'print' });
  await expect(page.getByRole('navigation', { name: 'Screens' })).toBeHidden();
  await expect(page.getByLabel('Transcript folder')).toBeHidden();
  await expect(saved).toBeHidden();
  await expect(page.locator('.verdict')).toBeVisible();
  await screenshot(page, 'audit-print');
});

test('home lists the ceremonies on this laptop and opens one in the audit screen', async ({ page, keyrite }) => {
  await runRootCeremony(path.join(keyrite.dataDir, 'ceremonies', 'root-2026'));
  await keyrite.open();
  const recent = page.getByRole('list', { name: 'Recent ceremonies' });
  await expect(recent).toContainText('Example Root CA key generation');
  await expect(recent).toContainText('Completed');
  await expect(recent).toContainText('Rehearsal');
  await expect(page.getByRole('list', { name: 'Tokens' })).toBeVisible();
  await expect(page.getByRole('list', { name: 'Keys by state' })).toContainText('Active');
  expect(await seriousViolations(page)).toEqual([]);
  await screenshot(page, 'home-with-ceremony');
  await recent.getByRole('button', { name: /Verify the transcript of/ }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Verify a transcript' })).toBeVisible();
  await expect(page.locator('.verdict')).toContainText('Transcript verified');
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
