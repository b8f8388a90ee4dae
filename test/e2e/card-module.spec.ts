/**
 * A custodian's card behind another PKCS#11 library than the ceremony token's (KEYRITE_CARD_MODULES
 * in the app): here a second SoftHSM2 store, loaded from a copy of the library under another name
 * with its own SOFTHSM2_CONF, in its own token host. Home lists the tokens of both modules, each
 * with its module; in Recovery, Dan picks his card (shown with its module) and opens his share there.
 */
import { randomBytes } from 'node:crypto';
import { encryptShareToTokenKey } from '../../electron/core/shares/index';
import { moduleName } from '../../electron/core/token/card-modules';
import { CARD_LIB, makeCardModule } from './card-module-helpers';
import { expectNoSeriousAxe, openWithRunner } from './ceremony-driver';
import { expect, screenshot, test, TOKEN_LABEL } from './harness';
import { makeBackup, startTokenShare } from './recovery-helpers';

const CARD_LABEL = 'dan-yubikey';
const CARD_PIN = '135790';

test('a custodian\'s card behind a card module is listed with its module and opens the share there', async ({ page, keyrite }) => {
  test.setTimeout(120_000);
  const cm = await makeCardModule(keyrite.root, keyrite.token.modulePath, [{ label: CARD_LABEL, pin: CARD_PIN }]);
  const [card] = cm.cards;
  const cardClient = cm.client;
  try {
    // Nothing of Dan's card is reachable through the ceremony token's module.
    expect((await keyrite.tokens.listSlots()).map((s) => s.token?.label)).not.toContain(CARD_LABEL);
    const made = await makeBackup(keyrite);
    const s = await cardClient.openSession({ serial: card!.serial }, { pin: CARD_PIN });
    const key = await cardClient.generateKeyPair(s, { algorithm: 'rsa-3072', label: 'dan-share-key', id: randomBytes(8).toString('hex'), extractableForBackup: false, usage: 'decrypt' });
    await cardClient.closeSession(s);
    const tokenShareFile = encryptShareToTokenKey(made.shares[1]!, key.spki, { keyId: key.id, keyLabel: key.label });

    // As main builds it with KEYRITE_CARD_MODULES: the token list spans both modules, and the
    // handlers look for a custodian's token on the card module when the token module lacks it.
    await openWithRunner(keyrite, {}, [cm]);
    const primaryName = moduleName(keyrite.token.modulePath);

    const tokens = page.getByRole('list', { name: 'Tokens' });
    await expect(tokens.getByText(CARD_LABEL, { exact: true })).toBeVisible();
    await expect(tokens.locator('.device').filter({ hasText: CARD_LABEL })).toContainText(`via ${CARD_LIB}`);
    await expect(tokens.locator('.device').filter({ hasText: TOKEN_LABEL })).toContainText(`via ${primaryName}`);
    await screenshot(page, 'home-card-module');
    await expectNoSeriousAxe(page, 'home-card-module');

    const tokenSelect = await startTokenShare(page, made, tokenShareFile);
    await expect(tokenSelect.locator('option', { hasText: `${CARD_LABEL} (serial ${card!.serial}) · ${CARD_LIB}` })).toHaveCount(1);
    await tokenSelect.selectOption(card!.serial);
    await page.getByRole('textbox', { name: 'PIN of my token' }).fill(CARD_PIN);
    await screenshot(page, 'recovery-card-module');
    await page.getByRole('button', { name: 'Open and add this share' }).click();
    await expect(page.getByRole('heading', { name: 'The wrapping key is rebuilt and matches its commitment' })).toBeVisible();
    await expect(page.getByText('Carol (#1), Dan (#2)')).toBeVisible();
    await expect(page.locator('body')).not.toContainText(CARD_PIN);
  } finally {
    await cardClient.close();
  }
});
