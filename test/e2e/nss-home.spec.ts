/**
 * Home with an NSS softokn rehearsal token (the second software implementation): the token is
 * listed (beside NSS's own "NSS Generic Crypto Services" token), and Home names it as NSS softokn,
 * not SoftHSM2, in its row and in the rehearsal banner.
 */
import path from 'node:path';
import { createTokenClient } from '../../electron/core/token/client';
import { createNssRehearsalToken } from '../../electron/core/token/rehearsal-nss';
import { expect, screenshot, test } from './harness';

test('home names an NSS softokn rehearsal token as NSS softokn', async ({ page, keyrite }) => {
  const nss = await createNssRehearsalToken({ dir: path.join(keyrite.root, 'nss'), label: 'nss-e2e', pin: '482913' });
  const client = createTokenClient({ modulePath: nss.modulePath, env: nss.env });
  try {
    await keyrite.open({ tokens: client });
    const row = page.getByRole('list', { name: 'Tokens' }).getByRole('listitem').filter({ hasText: 'nss-e2e' });
    await expect(row).toContainText('Mozilla Foundation NSS 3');
    await expect(row).toContainText('Rehearsal token (NSS softokn): never holds a production key');
    await expect(page.locator('.rehearsal-banner')).toContainText('The tokens “NSS Generic Crypto Services”, “nss-e2e” are software tokens (NSS softokn) made for practice.');
    await expect(page.locator('body')).not.toContainText('SoftHSM2');
    await screenshot(page, 'home-nss-token');
  } finally {
    await client.close();
  }
});
