/**
 * The evidence screens (issue 19): the Inventory's due-dates timeline lists the CRL re-signing and
 * the root certificate's expiry of a sign-crl rehearsal (root-keygen first, into prior/) in the
 * order they fall due, each with its key and ceremony; the Audit screen shows the provenance code
 * digest ceremony.start recorded, and the attestation status, as panels.
 */
import path from 'node:path';
import { PassThrough } from 'node:stream';
import type { Page } from '@playwright/test';
import { runHeadless } from '../../electron/core/ceremony/headless';
import { readJournalEntries } from '../../electron/core/ceremony/prior-run';
import { REPO_ROOT } from './build-renderer';
import { test, expect, goTo, SCREENS_DIR } from './harness';
import { seriousViolations } from './axe';

const TEMPLATES = path.join(REPO_ROOT, 'resources/ceremonies');
const DAY = 86_400_000;

async function signCrlRehearsal(outDir: string): Promise<void> {
  const quiet = new PassThrough();
  quiet.resume();
  const { view } = await runHeadless({ scriptFile: path.join(TEMPLATES, 'sign-crl.yaml'), outDir, rehearsal: true, inputsFile: path.join(TEMPLATES, 'sign-crl.rehearsal.yaml'), io: { stdout: quiet, stderr: quiet, stdin: new PassThrough() } });
  if (view.need.kind !== 'done') throw new Error(`The sign-crl rehearsal stopped at ${view.need.kind}`);
}

/** A 1280x800 view of the screen, as a person at a laptop sees it. */
async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: path.join(SCREENS_DIR, `${name}.png`) });
}

test('the inventory timeline lists the CRL re-signing and the certificate expiry in date order; the audit screen shows provenance and attestation', async ({ page, keyrite }) => {
  test.setTimeout(300_000);
  const out = path.join(keyrite.dataDir, 'ceremonies', 'crl-2026');
  await signCrlRehearsal(out);
  const crl = readJournalEntries(path.join(out, 'transcript.jsonl')).find((e) => e.kind === 'crl.issued')!.data as { nextUpdate: string; crlNumber: number };
  const priorEntries = readJournalEntries(path.join(out, 'prior', 'transcript.jsonl'));
  const notAfter = (priorEntries.find((e) => e.kind === 'certificate.issued')!.data as { notAfter: string }).notAfter;
  const crlCeremony = readJournalEntries(path.join(out, 'transcript.jsonl'))[0]!.ceremony;
  const rootCeremony = priorEntries[0]!.ceremony;
  const code = (priorEntries[0]!.data as { provenance: { keyrite: { code: { sha256: string; words: string[] } } } }).provenance.keyrite.code;

  await page.setViewportSize({ width: 1280, height: 800 });
  await keyrite.open();
  await goTo(page, 'Inventory');
  const timeline = page.getByRole('list', { name: 'Due dates' });
  const items = timeline.getByTestId('due-item');
  const crlItem = items.filter({ hasText: 'CRL re-signing' });
  const certItem = items.filter({ hasText: 'Certificate expiry' });
  await expect(crlItem).toHaveCount(1);
  await expect(certItem).toHaveCount(1);
  // Re-signing falls due the default policy's 14 days before nextUpdate; both dates are shown.
  await expect(crlItem).toContainText(new Date(new Date(crl.nextUpdate).getTime() - 14 * DAY).toISOString().slice(0, 10));
  await expect(crlItem).toContainText(`deadline ${crl.nextUpdate.slice(0, 10)}`);
  await expect(crlItem).toContainText(`CRL number ${crl.crlNumber}`);
  await expect(crlItem).toContainText('example-root-2026');
  await expect(crlItem).toContainText(crlCeremony);
  await expect(certItem).toContainText(notAfter.slice(0, 10));
  await expect(certItem).toContainText(rootCeremony);
  // In the order they fall due: the CRL (months) before the root certificate (years).
  const kinds = await items.evaluateAll((els) => els.map((e) => e.getAttribute('data-kind')));
  expect(kinds.indexOf('crl-next-update')).toBeLessThan(kinds.indexOf('certificate-expiry'));
  const dates = await items.locator('.due-date p.strong').allTextContents();
  expect([...dates].sort()).toEqual(dates);
  expect(await seriousViolations(page)).toEqual([]);
  await page.getByRole('region', { name: 'Due dates' }).scrollIntoViewIfNeeded();
  await shot(page, 'inventory-due-dates');

  await goTo(page, 'Audit');
  await page.getByLabel('Transcript folder').fill(path.join(out, 'prior'));
  await page.getByRole('button', { name: 'Verify', exact: true }).click();
  await expect(page.locator('.verdict')).toContainText('Transcript verified');
  const provenance = page.getByRole('region', { name: 'Provenance' });
  // The digest is shown grouped in fours, as read aloud; its PGP words as recorded.
  await expect(provenance).toContainText(code.sha256.replace(/(.{4})(?=.)/g, '$1 '));
  await expect(provenance.getByTestId('code-words')).toHaveText(code.words.join(' '));
  await expect(provenance).toContainText('Module SHA-256');
  await expect(provenance).toContainText('Token serial');
  await expect(provenance).not.toContainText('--');
  const attestation = page.getByRole('region', { name: 'Key attestation' });
  // SoftHSM2 cannot attest its keys: said plainly, never left out.
  await expect(attestation.getByTestId('attestation')).toContainText('No attestation');
  await expect(attestation).not.toContainText('--');
  expect(await seriousViolations(page)).toEqual([]);
  await attestation.evaluate((el) => el.scrollIntoView({ block: 'start' }));
  await shot(page, 'audit-attestation');
  await provenance.evaluate((el) => el.scrollIntoView({ block: 'start' }));
  await shot(page, 'audit-provenance');
});
