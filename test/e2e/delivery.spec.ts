/**
 * A root-keygen through the UI with one custodian per delivery — Carol on paper, Erin by file
 * (passphrase), Grace on her own token (a card behind a second PKCS#11 module, holding an EC key
 * the script records; her share is opened there by ECDH) — and two witnesses who cosign the final checkpoint with their key files, chosen through
 * the app's dialog (the harness answers it). Then the transcript verifies with both cosignatures,
 * and Erin's file opens with her passphrase to the share the transcript says she holds.
 */
import { isP256TagAgeFile } from '../../electron/core/shares/age-p256tag';
import { createHash, createPublicKey, randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { ShareFileSink } from '../../electron/core/ceremony/run-types';
import { witnessKeyName } from '../../electron/core/ceremony/witness-keys';
import { decryptAgeShare, shareFingerprint } from '../../electron/core/shares/index';
import { generateNoteKey } from '../../electron/core/transcript/note-keys';
import { KeyriteError } from '../../electron/core/util/errors';
import { verifyTranscript } from '../../electron/core/transcript/verify';
import { Driver, loadScript, openWithRunner, ROOT_POLICY, rootScript, runRootCeremony, shotsWithLargeText } from './ceremony-driver';
import type { CustodianPlan } from './ceremony-handoff';
import { makeCardModule } from './card-module-helpers';
import { expect, goTo, test, TOKEN_LABEL } from './harness';

const CARD_LABEL = 'grace-card';
const CARD_PIN = '135790';
const ERIN_PASSPHRASE = 'the heron waits by the cold river';

/** The recipient block of Grace's list item: her card's public key inline, as the design asks. */
function recipientYaml(pem: string): string {
  const body = pem.trim().split('\n').map((l) => `          ${l}`).join('\n');
  return `      recipient:\n        publicKey: |\n${body}\n        keyLabel: grace-share\n        token: { label: ${CARD_LABEL} }`;
}

test('paper, file and token custodians and two cosigning witnesses, through the UI; the transcript verifies', async ({ page, keyrite }) => {
  // The longest spec: three deliveries, two cosigning witnesses, every result acknowledged in the room;
  // on a shared 2-core machine under load it has taken over 5 minutes.
  test.setTimeout(480_000);
  // Grace's card: behind another PKCS#11 library than the ceremony token's (a card module, as
  // KEYRITE_CARD_MODULES gives the app), holding an EC P-256 key that may only agree secrets: her
  // share is opened by ECDH on the card. Nothing of her card is reachable through the HSM's module.
  const cm = await makeCardModule(keyrite.root, keyrite.token.modulePath, [{ label: CARD_LABEL, pin: CARD_PIN }]);
  const card = cm.cards[0]!;
  const s = await cm.client.openSession({ serial: card.serial }, { pin: CARD_PIN });
  let spki: Uint8Array;
  try {
    spki = (await cm.client.generateKeyPair(s, { algorithm: 'ec-p256', label: 'grace-share', id: randomBytes(8).toString('hex'), extractableForBackup: false, usage: 'decrypt' })).spki;
  } finally {
    await cm.client.closeSession(s);
  }
  const pem = createPublicKey({ key: Buffer.from(spki), format: 'der', type: 'spki' }).export({ format: 'pem', type: 'spki' }).toString();
  const fingerprintHex = createHash('sha256').update(spki).digest('hex');

  // Throwaway witness keys: the script records the verifier keys, the signer keys stay in files.
  const witnesses = ['Wendy Witness', 'Walter Witness'];
  const keyFile: Record<string, string> = {};
  const verifierKeys: Record<string, string> = {};
  for (const w of witnesses) {
    const { signerKey, verifierKey } = generateNoteKey(witnessKeyName(w));
    keyFile[w] = path.join(keyrite.root, `${w.replace(' ', '-')}.key`);
    writeFileSync(keyFile[w], `${signerKey}\n`, { mode: 0o600 });
    verifierKeys[w] = verifierKey;
  }

  // The app's save dialog, answered as a custodian would: onto their own media (a folder here).
  // Erin's save is held open until the spec has seen the screen while main works.
  const media = path.join(keyrite.root, 'custodian-media');
  let release = () => {};
  let saveCalled = () => {};
  const saving = { called: new Promise<void>((r) => { saveCalled = r; }), release: () => release() };
  const gate = new Promise<void>((r) => { release = r; });
  // Grace cancels the save dialog once (as main's dialog reports it); the hand-off waits for her.
  let graceCancelled = false;
  const shareFileSink: ShareFileSink = async ({ custodian, suggestedName, content }) => {
    if (custodian === 'Grace' && !graceCancelled) {
      graceCancelled = true;
      throw new KeyriteError('SHARE_SAVE_CANCELLED', `${custodian}'s share file was not saved: the save dialog was cancelled.`, {
        action: `Save the share file again when ${custodian}'s media is ready; the hand-off waits for them.`,
      });
    }
    if (custodian === 'Erin') {
      saveCalled();
      await gate;
    }
    mkdirSync(media, { recursive: true });
    const file = path.join(media, suggestedName);
    writeFileSync(file, content, { mode: 0o600 });
    return file;
  };

  const custodians: CustodianPlan[] = [
    { name: 'Carol', delivery: 'paper' },
    { name: 'Erin', delivery: 'file', passphrase: ERIN_PASSPHRASE, wrongFirst: 'the heron waits by the warm river', saving, forgetsFirst: 'a first choice erin forgot at once' },
    { name: 'Grace', delivery: 'token', pin: CARD_PIN, tokenSerial: card.serial, fingerprintHex, wrongPinFirst: '000000', cancelSaveFirst: true },
  ];
  const script = rootScript(TOKEN_LABEL, 'e2e-delivery', { custodians, recipients: { Grace: recipientYaml(pem) }, witnessKeys: verifierKeys });

  await openWithRunner(keyrite, { shareFileSink }, [cm]);
  await goTo(page, 'Ceremony');
  const d = new Driver(page, 'mouse');
  await loadScript(d, script, ROOT_POLICY, 'delivery.yaml');

  const cosign = async (shot: (name: string) => Promise<void>) => {
    const list = page.getByRole('list', { name: 'Witness cosignatures' });
    await expect(list).toBeVisible();
    await expect(list.getByRole('listitem').filter({ hasText: 'Wendy Witness' })).toContainText('Cosigning now');
    await expect(list.getByRole('listitem').filter({ hasText: 'Walter Witness' })).toContainText('Waiting');
    await expect(page.getByTestId('cosign-key-name')).toHaveText(witnessKeyName('Wendy Witness'));
    await shot('cosign');
    const wendy = page.getByRole('button', { name: "Choose Wendy Witness's key file and cosign" });

    // The dialog cancelled: said so, and Wendy is asked again.
    await wendy.click();
    await expect(page.getByRole('alert').filter({ hasText: 'WITNESS_KEY_NOT_CHOSEN' })).toBeVisible();
    // Walter's key chosen for Wendy: refused by name, nothing cosigned.
    keyrite.witnessKeyFiles = { 'Wendy Witness': keyFile['Walter Witness']! };
    await wendy.click();
    await expect(page.getByRole('alert').filter({ hasText: 'WITNESS_KEY_MISMATCH' })).toContainText('Wendy Witness');
    await expect(list.getByRole('listitem').filter({ hasText: 'Wendy Witness' })).toContainText('Cosigning now');
    await shot('cosign-wrong-key');

    keyrite.witnessKeyFiles = { ...keyFile };
    await wendy.click();
    await expect(list.getByRole('listitem').filter({ hasText: 'Wendy Witness' })).toContainText('Cosigned');
    await expect(list.getByRole('listitem').filter({ hasText: 'Walter Witness' })).toContainText('Cosigning now');
    await shot('cosign-second');
    await page.getByRole('button', { name: "Choose Walter Witness's key file and cosign" }).click();
  };
  // A few of the new screens are saved (and axe-checked) in large-text mode too.
  const shot = shotsWithLargeText(new Set(['delivery-file-passphrase', 'delivery-token-fingerprint', 'delivery-token-verify', 'delivery-cosign']));
  const { outDir } = await runRootCeremony(d, { screens: 'delivery', shot, custodians, cosign });
  expect(keyrite.witnessPicks).toEqual(['Wendy Witness', 'Wendy Witness', 'Wendy Witness', 'Walter Witness']);

  const report = await verifyTranscript(outDir);
  expect(report.failure).toBeUndefined();
  expect(report.valid).toBe(true);
  expect(report.sealed).toBe(true);
  expect(report.witnesses.map((w) => [w.name, w.checkpointsCosigned > 0])).toEqual(witnesses.map((w) => [w, true]));
  const split = report.shares[0]!;
  expect(split.verified.filter((v) => v.ok).map((v) => v.custodian).sort()).toEqual(['Carol', 'Erin', 'Grace']);

  // Erin's file, as she carries it away: it opens with her passphrase to the share the transcript records.
  const lines = readFileSync(path.join(outDir, 'transcript.jsonl'), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as { kind: string; data: Record<string, unknown> });
  const delivered = lines.filter((e) => e.kind === 'share.delivered');
  // Erin's file was written twice (she chose a new passphrase at the check); she keeps the last one.
  expect(delivered.map((e) => [e.data.custodian, e.data.medium])).toEqual([['Erin', 'file'], ['Erin', 'file'], ['Grace', 'token']]);
  const erin = delivered[1]!.data;
  const text = readFileSync(path.join(media, String(erin.fileName)), 'utf8');
  expect(createHash('sha256').update(text).digest('hex')).toBe(erin.sha256);
  const envelope = await decryptAgeShare(text, ERIN_PASSPHRASE);
  expect(shareFingerprint(envelope)).toBe(erin.fingerprint);
  // Nothing secret in the journal: not the passphrases, not the PINs.
  const journal = readFileSync(path.join(outDir, 'transcript.jsonl'), 'utf8');
  for (const secret of [ERIN_PASSPHRASE, CARD_PIN, 'the heron waits by the warm river', 'a first choice erin forgot at once']) expect(journal).not.toContain(secret);
  // Grace's key is EC P-256: her file is a standard age file with a p256tag recipient.
  const grace = delivered[2]!.data;
  expect(String(grace.fileName)).toMatch(/\.keyrite-share\.age$/);
  expect(isP256TagAgeFile(readFileSync(path.join(media, String(grace.fileName)), 'utf8'))).toBe(true);
  await cm.client.close();
});
