/**
 * A recovery ceremony through the wizard: the root key made by a UI ceremony on one SoftHSM2 token
 * is restored into a second token from two custodians' sheets, typed word by word; the runner
 * proves it is the same key, and the transcript verifies.
 */
import path from 'node:path';
import { createRehearsalToken } from '../../electron/core/token/rehearsal';
import { verifyTranscript } from '../../electron/core/transcript/verify';
import { Driver, expectNoSeriousAxe, loadScript, openWithRunner, passPreflight, ROOT_POLICY, rootScript, runRootCeremony } from './ceremony-driver';
import { expect, goTo, screenshot, SO_PIN, test, TOKEN_LABEL, USER_PIN } from './harness';

const TARGET = 'keyrite-e2e-new';

function recoveryScript(): string {
  return `version: 1
id: e2e-root-recovery
title: E2E Root CA key recovery into a new token
purpose: Restore the E2E Root CA key from its 2-of-3 backup into a replacement token.
type: recovery
participants:
  - { name: Alice Admin, role: administrator }
  - { name: Wendy Witness, role: witness }
  - { name: Walter Witness, role: witness }
  - { name: Carol, role: custodian }
  - { name: Dan, role: custodian }
  - { name: Erin, role: custodian }
token:
  module: softhsm
  label: ${TARGET}
targetToken:
  module: softhsm
  label: ${TARGET}
key:
  algorithm: ec-p256
  label: e2e-root-key
  class: root
steps:
  - { id: room, action: confirm, instruction: Confirm the replacement token is new and in view. }
  - { id: air-gap, action: air-gap-check, instruction: Check that no network interface is up. }
  - { id: login, action: login, instruction: The administrator logs in to the replacement token. }
  - { id: recover, action: recover, instruction: Two custodians enter their shares; the key is restored and proven., attest: [Wendy Witness] }
  - { id: seal, action: seal, instruction: Seal the transcript. }
`;
}

test('a recovery ceremony restores the key into a new token from two typed shares', async ({ page, keyrite }) => {
  test.setTimeout(300_000);
  // The replacement token, beside the first (same SoftHSM2 store), made before the token host starts.
  await createRehearsalToken({ dir: path.join(keyrite.root, 'softhsm'), label: TARGET, pin: USER_PIN, soPin: SO_PIN });
  await openWithRunner(keyrite);
  const d = new Driver(page, 'mouse');
  await goTo(page, 'Ceremony');
  await loadScript(d, rootScript(TOKEN_LABEL), ROOT_POLICY);
  const { outDir, sheets } = await runRootCeremony(d, { screens: null });

  await loadScript(d, recoveryScript(), ROOT_POLICY, 'recovery.yaml');
  const picker = page.getByLabel('Earlier ceremony that made the key');
  await expect(page.getByRole('button', { name: 'Start the ceremony' })).toBeDisabled();
  await picker.selectOption(outDir);
  await passPreflight(d);
  await screenshot(page, 'recovery-ceremony-load');
  await expectNoSeriousAxe(page, 'recovery-ceremony-load');
  await d.button('Start the ceremony');

  await d.button('Confirm: done as read aloud');
  await d.button('Start: Air-gap check');
  const override = page.getByRole('button', { name: 'Override the air-gap check' });
  const login = page.getByLabel(`PIN for token ${TARGET}`);
  await expect(override.or(page.getByRole('button', { name: /^Seen: continue/ }))).toBeVisible();
  if (await override.isVisible()) {
    await page.getByLabel('Why is it safe to go on?').fill('Rehearsal in a test container; no production key.');
    await override.click();
  }
  await d.acknowledge('Air-gap check');
  await login.fill(USER_PIN);
  await d.button('Log in to the token');
  await d.acknowledge('Log in to the token');
  await d.startIrreversible('Recover from shares');

  // Carol, then Dan, type their sheets by the first four letters.
  for (const [i, who] of (['Carol', 'Dan'] as const).entries()) {
    await expect(page.getByTestId('recovery-progress')).toHaveText(`${i} of 2 shares accepted`);
    // Whose shares are in is said by name (none before the first).
    if (i === 0) await expect(page.getByTestId('recovery-accepted')).toHaveCount(0);
    else await expect(page.getByTestId('recovery-accepted')).toHaveText(/^Carol's share \(#\d\) accepted$/);
    for (const [n, w] of sheets[who]!.entries()) await page.getByLabel(`Word ${n + 1}`, { exact: true }).fill(w.slice(0, 4));
    if (i === 0) {
      await screenshot(page, 'recovery-ceremony-share');
      await expectNoSeriousAxe(page, 'recovery-ceremony-share');
    }
    await d.button('Add this share');
  }
  await expect(page.getByRole('button', { name: 'I, Wendy Witness, attest this step' })).toBeVisible();
  await expect(page.getByRole('region', { name: 'Result' })).toContainText('a fresh challenge signed on the token verified with the recorded public key');
  await expect(page.getByRole('region', { name: 'Result' })).toContainText(/Carol \(#\d\), Dan \(#\d\)/);
  await screenshot(page, 'recovery-ceremony-restored');
  await d.button('I, Wendy Witness, attest this step');
  await d.startIrreversible('Seal the transcript');
  await expect(page.getByRole('heading', { name: 'The transcript is sealed' })).toBeVisible();

  const recoveredDir = (await page.getByTestId('out-dir').textContent()) ?? '';
  await d.button('Close the ceremony');
  const report = await verifyTranscript(recoveredDir);
  expect(report.valid).toBe(true);
  expect(report.steps.completed).toEqual(report.steps.expected);
  const s = await keyrite.tokens.openSession({ label: TARGET }, { pin: USER_PIN });
  expect(await keyrite.tokens.findKeys(s, { label: 'e2e-root-key', class: 'private' })).toHaveLength(1);
  await keyrite.tokens.closeSession(s);
});
