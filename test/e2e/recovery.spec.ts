/**
 * Recovery through the UI: a real 2-of-3 backup of a key made on the SoftHSM2 token (shares core,
 * no mocks), then each share typed word by word. One wrong word is named on that word; unknown
 * words are flagged as typed; a repeated share is refused; two good shares rebuild the key.
 */
import { randomBytes } from 'node:crypto';
import type { Page } from '@playwright/test';
import { createBackup, encodeShareWords, serializeBackupFile } from '../../electron/core/shares/index';
import { expectNoSeriousAxe } from './ceremony-driver';
import { expect, goTo, screenshot as save, test, TOKEN_LABEL, USER_PIN, type KeyriteFixture } from './harness';

/** Every recovery screen saved as an artifact is also axe-checked. */
async function screenshot(page: Page, name: string): Promise<void> {
  await save(page, name);
  await expectNoSeriousAxe(page, name);
}

interface MadeBackup {
  backupJson: string;
  words: string[][];
}

async function makeBackup(keyrite: KeyriteFixture, ceremonyId = 'e2e-recovery'): Promise<MadeBackup> {
  const t = keyrite.tokens;
  const session = await t.openSession({ label: TOKEN_LABEL }, { pin: USER_PIN });
  try {
    const key = await t.generateKeyPair(session, { algorithm: 'ec-p256', label: `${ceremonyId}-root`, id: randomBytes(8).toString('hex'), extractableForBackup: true });
    const { backup, shares } = await createBackup(t, session, {
      ceremonyId, rootKey: key, algorithm: 'ec-p256', spki: key.spki, k: 2, custodians: ['Carol', 'Dan', 'Erin'],
    });
    return { backupJson: serializeBackupFile(backup), words: shares.map((s) => encodeShareWords(s)) };
  } finally {
    await t.closeSession(session);
  }
}

/** Types a share as a custodian would: the first four letters of each word. */
async function typeShare(page: Page, words: readonly string[]): Promise<void> {
  for (const [i, w] of words.entries()) {
    await page.getByLabel(`Word ${i + 1}`, { exact: true }).fill(w.slice(0, 4));
  }
}

test('recovery names the one wrong word, then two good shares rebuild the wrapping key', async ({ page, keyrite }) => {
  const made = await makeBackup(keyrite);
  const [carol, dan] = made.words as [string[], string[]];
  await keyrite.open();
  await goTo(page, 'Recovery');
  await expect(page.getByRole('heading', { level: 1, name: 'Recover from shares' })).toBeVisible();
  await screenshot(page, 'recovery-start');

  await page.getByLabel('Backup file').setInputFiles({ name: 'backup.json', mimeType: 'application/json', buffer: Buffer.from(made.backupJson) });
  await expect(page.getByTestId('recovery-progress')).toHaveText('0 of 2 shares accepted');
  await expect(page.getByText('Ceremony e2e-recovery · key e2e-recovery-root')).toBeVisible();

  // An unknown word is flagged as it is typed, before anything is submitted.
  const word3 = page.getByLabel('Word 3', { exact: true });
  await word3.fill('qqqz');
  await expect(page.getByTestId('word-3')).toContainText('Not a share word');
  await expect(word3).toHaveAttribute('aria-invalid', 'true');
  // A unique 4-letter prefix completes to the full word.
  await word3.fill(carol[2]!.slice(0, 4));
  await expect(page.getByTestId('word-3')).toContainText(`= ${carol[2]}`);

  // One wrong (but real) word: the checksum names it, and the error sits on that word.
  const wrong = [...carol];
  wrong[6] = carol[6] === 'zoo' ? 'abandon' : 'zoo';
  await typeShare(page, wrong);
  await screenshot(page, 'recovery-words-typed');
  await page.getByRole('button', { name: 'Add this share' }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'Word 7 is wrong' })).toBeVisible();
  await expect(page.getByLabel('Word 7', { exact: true })).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByTestId('word-7')).toContainText('Wrong word: check the sheet');
  await expect(page.getByTestId('word-6')).not.toContainText('Wrong word');
  await expect(page.getByTestId('recovery-progress')).toHaveText('0 of 2 shares accepted');
  await screenshot(page, 'recovery-wrong-word');

  // Corrected: accepted, and the form clears for the next custodian.
  await page.getByLabel('Word 7', { exact: true }).fill(carol[6]!.slice(0, 4));
  await page.getByRole('button', { name: 'Add this share' }).click();
  await expect(page.getByTestId('recovery-progress')).toHaveText('1 of 2 shares accepted');
  await expect(page.getByRole('list', { name: 'Shares accepted' })).toContainText('Share 1 from Carol');
  await expect(page.getByLabel('Word 1', { exact: true })).toHaveValue('');

  // The same share again is refused as a duplicate.
  await typeShare(page, carol);
  await page.getByRole('button', { name: 'Add this share' }).click();
  await expect(page.getByRole('alert')).toContainText("Carol's share (#1) was already entered.");
  await expect(page.getByTestId('recovery-progress')).toHaveText('1 of 2 shares accepted');
  await screenshot(page, 'recovery-duplicate');

  for (let i = 1; i <= carol.length; i++) await page.getByLabel(`Word ${i}`, { exact: true }).fill('');
  await typeShare(page, dan);
  await page.getByRole('button', { name: 'Add this share' }).click();
  await expect(page.getByRole('heading', { name: 'The wrapping key is rebuilt and matches its commitment' })).toBeVisible();
  await expect(page.getByTestId('recovery-progress')).toHaveText('2 of 2 shares accepted');
  await expect(page.getByText('Carol (#1), Dan (#2)')).toBeVisible();
  await screenshot(page, 'recovery-complete');
});

test('recovery refuses a share from another backup with the reason', async ({ page, keyrite }) => {
  const first = await makeBackup(keyrite);
  const other = await makeBackup(keyrite, 'e2e-other');
  await keyrite.open();
  await goTo(page, 'Recovery');
  await page.getByLabel('Backup file').setInputFiles({ name: 'backup.json', mimeType: 'application/json', buffer: Buffer.from(first.backupJson) });
  await typeShare(page, other.words[0]!);
  await page.getByRole('button', { name: 'Add this share' }).click();
  await expect(page.getByRole('alert')).toContainText('Share refused');
  await expect(page.getByRole('alert')).toContainText(/split|another ceremony|commitment/);
  await expect(page.getByTestId('recovery-progress')).toHaveText('0 of 2 shares accepted');
  await screenshot(page, 'recovery-other-backup');
});
