/**
 * Pre-flight on the load screen: the room is checked before any transcript exists. A missing token
 * or a key label already on the token shows as a failed check, Start stays disabled and no run
 * folder is made; a clean token passes, and a non-air-gapped rehearsal starts only once the
 * override (which rehearsal mode allows, and says so) is recorded.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { AirGapProbe } from '../../electron/core/ceremony/run-types';
import { Driver, expectNoSeriousAxe, passPreflight, ROOT_POLICY, rootScript } from './ceremony-driver';
import { expect, goTo, screenshot, test, TOKEN_LABEL, USER_PIN, type KeyriteFixture } from './harness';

const REPO = path.resolve(import.meta.dirname, '../..');
const WIRED: AirGapProbe = async () => [{ kind: 'interface-up', name: 'eth0', detail: 'has address 192.0.2.10' }];
const SEALED: AirGapProbe = async () => [];

async function openWith(keyrite: KeyriteFixture, airGapProbe: AirGapProbe): Promise<void> {
  await keyrite.open({ ceremony: { tokens: keyrite.tokens, tokenEnv: keyrite.token.env, modulePath: keyrite.token.modulePath, rehearsal: true, airGapProbe } });
}

/** Run folders in the data folder: a ceremony that started has one. */
function runFolders(keyrite: KeyriteFixture): string[] {
  return readdirSync(keyrite.dataDir);
}

function check(page: import('@playwright/test').Page, id: string) {
  return page.locator(`.cer-preflight__item[data-check="${id}"]`);
}

test('recovery.yaml without its token: the token check fails, Start is disabled, no run folder is made', async ({ page, keyrite }) => {
  await openWith(keyrite, SEALED);
  await page.setViewportSize({ width: 1280, height: 800 });
  await goTo(page, 'Ceremony');
  const d = new Driver(page, 'mouse');
  await d.chooseFile('Ceremony script (YAML)', 'recovery.yaml', readFileSync(path.join(REPO, 'resources/ceremonies/recovery.yaml'), 'utf8'));
  await expect(page.getByRole('list', { name: 'Pre-flight checks' })).toBeVisible();
  await expect(check(page, 'token')).toContainText('Failed');
  await expect(check(page, 'token')).toContainText('No token with label "keyrite-recovery" is present');
  await expect(check(page, 'token')).toContainText('Connect the token the script names');
  // What needs the token is not claimed to pass.
  await expect(check(page, 'labels')).toContainText('Not checked yet');
  await expect(check(page, 'mechanisms')).toContainText('Not checked yet');
  await expect(check(page, 'air-gap')).toContainText('Passed');
  await expect(page.getByTestId('preflight-wait')).toHaveText('Start waits until every check passes.');
  await expect(page.getByRole('button', { name: 'Start the ceremony' })).toBeDisabled();
  await screenshot(page, 'preflight-no-token');
  await expectNoSeriousAxe(page, 'preflight-no-token');
  // Checking again finds the same; nothing was written.
  await d.button('Check again');
  await expect(check(page, 'token')).toContainText('Failed');
  expect(runFolders(keyrite)).toEqual([]);
  expect(keyrite.bridge!.calls).not.toContain('ceremony/load');
});

test('a key label already on the token fails its check and Start stays disabled; no run folder is made', async ({ page, keyrite }) => {
  // Someone used the token before: a key pair with the script's key label is on it.
  const session = await keyrite.tokens.openSession({ label: TOKEN_LABEL }, { pin: USER_PIN });
  await keyrite.tokens.generateKeyPair(session, { algorithm: 'ec-p256', label: 'e2e-taken-key', id: 'a1b2', extractableForBackup: false });
  await keyrite.tokens.closeSession(session);
  await openWith(keyrite, WIRED);
  await page.setViewportSize({ width: 1280, height: 800 });
  await goTo(page, 'Ceremony');
  const d = new Driver(page, 'mouse');
  await d.chooseFile('Ceremony script (YAML)', 'root.yaml', rootScript(TOKEN_LABEL, 'e2e-taken'));
  await d.chooseFile('Policy (optional; the default policy applies otherwise)', 'policy.yaml', ROOT_POLICY);
  await expect(page.getByRole('list', { name: 'Pre-flight checks' })).toBeVisible();
  await expect(check(page, 'token')).toContainText('Passed');
  await expect(check(page, 'labels')).toContainText('Failed');
  await expect(check(page, 'labels')).toContainText('The token already holds "e2e-taken-key"');
  // The air gap alone could be overridden in a rehearsal; a taken label cannot: no override is offered.
  await expect(check(page, 'air-gap')).toContainText('Rehearsal mode allows an override');
  await expect(page.getByRole('checkbox', { name: /^Start without the air gap/ })).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Start the ceremony' })).toBeDisabled();
  await screenshot(page, 'preflight-label-taken');
  expect(runFolders(keyrite)).toEqual([]);
  // The channel says the same to any caller.
  const r = await keyrite.table!['ceremony/preflight']({ fileName: 'root.yaml', text: rootScript(TOKEN_LABEL, 'e2e-taken'), policyText: ROOT_POLICY });
  expect(r.ok && { ready: r.value.ready, overridable: r.value.overridable, labels: r.value.checks.find((c) => c.id === 'labels')?.status }).toEqual({ ready: false, overridable: false, labels: 'fail' });
});

test('a clean token passes; a wired rehearsal starts only once the override rehearsal mode allows is recorded', async ({ page, keyrite }) => {
  await openWith(keyrite, WIRED);
  await page.setViewportSize({ width: 1280, height: 800 });
  await goTo(page, 'Ceremony');
  const d = new Driver(page, 'mouse');
  await d.chooseFile('Ceremony script (YAML)', 'root.yaml', rootScript(TOKEN_LABEL, 'e2e-clean'));
  await d.chooseFile('Policy (optional; the default policy applies otherwise)', 'policy.yaml', ROOT_POLICY);
  await expect(page.getByRole('list', { name: 'Pre-flight checks' })).toBeVisible();
  for (const id of ['token', 'labels', 'mechanisms', 'witnesses', 'custody']) await expect(check(page, id)).toContainText('Passed');
  await expect(check(page, 'labels')).toContainText('No key labelled "e2e-clean-key" or "keyrite-transcript-e2e-clean"');
  await expect(check(page, 'mechanisms')).toContainText('CKM_AES_KEY_WRAP_PAD');
  await expect(check(page, 'air-gap')).toContainText('Failed');
  await expect(check(page, 'air-gap')).toContainText('interface-up eth0: has address 192.0.2.10');
  const start = page.getByRole('button', { name: 'Start the ceremony' });
  await expect(start).toBeDisabled();
  await expect(page.getByTestId('preflight-wait')).toHaveText('Start waits until every check passes or the override is recorded.');
  await screenshot(page, 'preflight-air-gap-override');
  await expectNoSeriousAxe(page, 'preflight-air-gap-override');
  await expect(page.getByRole('checkbox', { name: /rehearsal mode allows it/ })).toBeVisible();
  await passPreflight(d);
  await expect(start).toBeEnabled();
  expect(runFolders(keyrite)).toEqual([]);
  // The summary the administrator compares with the signed paper script.
  const script = rootScript(TOKEN_LABEL, 'e2e-clean');
  const sha = (t: string) => createHash('sha256').update(t).digest('hex');
  const grouped = (hex: string) => hex.replace(/(.{4})(?=.)/g, '$1 ');
  await expect(page.getByTestId('script-sha256')).toHaveText(grouped(sha(script)));
  await expect(page.getByTestId('policy-sha256')).toHaveText(grouped(sha(ROOT_POLICY)));
  const facts = page.locator('.cer-summary .cer-facts');
  await expect(facts).toContainText('e2e-clean-key, ec-p256, class root');
  await expect(facts).toContainText(`label ${TOKEN_LABEL} (module softhsm)`);
  await expect(facts).toContainText('2-of-3');
  await expect(facts).toContainText('e2e-policy');
  await d.button('Start the ceremony');
  await expect(page.getByRole('heading', { level: 1, name: 'E2E Root CA key generation' })).toBeVisible();
  expect(runFolders(keyrite)).toHaveLength(1);
  // The hashes shown are the ones the transcript records.
  const first = JSON.parse(readFileSync(path.join(keyrite.dataDir, runFolders(keyrite)[0]!, 'transcript.jsonl'), 'utf8').split('\n')[0]!) as { data: { script: { sha256: string }; policy: { sha256: string } } };
  expect([first.data.script.sha256, first.data.policy.sha256]).toEqual([sha(script), sha(ROOT_POLICY)]);
  expect(await keyrite.table!['ceremony/close']()).toEqual({ ok: true, value: null });
});
