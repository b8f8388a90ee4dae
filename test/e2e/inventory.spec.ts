import path from 'node:path';
import { test, expect, screenshot, goTo } from './harness';
import { runRootCeremony, tamperCopy } from './ceremony-fixture';
import { seriousViolations } from './axe';

test('inventory lists the ceremony key with its state, class, rotation date and custodians; a forged transcript is left out', async ({ page, keyrite }) => {
  const dir = await runRootCeremony(path.join(keyrite.dataDir, 'ceremonies', 'root-2026'));
  tamperCopy(dir, path.join(keyrite.dataDir, 'ceremonies', 'root-2026-copy'));
  await keyrite.open();

  const summary = page.getByRole('list', { name: 'Keys by state' });
  await expect(summary).toContainText('Active');

  await goTo(page, 'Inventory');
  const table = page.getByRole('table', { name: 'Keys and their states' });
  const row = table.getByRole('row').filter({ hasText: 'example-root-2026' });
  await expect(row).toHaveCount(1);
  await expect(row).toContainText('Active');
  await expect(row).toContainText('root');
  await expect(row).toContainText('ec-p384');
  await expect(row).toContainText('Carol, Dan, Erin, Frank, Grace');
  await expect(row).toContainText('3 of 5 shares to recover');
  await expect(row).toContainText(/\d{4}-\d{2}-\d{2}/);
  await expect(row).toContainText('Rehearsal');
  const left = page.getByRole('region', { name: 'Transcripts left out' });
  await expect(left).toContainText('root-2026-copy');
  await expect(left).toContainText('Not verified');
  await row.getByText('State history').click();
  const history = row.getByRole('list', { name: 'State history of example-root-2026' });
  await expect(history).toContainText('Active');
  await expect(history).toContainText('root-2026');
  expect(await seriousViolations(page)).toEqual([]);
  await screenshot(page, 'inventory-with-key');
});
