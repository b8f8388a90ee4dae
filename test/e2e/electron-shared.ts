/**
 * Spec bodies shared by the 'chromium' project (harness: real handler table bound into Debian's
 * Chromium) and the 'electron' project (electron-fixture: the built app through _electron.launch).
 * A body sees only SharedApp: what both fixtures can honestly provide.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { expect, type Page } from '@playwright/test';
import type { RehearsalToken } from '../../electron/core/token/rehearsal';
import { seriousViolations } from './axe';
import { runRootCeremony, tamperCopy } from './ceremony-fixture';
import { goTo, screenshot, TOKEN_LABEL, type KeyriteFixture } from './harness';

export interface SharedApp {
  /** This test's own folder; ceremonies and transcripts go in dataDir. */
  root: string;
  dataDir: string;
  token: RehearsalToken;
  /** The app's window; usable once open() resolved. */
  readonly page: Page;
  /** Starts the app on this test's data folder and token; resolves once the shell is on screen. */
  open(): Promise<void>;
  /** Screenshot file name for this project (the two projects must not overwrite each other's). */
  shotName(name: string): string;
}

/** The harness fixture seen as a SharedApp. */
export function harnessApp(page: Page, keyrite: KeyriteFixture): SharedApp {
  return {
    root: keyrite.root,
    dataDir: keyrite.dataDir,
    token: keyrite.token,
    page,
    open: () => keyrite.open(),
    shotName: (name) => name,
  };
}

export async function homeShowsTokenAndBanner(app: SharedApp): Promise<void> {
  await app.open();
  const page = app.page;
  const banner = page.locator('.rehearsal-banner');
  await expect(banner).toBeVisible();
  await expect(banner).toContainText('Rehearsal mode');
  await expect(banner).toContainText(TOKEN_LABEL);
  const tokens = page.getByRole('list', { name: 'Tokens' });
  await expect(tokens.getByText(TOKEN_LABEL, { exact: true })).toBeVisible();
  await expect(tokens).toContainText('Rehearsal token (SoftHSM2)');
  await expect(tokens).toContainText(app.token.serial);
  await expect(tokens.getByText('Ready')).toBeVisible();
  await screenshot(page, app.shotName('home'));
}

export async function homeOpensRecentInAudit(app: SharedApp): Promise<void> {
  await runRootCeremony(path.join(app.dataDir, 'ceremonies', 'root-2026'));
  await app.open();
  const page = app.page;
  const recent = page.getByRole('list', { name: 'Recent ceremonies' });
  await expect(recent).toContainText('Example Root CA key generation');
  await expect(recent).toContainText('Completed');
  await expect(recent).toContainText('Rehearsal');
  await expect(page.getByRole('list', { name: 'Tokens' })).toBeVisible();
  await expect(page.getByRole('list', { name: 'Keys by state' })).toContainText('Active');
  expect(await seriousViolations(page)).toEqual([]);
  await screenshot(page, app.shotName('home-with-ceremony'));
  await recent.getByRole('button', { name: /Verify the transcript of/ }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Verify a transcript' })).toBeVisible();
  await expect(page.locator('.verdict')).toContainText('Transcript verified');
}

/** Returns the intact transcript folder, for project-specific follow-ups (printing). */
export async function auditTamperedThenIntact(app: SharedApp): Promise<string> {
  const intact = await runRootCeremony(path.join(app.dataDir, 'ceremonies', 'root-2026'));
  const forged = tamperCopy(intact, path.join(app.root, 'forged', 'root-2026'));
  await app.open();
  const page = app.page;

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
  // The facts of a failed transcript are marked as what it says, not what is proven.
  await expect(page.getByRole('region', { name: 'Key facts (not trusted)' }).getByTestId('facts-untrusted')).toContainText('Not trusted');
  expect(await seriousViolations(page)).toEqual([]);
  await screenshot(page, app.shotName('audit-tampered'));

  await page.getByLabel('Transcript folder').fill(intact);
  await page.getByRole('button', { name: 'Verify', exact: true }).click();
  await expect(verdict).toContainText('Transcript verified');
  await expect(timeline.locator('li[data-status="failed"]')).toHaveCount(0);
  // A step whose entries are all intact is one line; its entries open on request, not 60 "Intact" rows.
  const folded = timeline.locator('details.timeline-group__more');
  expect(await folded.count()).toBeGreaterThan(3);
  await expect(folded.first().locator('li[data-seq]').first()).toBeHidden();
  await folded.first().locator('summary').click();
  await expect(folded.first().locator('li[data-seq]').first()).toBeVisible();
  const facts = page.getByRole('region', { name: 'Key facts' });
  await expect(facts).toContainText('example-root-2026');
  await expect(facts).toContainText('Fingerprint words');
  await expect(facts.getByTestId('facts-untrusted')).toHaveCount(0);
  // Hex in groups of four, as read aloud; no command-line flags on the screen.
  await expect(facts.locator('dt', { hasText: /^Fingerprint \(SHA-256\)$/ }).locator('xpath=following-sibling::dd[1]')).toHaveText(/^([0-9a-f]{4} ){15}[0-9a-f]{4}$/);
  await expect(page.locator('main')).not.toContainText('--trusted-key');
  await expect(page.getByRole('list', { name: 'Policy compliance' })).toContainText('Backup shares (3 of 5)');
  await expect(page.getByRole('region', { name: 'Checkpoints and signatures' })).toContainText('checkpoints/');
  expect(await seriousViolations(page)).toEqual([]);
  await screenshot(page, app.shotName('audit-verified'));

  await page.getByRole('button', { name: 'Save report.html' }).click();
  const saved = page.locator('.banner-success', { hasText: 'Report saved' });
  await expect(saved).toBeVisible();
  const file = (await saved.locator('.mono').textContent())?.trim() ?? '';
  expect(file.startsWith(path.join(app.dataDir, 'audit-reports'))).toBe(true);
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
  await screenshot(page, app.shotName('audit-print'));
  await page.emulateMedia({ media: 'screen' });
  return intact;
}
