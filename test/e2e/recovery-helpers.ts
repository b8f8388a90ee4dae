/** A real 2-of-3 backup on the test's SoftHSM2 token, and typing a share as a custodian would (recovery specs). */
import { randomBytes } from 'node:crypto';
import type { Locator, Page } from '@playwright/test';
import { createBackup, encodeShareWords, serializeBackupFile, type ShareEnvelope } from '../../electron/core/shares/index';
import { expect, goTo, TOKEN_LABEL, USER_PIN, type KeyriteFixture } from './harness';

export interface MadeBackup {
  backupJson: string;
  words: string[][];
  shares: ShareEnvelope[];
}

export async function makeBackup(keyrite: KeyriteFixture, ceremonyId = 'e2e-recovery'): Promise<MadeBackup> {
  const t = keyrite.tokens;
  const session = await t.openSession({ label: TOKEN_LABEL }, { pin: USER_PIN });
  try {
    const key = await t.generateKeyPair(session, { algorithm: 'ec-p256', label: `${ceremonyId}-root`, id: randomBytes(8).toString('hex'), extractableForBackup: true });
    const { backup, shares } = await createBackup(t, session, {
      ceremonyId, rootKey: key, algorithm: 'ec-p256', spki: key.spki, k: 2, custodians: ['Carol', 'Dan', 'Erin'],
    });
    return { backupJson: serializeBackupFile(backup), words: shares.map((s) => encodeShareWords(s)), shares };
  } finally {
    await t.closeSession(session);
  }
}

/** Types a share as a custodian would: the first four letters of each word. */
export async function typeShare(page: Page, words: readonly string[]): Promise<void> {
  for (const [i, w] of words.entries()) {
    await page.getByLabel(`Word ${i + 1}`, { exact: true }).fill(w.slice(0, 4));
  }
}

/**
 * On the Recovery screen: loads the backup, has Carol type share 1, then Dan chooses "Share on my
 * token" with his share file. Returns the token picker.
 */
export async function startTokenShare(page: Page, made: MadeBackup, tokenShareFile: string): Promise<Locator> {
  await goTo(page, 'Recovery');
  await page.getByLabel('Backup file').setInputFiles({ name: 'backup.json', mimeType: 'application/json', buffer: Buffer.from(made.backupJson) });
  await typeShare(page, made.words[0]!);
  await page.getByRole('button', { name: 'Add this share' }).click();
  await expect(page.getByTestId('recovery-progress')).toHaveText('1 of 2 shares accepted');
  await page.getByRole('radio', { name: 'Share on my token' }).check();
  await page.getByLabel('Share file for my token (.json)').setInputFiles({ name: 'dan.share.json', mimeType: 'application/json', buffer: Buffer.from(tokenShareFile) });
  return page.getByRole('combobox', { name: 'My token' });
}
