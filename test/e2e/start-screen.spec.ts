/**
 * The start screen (issue 14, finding 7): a gallery of the templates Keyrite ships, listed by main
 * through `templates/list`, and a drop zone. Choosing a template or dropping a script loads it as a
 * picked file would be: main checks it, the summary and the pre-flight follow. A malformed drop gets
 * the refusal a bad pick gets. Nothing is written before Start.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Locator, Page } from '@playwright/test';
import type { AirGapProbe } from '../../electron/core/ceremony/run-types';
import { Driver, expectNoSeriousAxe, ROOT_POLICY, rootScript } from './ceremony-driver';
import { expect, goTo, screenshot, test, TOKEN_LABEL, type KeyriteFixture } from './harness';

const TEMPLATES = path.resolve(import.meta.dirname, '../../resources/ceremonies');
const SEALED: AirGapProbe = async () => [];
const sha = (t: string) => createHash('sha256').update(t).digest('hex');
const grouped = (hex: string) => hex.replace(/(.{4})(?=.)/g, '$1 ');

async function openStart(page: Page, keyrite: KeyriteFixture): Promise<void> {
  await keyrite.open({ ceremony: { tokens: keyrite.tokens, tokenEnv: keyrite.token.env, modulePath: keyrite.token.modulePath, rehearsal: true, airGapProbe: SEALED } });
  await page.setViewportSize({ width: 1280, height: 800 });
  await goTo(page, 'Ceremony');
}

interface DropFile { name: string; text: string; type?: string }

/** Drops files on the drop zone as a file manager would: dragenter, dragover, drop, with a real DataTransfer. */
async function drop(page: Page, files: DropFile[], shotWhileOver?: string): Promise<void> {
  const zone = page.getByTestId('script-drop');
  const dataTransfer = await page.evaluateHandle((fs) => {
    const dt = new DataTransfer();
    for (const f of fs) dt.items.add(new File([f.text], f.name, { type: f.type ?? 'application/yaml' }));
    return dt;
  }, files);
  await zone.dispatchEvent('dragenter', { dataTransfer });
  await zone.dispatchEvent('dragover', { dataTransfer });
  if (shotWhileOver) {
    await expect(zone).toHaveClass(/cer-drop--over/);
    await expect(zone).toContainText('Drop to check the script');
    await screenshot(page, shotWhileOver);
  }
  await zone.dispatchEvent('drop', { dataTransfer });
}

function card(page: Page, fileName: string): Locator {
  return page.locator(`.cer-template[data-template="${fileName}"]`);
}

async function inViewport(page: Page, target: Locator): Promise<boolean> {
  const box = await target.boundingBox();
  const vp = page.viewportSize();
  return box !== null && vp !== null && box.y >= 0 && box.y + box.height <= vp.height;
}

test('the gallery lists every bundled template; choosing one shows its summary and pre-flight, as a picked file would', async ({ page, keyrite }) => {
  await openStart(page, keyrite);
  const names = readdirSync(TEMPLATES).filter((n) => n.endsWith('.yaml') && !n.endsWith('.rehearsal.yaml'));
  const gallery = page.getByRole('list', { name: 'Ceremony templates' });
  await expect(gallery.getByRole('listitem')).toHaveCount(names.length);
  // Each card: what it is, what it does, its key, its split, whether it needs an earlier run.
  const root = card(page, 'root-keygen.yaml');
  await expect(root.getByRole('heading', { level: 3 })).toHaveText('Example Root CA key generation');
  await expect(root).toContainText('Root key generation');
  await expect(root).toContainText('ec-p384');
  await expect(root).toContainText('3-of-5');
  await expect(root).toContainText('Not needed: makes its own key');
  const intermediate = card(page, 'sign-intermediate.yaml');
  await expect(intermediate).toContainText('Needed (rehearse root-keygen.yaml first)');
  await expect(intermediate).toContainText('sign-intermediate.csr.pem');
  await expect(intermediate).toContainText('Backupnone');
  await screenshot(page, 'start-gallery');
  await expectNoSeriousAxe(page, 'start-gallery');
  // In large text the cards reflow; nothing runs off the side.
  await page.getByRole('button', { name: 'Large text' }).click();
  await expect(page.locator('html')).toHaveAttribute('data-text-size', 'large');
  expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
  await screenshot(page, 'start-gallery-large-text');
  await page.getByRole('button', { name: 'Large text' }).click();

  await root.getByRole('button', { name: 'Use this template: Example Root CA key generation' }).click();
  const heading = page.getByRole('heading', { level: 2, name: /Script checked: Example Root CA key generation/ });
  await expect(heading).toBeVisible();
  // The summary comes to the administrator: focused and in view, though the card was further down.
  await expect(heading).toBeFocused();
  expect(await inViewport(page, heading)).toBe(true);
  await expect(root).toContainText('Chosen');
  await expect(page.getByText('Chosen: root-keygen.yaml')).toBeVisible();
  // What the administrator compares with the signed paper script (finding 7).
  const text = readFileSync(path.join(TEMPLATES, 'root-keygen.yaml'), 'utf8');
  await expect(page.getByTestId('script-sha256')).toHaveText(grouped(sha(text)));
  await expect(page.getByTestId('policy-sha256')).toHaveText(grouped(sha(readFileSync(path.join(TEMPLATES, '../policy/default.yaml'), 'utf8'))));
  const facts = page.locator('.cer-summary .cer-facts');
  await expect(facts).toContainText('ec-p384, class root');
  await expect(facts).toContainText('label keyrite-rehearsal (module softhsm)');
  await expect(facts).toContainText("3-of-5: any 3 of the 5 custodians' shares rebuild the key");
  await expect(facts).toContainText('keyrite-default');
  await expect(facts.locator('div', { hasText: 'Witnesses' })).toContainText(/^Witnesses\d+: /);
  // The pre-flight runs as for any script: this token is not the template's.
  const token = page.locator('.cer-preflight__item[data-check="token"]');
  await expect(token).toContainText('Failed');
  await expect(token).toContainText('keyrite-rehearsal');
  await expect(page.getByRole('button', { name: 'Start the ceremony' })).toBeDisabled();
  await screenshot(page, 'start-template-chosen');
  await page.screenshot({ path: path.resolve(import.meta.dirname, '../../test-results/screens/start-template-chosen-viewport.png') });
  await expectNoSeriousAxe(page, 'start-template-chosen');

  // A template on an earlier run's key asks for that run, as its picked file would.
  await intermediate.getByRole('button', { name: /^Use this template/ }).click();
  await expect(page.getByRole('heading', { level: 2, name: /Script checked: Example Issuing CA 1 certificate signing/ })).toBeFocused();
  await expect(page.getByLabel('Earlier ceremony that made the key')).toBeVisible();
  await expect(card(page, 'root-keygen.yaml')).not.toContainText('Chosen');
  const r = await keyrite.table!['ceremony/validate']({ fileName: 'sign-intermediate.yaml', text: readFileSync(path.join(TEMPLATES, 'sign-intermediate.yaml'), 'utf8') });
  expect(r.ok && r.value.needsPriorRun).toBe(true);
  expect(keyrite.bridge!.calls).toContain('templates/list');
  expect(keyrite.bridge!.calls).not.toContain('ceremony/load');
  expect(readdirSync(keyrite.dataDir)).toEqual([]);
});

test('a script and its policy dropped together load as if picked; a malformed or non-YAML drop gets the bad pick\'s refusal', async ({ page, keyrite }) => {
  await openStart(page, keyrite);
  const d = new Driver(page, 'mouse');
  const script = rootScript(TOKEN_LABEL, 'e2e-drop');

  // Good: the policy first, the script second; each is recognised for what it is.
  await drop(page, [{ name: 'policy.yaml', text: ROOT_POLICY }, { name: 'root.yaml', text: script }], 'start-drop-over');
  const heading = page.getByRole('heading', { level: 2, name: /Script checked: E2E Root CA key generation/ });
  await expect(heading).toBeFocused();
  await expect(page.getByText('Chosen: root.yaml')).toBeVisible();
  await expect(page.getByText('Chosen: policy.yaml')).toBeVisible();
  await expect(page.getByTestId('script-sha256')).toHaveText(grouped(sha(script)));
  await expect(page.getByTestId('policy-sha256')).toHaveText(grouped(sha(ROOT_POLICY)));
  await expect(page.locator('.cer-summary .cer-facts')).toContainText('e2e-policy');
  await expect(page.locator('.cer-preflight__item[data-check="token"]')).toContainText('Passed');
  await expect(page.getByTestId('script-drop')).not.toHaveClass(/cer-drop--over/);
  await screenshot(page, 'start-drop-good');

  // Malformed: the same typed refusal, with its located problem, as picking the same file.
  const broken = 'version: 1\nid: e2e-broken\nsteps: [\n';
  await drop(page, [{ name: 'broken.yaml', text: broken }]);
  const alert = page.locator('.cer-alert');
  await expect(alert).toHaveAttribute('data-code', 'YAML_INVALID');
  await expect(page.getByRole('heading', { name: /Script checked/ })).toHaveCount(0);
  await expect(page.getByRole('table')).toContainText('(syntax)');
  const dropped = await alert.innerText();
  await screenshot(page, 'start-drop-malformed');
  await d.chooseFile('Ceremony script (YAML)', 'broken.yaml', broken);
  await expect(alert).toHaveAttribute('data-code', 'YAML_INVALID');
  expect(await alert.innerText()).toBe(dropped);

  // Not YAML at all (a photo of the paper script): refused as a picked one is.
  await drop(page, [{ name: 'script-photo.png', text: '\u0089PNG\r\n\u001a\n IHDR', type: 'image/png' }]);
  await expect(alert).toHaveAttribute('data-code', 'SCRIPT_INVALID');
  await expect(alert).toContainText('The script has 1 problem');
  await expect(page.getByRole('table')).toContainText('expected object, received string');
  await expect(page.getByTestId('not-a-script')).toContainText('it is not a ceremony script');
  await screenshot(page, 'start-drop-not-yaml');

  // Three files: which one is the script is not guessed.
  await drop(page, [{ name: 'a.yaml', text: script }, { name: 'b.yaml', text: ROOT_POLICY }, { name: 'c.yaml', text: script }]);
  await expect(alert).toHaveAttribute('data-code', 'DROP_TOO_MANY');
  await expect(alert).toContainText('Drop the script alone, or the script and its policy together.');
  await expectNoSeriousAxe(page, 'start-drop-refused');
  expect(keyrite.bridge!.calls).not.toContain('ceremony/load');
  expect(readdirSync(keyrite.dataDir)).toEqual([]);
});
