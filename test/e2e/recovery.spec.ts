/**
 * Recovery through the UI: a real 2-of-3 backup of a key made on the SoftHSM2 token (shares core,
 * no mocks), then each share typed word by word. One wrong word is named on that word; unknown
 * words are flagged as typed; a repeated share is refused; two good shares rebuild the key.
 */
import { randomBytes } from 'node:crypto';
import type { Page } from '@playwright/test';
import path from 'node:path';
import { encryptShareToTokenKey } from '../../electron/core/shares/index';
import { makeBackup, startTokenShare, typeShare } from './recovery-helpers';
import { createRehearsalToken } from '../../electron/core/token/rehearsal';
import { expectNoSeriousAxe } from './ceremony-driver';
import { expect, goTo, screenshot as save, test } from './harness';

/** Every recovery screen saved as an artifact is also axe-checked. */
async function screenshot(page: Page, name: string): Promise<void> {
  await save(page, name);
  await expectNoSeriousAxe(page, name);
}

test('recovery names the one wrong word, then two good shares rebuild the wrapping key', async ({ page, keyrite }) => {
  const made = await makeBackup(keyrite);
  const [carol, dan] = made.words as [string[], string[]];
  await keyrite.open();
  await goTo(page, 'Recovery');
  await expect(page.getByRole('heading', { level: 1, name: 'Check shares against a backup' })).toBeVisible();
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

const CARD_LABEL = 'dan-card';
const CARD_PIN = '246810';

test('a custodian opens the share on their own token with its PIN: a wrong PIN is refused first, then the share counts', async ({ page, keyrite }) => {
  // Dan's card: a second SoftHSM2 token beside the ceremony token, made before the token host starts
  // so it sees both, holding an RSA key that may only decrypt.
  const card = await createRehearsalToken({ dir: path.join(keyrite.root, 'softhsm'), label: CARD_LABEL, pin: CARD_PIN, soPin: '87654321' });
  const made = await makeBackup(keyrite);
  const t = keyrite.tokens;
  const cardSession = await t.openSession({ serial: card.serial }, { pin: CARD_PIN });
  let tokenShareFile: string;
  try {
    const key = await t.generateKeyPair(cardSession, { algorithm: 'rsa-3072', label: 'dan-share-key', id: randomBytes(8).toString('hex'), extractableForBackup: false, usage: 'decrypt' });
    tokenShareFile = encryptShareToTokenKey(made.shares[1]!, key.spki, { keyId: key.id, keyLabel: key.label });
  } finally {
    await t.closeSession(cardSession);
  }

  await keyrite.open({ ceremony: { tokens: t, tokenEnv: keyrite.token.env, modulePath: keyrite.token.modulePath, rehearsal: true } });
  const tokenSelect = await startTokenShare(page, made, tokenShareFile);
  await expect(tokenSelect.locator('option', { hasText: `${CARD_LABEL} (serial ${card.serial})` })).toHaveCount(1);
  await tokenSelect.selectOption(card.serial);
  await page.getByRole('textbox', { name: 'PIN of my token' }).fill('999999');
  await screenshot(page, 'recovery-token-share');
  await page.getByRole('button', { name: 'Open and add this share' }).click();

  const alert = page.locator('.cer-alert[data-code="PIN_INCORRECT"]');
  await expect(alert).toContainText('Wrong PIN');
  await expect(alert).toContainText('Each wrong PIN uses up one of the token');
  await expect(page.getByRole('textbox', { name: 'PIN of my token' })).toHaveValue('');
  await expect(page.getByTestId('recovery-progress')).toHaveText('1 of 2 shares accepted');
  await expect(page.locator('body')).not.toContainText('999999');
  await screenshot(page, 'recovery-token-share-wrong-pin');

  await page.getByRole('textbox', { name: 'PIN of my token' }).fill(CARD_PIN);
  await page.getByRole('button', { name: 'Open and add this share' }).click();
  await expect(page.getByRole('heading', { name: 'The wrapping key is rebuilt and matches its commitment' })).toBeVisible();
  await expect(page.getByTestId('recovery-progress')).toHaveText('2 of 2 shares accepted');
  await expect(page.getByText('Carol (#1), Dan (#2)')).toBeVisible();
  await screenshot(page, 'recovery-token-share-complete');
});
