/**
 * Steps that cannot be undone (generate, back up and split, seal) look different and start only
 * after a confirmation that restates what happens (algorithm, key label, token and serial) and is
 * confirmed by typing the key label. Cancelling sends nothing: the transcript is byte for byte the same.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from '@playwright/test';
import type { CeremonyView } from '../../electron/contract/index';
import { Driver, expectNoSeriousAxe, openWithRunner, ROOT_POLICY, rootScript } from './ceremony-driver';
import { expect, goTo, screenshot, test, TOKEN_LABEL, type KeyriteFixture } from './harness';
import { atStart, continueUntil, driveUntil } from './table-driver';

const PAPER = [{ name: 'Carol', delivery: 'paper' as const }, { name: 'Dan', delivery: 'paper' as const }, { name: 'Erin', delivery: 'paper' as const }];
const ID = 'e2e-irrev';
const LABEL = `${ID}-key`;

function transcript(view: CeremonyView): string {
  return readFileSync(path.join(view.outDir, 'transcript.jsonl'), 'utf8');
}

async function view(keyrite: KeyriteFixture): Promise<CeremonyView> {
  const r = await keyrite.table!['ceremony/view']();
  if (!r.ok || !r.value) throw new Error('no run');
  return r.value;
}

/** Opens the confirmation, checks its recap, cancels it (nothing written), then confirms by typing the label. */
async function cancelThenConfirm(page: Page, d: Driver, keyrite: KeyriteFixture, title: string, recap: RegExp, shot: string): Promise<void> {
  await expect(page.locator('#cer-step-title')).toHaveText(title);
  await expect(page.getByTestId('irreversible-mark')).toBeVisible();
  const before = transcript(await view(keyrite));
  await d.button(`Start: ${title}`);
  const dialog = page.getByRole('dialog', { name: `Cannot be undone: ${title}` });
  await expect(dialog).toBeVisible();
  await expect(dialog.getByTestId('irreversible-what')).toHaveText(recap);
  await expect(dialog.locator('dt:text-is("Key label") + dd')).toHaveText(LABEL);
  await expect(dialog.locator('dt:text-is("Algorithm") + dd')).toHaveText('ec-p256');
  await expect(dialog.locator('dt:text-is("Token") + dd')).toHaveText(TOKEN_LABEL);
  await expect(dialog.locator('dt:text-is("Token serial") + dd')).toHaveText(keyrite.token.serial);
  const confirm = dialog.getByRole('button', { name: `Confirm: ${title}` });
  await expect(confirm).toBeDisabled();
  // A label typed almost right does not confirm.
  await dialog.getByLabel('Type the key label to confirm').fill(LABEL.slice(0, -1));
  await expect(confirm).toBeDisabled();
  await screenshot(page, shot);
  await expectNoSeriousAxe(page, shot);
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(dialog).toBeHidden();
  // Cancelled: nothing sent, nothing journaled, the same step still waits for its go.
  expect(transcript(await view(keyrite))).toBe(before);
  expect((await view(keyrite)).need.kind).toBe('confirm');
  await expect(page.getByRole('button', { name: `Start: ${title}` })).toBeVisible();
  // Escape cancels too, and the typed label is not kept.
  await d.button(`Start: ${title}`);
  await expect(dialog.getByLabel('Type the key label to confirm')).toHaveValue('');
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  expect(transcript(await view(keyrite))).toBe(before);
  // Confirmed by typing the label: the step runs.
  await d.startIrreversible(title);
  await expect.poll(async () => transcript(await view(keyrite)).length).toBeGreaterThan(before.length);
}

test('generate, back up and seal each ask for a typed confirmation that restates them; cancelling changes nothing', async ({ page, keyrite }) => {
  test.setTimeout(240_000);
  await openWithRunner(keyrite);
  await page.setViewportSize({ width: 1280, height: 800 });
  const script = rootScript(TOKEN_LABEL, ID, { custodians: PAPER });
  await driveUntil(keyrite.table!, script, ROOT_POLICY, atStart('generate-key'));
  await goTo(page, 'Ceremony');
  const d = new Driver(page, 'mouse');
  // A step that can be undone has neither the mark nor the confirmation.
  await expect(page.locator('#cer-step-title')).toHaveText('Generate the key');
  await cancelThenConfirm(page, d, keyrite, 'Generate the key', new RegExp(`^A new ec-p256 key pair labelled "${LABEL}" is generated on ${TOKEN_LABEL} \\(serial ${keyrite.token.serial}\\)`), 'irreversible-generate');

  await continueUntil(keyrite.table!, await view(keyrite), atStart('read-proof'));
  await expect(page.locator('#cer-step-title')).toHaveText('Prove how the key was made');
  await expect(page.getByTestId('irreversible-mark')).toHaveCount(0);

  await continueUntil(keyrite.table!, await view(keyrite), atStart('backup'));
  // The certificate step finished without witnesses: its result is acknowledged first.
  await d.acknowledge('Root certificate');
  await cancelThenConfirm(page, d, keyrite, 'Back up and hand out shares', new RegExp(`^The key "${LABEL}" \\(ec-p256, root key\\) is wrapped under a fresh AES key`), 'irreversible-backup');

  await continueUntil(keyrite.table!, await view(keyrite), atStart('seal'));
  await cancelThenConfirm(page, d, keyrite, 'Seal the transcript', /^The transcript is sealed: the final checkpoint is signed/, 'irreversible-seal');
  expect(await keyrite.table!['ceremony/close']()).toEqual({ ok: true, value: null });
});
