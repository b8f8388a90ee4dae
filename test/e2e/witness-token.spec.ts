/**
 * A root-keygen through the UI where Wendy cosigns the final checkpoint with an EC P-256 key on her
 * own token (a second SoftHSM2 token in the rehearsal token's folder; the script records its note
 * verifier key, type keyrite.spki/v1, so only the token way is offered), first choosing a token
 * without her key, then a wrong PIN (tries shown), then right; Walter cosigns with his key file as
 * before. Then the transcript verifies with both cosignatures, and no PIN is in the journal.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from '@playwright/test';
import { witnessKeyName } from '../../electron/core/ceremony/witness-keys';
import { createRehearsalToken } from '../../electron/core/token/rehearsal';
import { generateNoteKey } from '../../electron/core/transcript/note-keys';
import { tokenNoteSigner } from '../../electron/core/transcript/note-token';
import { verifyTranscript } from '../../electron/core/transcript/verify';
import { Driver, loadScript, openWithRunner, ROOT_POLICY, rootScript, runRootCeremony, shotsWithLargeText, tabTo } from './ceremony-driver';
import type { CustodianPlan } from './ceremony-handoff';
import { expect, goTo, test } from './harness';
import { TOKEN_LABEL } from './harness';

const WENDY = 'Wendy Witness';
const WALTER = 'Walter Witness';
const CARD_LABEL = 'wendy-card';
const CARD_PIN = 'wendy-pin-2468';
const WRONG_PIN = 'wrong-pin-1357';
const SPARE_LABEL = 'spare-card';
const SPARE_PIN = 'spare-pin-8642';

test('Wendy cosigns on her own token (a token without her key, a wrong PIN, then right), Walter by key file; the transcript verifies', async ({ page, keyrite }) => {
  test.setTimeout(300_000);
  // Wendy's card and a spare card with no key on it, in the same token folder, made before the
  // run opens them.
  const dir = path.join(keyrite.root, 'softhsm');
  const card = await createRehearsalToken({ dir, label: CARD_LABEL, pin: CARD_PIN, soPin: '97531864' });
  const spare = await createRehearsalToken({ dir, label: SPARE_LABEL, pin: SPARE_PIN, soPin: '97531864' });
  const t = keyrite.tokens;
  const s = await t.openSession({ serial: card.serial }, { pin: CARD_PIN });
  let wendyKey: string;
  try {
    // As `keyrite ceremony witness-key` makes it: sign-only, never extractable, labelled for her.
    const label = `keyrite-${witnessKeyName(WENDY).replace('/', '-')}`;
    const key = await t.generateKeyPair(s, { algorithm: 'ec-p256', label, id: randomBytes(8).toString('hex'), extractableForBackup: false, usage: 'sign' });
    wendyKey = (await tokenNoteSigner(t, s, { id: key.id, label: key.label }, 'ec-p256', witnessKeyName(WENDY))).verifierKey;
  } finally {
    await t.closeSession(s);
  }
  expect(wendyKey.startsWith(`${witnessKeyName(WENDY)}+`)).toBe(true);
  const walter = generateNoteKey(witnessKeyName(WALTER));
  const walterFile = path.join(keyrite.root, 'Walter-Witness.key');
  writeFileSync(walterFile, `${walter.signerKey}\n`, { mode: 0o600 });
  keyrite.witnessKeyFiles = { [WALTER]: walterFile };

  const custodians: CustodianPlan[] = [
    { name: 'Carol', delivery: 'paper' },
    { name: 'Dan', delivery: 'paper' },
    { name: 'Frank', delivery: 'paper' },
  ];
  const script = rootScript(TOKEN_LABEL, 'e2e-witness-token', { custodians, witnessKeys: { [WENDY]: wendyKey, [WALTER]: walter.verifierKey } });

  await openWithRunner(keyrite);
  await goTo(page, 'Ceremony');
  const d = new Driver(page, 'mouse');
  await loadScript(d, script, ROOT_POLICY, 'witness-token.yaml');

  const cosign = async (shot: (name: string) => Promise<void>) => {
    const list = page.getByRole('list', { name: 'Witness cosignatures' });
    const row = (name: string) => list.getByRole('listitem').filter({ hasText: name });
    await expect(row(WENDY)).toContainText('Cosigning now');
    await expect(row(WALTER)).toContainText('Waiting');
    // An ECDSA key can only be on a token: no key-file button, and the screen says why.
    await expect(page.getByTestId('cosign-ways')).toContainText('only ever kept on a token');
    await expect(page.getByRole('button', { name: /key file and cosign/ })).toHaveCount(0);
    const form = page.getByRole('form', { name: 'Cosign with my token' });
    const select = form.getByRole('combobox', { name: `${WENDY}'s token` });
    const pin = form.getByRole('textbox', { name: `PIN of ${WENDY}'s token` });
    const go = form.getByRole('button', { name: 'Cosign on my token' });
    await expect(select.locator('option', { hasText: `${CARD_LABEL} (serial ${card.serial})` })).toHaveCount(1);
    await expect(go).toBeDisabled();
    await shot('witness-token');

    // The spare card holds no key of hers: said under the token choice, nothing cosigned.
    await select.selectOption(spare.serial);
    await pin.fill(SPARE_PIN);
    await go.click();
    await expect(form.getByTestId('cosign-token-line')).toHaveText(`${SPARE_LABEL} does not hold ${WENDY}'s key: choose your own token.`, { timeout: 30_000 });
    await expect(page.locator('.cer-alert[data-code="WITNESS_KEY_NOT_ON_TOKEN"]')).toContainText(WENDY);
    // The choice is what to change: focus is there, and the PIN typed for the spare card is gone.
    await expect(select).toBeFocused();
    await expect(pin).toHaveValue('');
    await expect(row(WENDY)).toContainText('Cosigning now');
    await shot('witness-token-not-on-token');

    // Her card, a wrong PIN: refused on the field with the tries left, cleared and focused.
    await select.selectOption(card.serial);
    await pin.fill(WRONG_PIN);
    await go.click();
    await expect(page.locator('.cer-alert[data-code="PIN_INCORRECT"]')).toBeVisible({ timeout: 30_000 });
    await expect(form.getByText('Wrong PIN.')).toBeVisible();
    await expect(form.locator('.field-tries')).toBeVisible();
    await expect(pin).toHaveValue('');
    await expect(pin).toBeFocused();
    await expect(page.locator('body')).not.toContainText(WRONG_PIN);
    await expect(row(WENDY)).toContainText('Cosigning now');
    await shot('witness-token-wrong-pin');

    // The right PIN, reached with Tab (the large-text check above moved focus), typed and sent
    // with Enter, as a keyboard user does.
    await tabTo(page, pin);
    await page.keyboard.type(CARD_PIN);
    await page.keyboard.press('Enter');
    await expect(row(WENDY)).toContainText('Cosigned', { timeout: 30_000 });
    await expect(row(WALTER)).toContainText('Cosigning now');
    // Walter's key is Ed25519: both ways, his key file among them; the form starts empty for him.
    await expect(page.getByTestId('cosign-ways')).toContainText('or with your signer key file');
    await expect(form.getByRole('textbox', { name: `PIN of ${WALTER}'s token` })).toHaveValue('');
    await shot('witness-token-second');
    const file = page.getByRole('button', { name: `Choose ${WALTER}'s key file and cosign` });
    await tabTo(page, file);
    await page.keyboard.press('Enter');
  };
  const shot = shotsWithLargeText(new Set(['witness-token', 'witness-token-wrong-pin']));
  // Only the cosign screens are saved: the rest of the run has its screenshots in ceremony.spec.ts.
  const onlyCosign = async (p: Page, name: string) => { if (name.includes('witness-token')) await shot(p, name.replace(/^e2e-/, '')); };
  const { outDir } = await runRootCeremony(d, { screens: 'e2e', shot: onlyCosign, custodians, cosign });
  expect(keyrite.witnessPicks).toEqual([WALTER]);

  const report = await verifyTranscript(outDir);
  expect(report.failure).toBeUndefined();
  expect(report.valid).toBe(true);
  expect(report.sealed).toBe(true);
  expect(report.witnesses.map((w) => [w.name, w.checkpointsCosigned > 0])).toEqual([[WENDY, true], [WALTER, true]]);
  const journal = readFileSync(path.join(outDir, 'transcript.jsonl'), 'utf8');
  for (const secret of [CARD_PIN, WRONG_PIN, SPARE_PIN]) expect(journal).not.toContain(secret);
});
