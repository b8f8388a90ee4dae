/**
 * The Audit screen shows the same per-file list as `keyrite verify`: in a copy of a rehearsal
 * folder whose public-key.pem holds another key, the verdict fails naming the file, and the Files
 * panel marks that file Changed with the entry that bound it; the untouched folder lists it Bound.
 */
import { execFileSync } from 'node:child_process';
import { cpSync } from 'node:fs';
import path from 'node:path';
import { test, expect, goTo } from './harness';
import { seriousViolations } from './axe';
import { runRootCeremony } from './ceremony-fixture';

test('a changed public-key.pem fails the verdict and is marked Changed in the Files panel', async ({ page, keyrite }) => {
  const intact = await runRootCeremony(path.join(keyrite.dataDir, 'ceremonies', 'root-2026'));
  const copy = path.join(keyrite.dataDir, 'copies', 'root-2026');
  cpSync(intact, copy, { recursive: true });
  const key = path.join(keyrite.dataDir, 'other.key');
  execFileSync('openssl', ['ecparam', '-name', 'secp384r1', '-genkey', '-noout', '-out', key], { stdio: 'ignore' });
  execFileSync('openssl', ['ec', '-in', key, '-pubout', '-out', path.join(copy, 'public-key.pem')], { stdio: 'ignore' });

  await keyrite.open();
  await goTo(page, 'Audit');
  await page.getByLabel('Transcript folder').fill(copy);
  await page.getByRole('button', { name: 'Verify', exact: true }).click();
  const verdict = page.locator('.verdict');
  await expect(verdict).toContainText('Transcript failed verification');
  await expect(verdict).toContainText('public-key.pem is not the file the ceremony wrote');
  const files = page.getByRole('table', { name: 'Files in the folder' });
  const row = files.getByRole('row').filter({ hasText: 'public-key.pem' });
  await expect(row).toContainText('Changed');
  await expect(row).toContainText(/entry \d+ \(file\.published\)/);
  await expect(files.getByRole('row').filter({ hasText: 'backup.json' })).toContainText('Bound');
  await expect(page.getByRole('list', { name: 'Integrity checks' })).toContainText('Files beside the transcript');
  expect(await seriousViolations(page)).toEqual([]);

  await page.getByLabel('Transcript folder').fill(intact);
  await page.getByRole('button', { name: 'Verify', exact: true }).click();
  await expect(verdict).toContainText('Transcript verified');
  await expect(files.getByRole('row').filter({ hasText: 'public-key.pem' })).toContainText('Bound');
  await expect(files.getByRole('row').filter({ hasText: 'report.html' })).toContainText('Matches the transcript');
  // The transcript says it was a rehearsal, and the screen says so above the verdict.
  await expect(page.locator('.audit-rehearsal')).toContainText('REHEARSAL: not a real ceremony');
});
