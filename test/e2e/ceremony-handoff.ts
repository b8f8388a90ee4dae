/**
 * The custodians' turns at the backup step, driven through the UI as each delivery asks: paper
 * (hold to show, write, re-enter chosen words), file (passphrase twice, then again to open the
 * written file) or token (fingerprint compared, then their token and PIN). Used by the ceremony
 * driver for every root-keygen spec.
 */
import type { Page } from '@playwright/test';
import type { Driver } from './ceremony-driver';
import { expect } from './harness';

export type CustodianPlan =
  | { name: string; delivery: 'paper'; mistypeFirst?: boolean }
  /**
   * `wrongFirst`: a passphrase typed wrong at the file check, shown refused before the right one.
   * `saving`: the spec's share-file sink holds the save open (`called` once main is saving) until
   * `release`, so the screen can be seen while main works.
   * `forgetsFirst`: the passphrase first chosen, which the custodian cannot repeat at the check: they
   * choose `passphrase` instead there and the file is written again.
   */
  | { name: string; delivery: 'file'; passphrase: string; wrongFirst?: string; saving?: { called: Promise<void>; release: () => void }; forgetsFirst?: string }
  /**
   * `wrongPinFirst`: a wrong PIN at the token check, shown refused (with tries) before the right one.
   * `cancelSaveFirst`: the spec's sink reports the save dialog cancelled once.
   */
  | { name: string; delivery: 'token'; pin: string; tokenSerial: string; fingerprintHex: string; wrongPinFirst?: string; cancelSaveFirst?: boolean };

export const DEFAULT_CUSTODIANS: CustodianPlan[] = [
  { name: 'Carol', delivery: 'paper', mistypeFirst: true },
  { name: 'Dan', delivery: 'paper' },
  { name: 'Erin', delivery: 'file', passphrase: 'erin keeps the spare key in the blue tin' },
];

/** The YAML lines of backup.custodians for these plans (token recipients given by the spec). */
export function custodiansYaml(plans: CustodianPlan[], recipients: Record<string, string> = {}): string {
  return plans.map((p) => (p.delivery === 'token' ? `    - name: ${p.name}\n      delivery: token\n${recipients[p.name] ?? ''}` : `    - { name: ${p.name}, delivery: ${p.delivery} }`)).join('\n');
}

type Shot = (name: string) => Promise<void>;

/** Paper: the share shown only while held, written down, then chosen words re-entered. Returns the words. */
async function paperTurn(d: Driver, plan: CustodianPlan, first: boolean, shot: Shot): Promise<string[]> {
  const { page } = d;
  const custodian = plan.name;
  const display = page.getByTestId('share-display');
  await expect(display).toHaveCount(0);
  await expect(page.getByText(/^Hidden. Hold the button to show the words/)).toBeVisible();
  if (first) await shot('handoff-hidden');
  const words = await d.hold(async () => {
    await expect(display).toBeVisible();
    await expect(page.getByRole('img', { name: `QR code of ${custodian}'s share` })).toBeVisible();
    // The display opens at once; the words follow when main's reveal call answers.
    const shown = page.getByRole('list', { name: `${custodian}'s share words` }).locator('.cer-words__word');
    await expect(shown).toHaveCount(37);
    // Read before the screenshot: a full-page capture resizes the viewport, the pointer can leave
    // the held button, and leaving it hides the share (as it must for a custodian).
    const read = await shown.allTextContents();
    if (first) await shot('handoff-shown');
    return read;
  });
  expect(words).toHaveLength(37);
  // Released: the words are gone from the DOM.
  await expect(display).toHaveCount(0);
  expect(await page.content()).not.toContain(words.join(''));
  await d.button('I have written down my share');

  const form = page.getByRole('form', { name: `Check ${custodian}'s share` });
  await expect(form).toBeVisible();
  const labels = await form.locator('.word__label').allTextContents();
  const positions = labels.map((l) => Number(l.replace('Word ', '')));
  if (plan.delivery === 'paper' && plan.mistypeFirst) {
    // A slip on the sheet: the first chosen word is wrong. Refused on that word; the custodian retypes.
    const wrongWord = words[positions[0]! - 1] === 'zoo' ? 'abandon' : 'zoo';
    await d.type(form.getByLabel(`Word ${positions[0]}`, { exact: true }), wrongWord);
    for (const p of positions.slice(1)) await d.type(form.getByLabel(`Word ${p}`, { exact: true }), words[p - 1]!.slice(0, 4));
    await d.button('Check my share');
    await expect(page.getByRole('alert').filter({ hasText: 'SHARE_VERIFY_FAILED' })).toBeVisible();
    await expect(form).toBeVisible();
    await expect(form.getByLabel(`Word ${positions[0]}`, { exact: true })).toHaveAttribute('aria-invalid', 'true');
    await shot('handoff-verify-wrong');
  }
  for (const p of positions) await d.type(form.getByLabel(`Word ${p}`, { exact: true }), words[p - 1]!.slice(0, 4));
  if (first) await shot('handoff-verify');
  await d.button('Check my share');
  return words;
}

/** File: the words are never shown; a passphrase twice, then again to open the file Keyrite wrote. */
async function fileTurn(d: Driver, plan: Extract<CustodianPlan, { delivery: 'file' }>, shot: Shot): Promise<void> {
  const { page } = d;
  const form = page.getByRole('form', { name: `${plan.name}'s passphrase` });
  await expect(form).toBeVisible();
  await expect(page.getByTestId('share-display')).toHaveCount(0);
  await expect(page.getByRole('button', { name: /Print share sheet|Save share sheet as PDF/ })).toHaveCount(0);
  await expect(form.getByText('At least 12 characters.')).toBeVisible();
  const first = form.getByLabel('Passphrase', { exact: true });
  const again = form.getByLabel('The same passphrase again', { exact: true });
  await expect(first).toHaveAttribute('type', 'password');
  await expect(first).toHaveAttribute('autocomplete', 'off');
  await expect(first).toHaveAttribute('spellcheck', 'false');
  // Too short and different: said on each field, nothing sent.
  await d.type(first, 'too short');
  await d.type(again, 'too shorT');
  await d.button('Encrypt my share and save the file');
  await expect(form.getByText('Too short: 9 of at least 12 characters.')).toBeVisible();
  await expect(form.getByText('The two entries differ: type the same passphrase twice.')).toBeVisible();
  await expect(first).toBeFocused();
  await shot('file-passphrase-refused');
  const chosen = plan.forgetsFirst ?? plan.passphrase;
  await d.type(first, chosen);
  await d.type(again, chosen);
  await expect(form.getByText(/^Long enough\./)).toBeVisible();
  // Held, the passphrase shows as typed (to check it); released, dots again.
  await d.hold(async () => {
    await expect(first).toHaveAttribute('type', 'text');
    await expect(first).toHaveValue(chosen);
  }, form.getByRole('button', { name: /Hold to show what I typed|Showing/ }));
  await expect(first).toHaveAttribute('type', 'password');
  await shot('file-passphrase');
  await d.button('Encrypt my share and save the file');
  if (plan.saving) {
    await plan.saving.called;
    await expect(page.getByRole('status').filter({ hasText: `Encrypting ${plan.name}'s share` })).toBeVisible();
    await expect(page.getByRole('button', { name: 'Encrypt my share and save the file' })).toBeDisabled();
    await shot('file-encrypting');
    plan.saving.release();
  }

  const check = page.getByRole('form', { name: `Check ${plan.name}'s share file` });
  await expect(check).toBeVisible({ timeout: 30_000 });
  await expect(page.getByTestId('share-file-name')).toHaveText(/\.keyrite-share\.age$/);
  const field = check.getByLabel('Your passphrase', { exact: true });
  if (plan.wrongFirst) {
    await d.type(field, plan.wrongFirst);
    await d.button('Open my share file');
    await expect(page.getByRole('alert').filter({ hasText: 'SHARE_AGE_PASSPHRASE' })).toBeVisible({ timeout: 30_000 });
    await expect(check.getByText('This passphrase does not open your file. Type it again, or choose a new one below.')).toBeVisible();
    await expect(field).toHaveValue('');
    // Focus goes back to the field, so a keyboard user types again at once.
    await expect(field).toBeFocused();
    await shot('file-verify-wrong');
  }
  if (plan.forgetsFirst) {
    // They cannot repeat it: a new passphrase, the file encrypted and saved again, then the check.
    await d.button('I cannot repeat it: choose a new passphrase');
    await expect(page.getByText(`${plan.name}, choose a new passphrase`)).toBeVisible();
    const renew = page.getByRole('form', { name: `${plan.name}'s passphrase` });
    await d.type(renew.getByLabel('Passphrase', { exact: true }), plan.passphrase);
    await d.type(renew.getByLabel('The same passphrase again', { exact: true }), plan.passphrase);
    await shot('file-passphrase-again');
    await d.button('Encrypt my share and save the file');
    await expect(check).toBeVisible({ timeout: 30_000 });
    await expect(check.getByLabel('Your passphrase', { exact: true })).toHaveValue('');
  }
  await d.type(field, plan.passphrase);
  await shot('file-verify');
  await d.button('Open my share file');
}

/** Token: the recorded key's fingerprint read aloud; the file opened on their token with their PIN. */
async function tokenTurn(d: Driver, plan: Extract<CustodianPlan, { delivery: 'token' }>, shot: Shot): Promise<void> {
  const { page } = d;
  await expect(page.getByText(`${plan.name}, check the key on your token`)).toBeVisible();
  await expect(page.getByTestId('recipient-hex')).toHaveText(plan.fingerprintHex.match(/.{1,4}/g)!.join(' '));
  await expect(page.getByTestId('recipient-words')).not.toBeEmpty();
  await shot('token-fingerprint');
  await d.button('The fingerprint matches: encrypt my share to it');
  if (plan.cancelSaveFirst) {
    // The save dialog was closed without saving: said so, nothing delivered, the same screen again.
    await expect(page.getByRole('alert').filter({ hasText: 'SHARE_SAVE_CANCELLED' })).toBeVisible({ timeout: 30_000 });
    await expect(page.getByText(`${plan.name}, check the key on your token`)).toBeVisible();
    await shot('token-save-cancelled');
    await d.button('The fingerprint matches: encrypt my share to it');
  }

  const form = page.getByRole('form', { name: `Check ${plan.name}'s share on their token` });
  await expect(form).toBeVisible({ timeout: 30_000 });
  // RSA cards: Keyrite's RSA-OAEP JSON file; EC P-256 cards: an age file (p256tag recipient).
  await expect(page.getByTestId('share-file-name')).toHaveText(/\.keyrite-share\.(json|age)$/);
  const select = form.getByRole('combobox', { name: 'My token' });
  // The script names the token: only it is offered, already chosen.
  await expect(select).toHaveValue(plan.tokenSerial);
  await expect(select.locator('option')).toHaveCount(2);
  const pin = form.getByRole('textbox', { name: 'PIN of my token' });
  if (plan.wrongPinFirst) {
    await d.type(pin, plan.wrongPinFirst);
    await d.button('Open my share on my token');
    await expect(page.locator('.cer-alert[data-code="PIN_INCORRECT"]')).toBeVisible({ timeout: 30_000 });
    await expect(form.getByText('Wrong PIN.')).toBeVisible();
    await expect(form.locator('.field-tries')).toBeVisible();
    await expect(pin).toHaveValue('');
    await expect(pin).toBeFocused();
    await expect(page.locator('body')).not.toContainText(plan.wrongPinFirst);
    await shot('token-verify-wrong-pin');
  }
  await d.type(pin, plan.pin);
  await shot('token-verify');
  await d.button('Open my share on my token');
}

/** Every custodian's turn in order; returns what each paper custodian wrote on their sheet. */
export async function handOutShares(d: Driver, plans: CustodianPlan[], shotRaw: (name: string) => Promise<void>): Promise<Record<string, string[]>> {
  const page: Page = d.page;
  const sheets: Record<string, string[]> = {};
  const shotOnce = new Set<string>();
  // Each kind of screen is saved once, the first time it appears.
  const shot: Shot = async (name) => {
    if (shotOnce.has(name)) return;
    shotOnce.add(name);
    await shotRaw(name);
  };
  for (const [i, plan] of plans.entries()) {
    await expect(page.getByText(`Pass the laptop to ${plan.name}`)).toBeVisible({ timeout: 30_000 });
    await expect(page.getByTestId('handed-off')).toHaveText(i === 0 ? 'No share verified yet.' : `Verified so far: ${plans.slice(0, i).map((p) => p.name).join(', ')}`);
    await shot(`handoff-pass${plan.delivery === 'paper' ? '' : `-${plan.delivery}`}`);
    await d.button(`I am ${plan.name}: continue`);
    if (plan.delivery === 'paper') sheets[plan.name] = await paperTurn(d, plan, !shotOnce.has('handoff-hidden'), shot);
    else if (plan.delivery === 'file') await fileTurn(d, plan, shot);
    else await tokenTurn(d, plan, shot);
  }
  return sheets;
}
