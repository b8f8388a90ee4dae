/**
 * `keyrite ceremony custodian-key`: a custodian's share key made on their own SoftHSM2 card before
 * the day. The printed entry goes into the script as is; a share encrypted to it opens on that card
 * with the custodian's PIN, and nowhere else.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { command as ceremonyCommand } from '../../../electron/cli/commands/ceremony';
import { parseScript } from '../../../electron/core/ceremony/load';
import { createBackup, encryptShareToTokenKey, openTokenShareOnToken } from '../../../electron/core/shares/index';
import { createTokenClient, type TokenClient } from '../../../electron/core/token/client';
import { createRehearsalToken, type RehearsalToken } from '../../../electron/core/token/rehearsal';
import { tempDir } from '../../helpers/softhsm';
import { captureIo, TEMPLATES } from './helpers';

const tmp = tempDir('keyrite-custodian-key-');
const PIN = '86427531';
let card: RehearsalToken;
let client: TokenClient;
let pinFile: string;

beforeAll(async () => {
  card = await createRehearsalToken({ dir: path.join(tmp.dir, 'cards'), label: 'grace-card', pin: PIN });
  await createRehearsalToken({ dir: path.join(tmp.dir, 'cards'), label: 'vault', pin: PIN });
  client = createTokenClient({ modulePath: card.modulePath, env: card.env });
  pinFile = path.join(tmp.dir, 'grace.pin');
  writeFileSync(pinFile, `${PIN}\n`, { mode: 0o600 });
}, 60_000);
afterAll(async () => {
  await client?.close();
  tmp.cleanup();
});

/** Runs the CLI with the cards' SOFTHSM2_CONF in the environment, as a rehearsal shell has it. */
async function cli(args: string[]): Promise<{ code: number; text: string }> {
  const saved = process.env.SOFTHSM2_CONF;
  process.env.SOFTHSM2_CONF = card.env.SOFTHSM2_CONF;
  const io = captureIo();
  try {
    return { code: await ceremonyCommand.run(args, io), text: io.text() };
  } finally {
    if (saved === undefined) delete process.env.SOFTHSM2_CONF; else process.env.SOFTHSM2_CONF = saved;
  }
}

/** The custodian entry the command printed (from "    - name:" to the end). */
function entryOf(text: string): string {
  return text.slice(text.indexOf('    - name:'));
}

describe('keyrite ceremony custodian-key', () => {
  it('makes a decrypt-only EC key on Grace\'s card and prints her script entry; a share encrypted to it opens only there', async () => {
    const made = await cli(['custodian-key', '--name', 'Grace', '--token', 'grace-card', '--pin-file', pinFile]);
    expect(made.code).toBe(0);
    expect(made.text).toContain('Made Grace\'s share key "keyrite-share-Grace" (decrypt-only, never leaves the token) on token grace-card.');
    expect(made.text).not.toContain(PIN);
    const fingerprint = /Fingerprint \(SHA-256 of the public key\): ([0-9a-f]{64})/.exec(made.text)?.[1];
    expect(fingerprint).toBeDefined();

    // The key on the card: EC, may not sign, decrypt or be read out.
    const s = await client.openSession({ label: 'grace-card' }, { pin: PIN });
    const [key] = await client.findKeys(s, { label: 'keyrite-share-Grace', class: 'private' });
    expect(key).toMatchObject({ keyType: 'CKK_EC' });
    expect(await client.readKeyProof(s, key!)).toMatchObject({ sign: false, decrypt: false, extractable: false, sensitive: true });
    await client.closeSession(s);

    // The entry goes into the script as printed.
    const template = readFileSync(path.join(TEMPLATES, 'root-keygen.yaml'), 'utf8');
    const script = parseScript(template.replace('    - { name: Grace, delivery: paper }\n', entryOf(made.text)), 'root.yaml').script;
    const grace = script.backup!.custodians.find((c) => c.name === 'Grace')!;
    expect(grace).toMatchObject({ delivery: 'token', recipient: { keyLabel: 'keyrite-share-Grace', token: { label: 'grace-card' } } });

    // A share encrypted to that public key opens on Grace's card, not on another token.
    const v = await client.openSession({ label: 'vault' }, { pin: PIN });
    const root = await client.generateKeyPair(v, { algorithm: 'ec-p256', label: 'root', id: randomBytes(4).toString('hex'), extractableForBackup: true });
    const { shares } = await createBackup(client, v, { ceremonyId: 'ck', rootKey: root, algorithm: 'ec-p256', spki: root.spki, k: 2, custodians: ['Carol', 'Grace'] });
    await client.closeSession(v);
    const spki = new Uint8Array(Buffer.from(grace.recipient!.publicKey.replace(/-----[A-Z ]+-----|\s/g, ''), 'base64'));
    const file = encryptShareToTokenKey(shares[1]!, spki, { keyLabel: 'keyrite-share-Grace' });
    expect(await openTokenShareOnToken(client, card.serial, PIN, file)).toEqual(shares[1]);
    const vaultSerial = (await client.listSlots()).find((x) => x.token?.label === 'vault')!.token!.serial;
    await expect(openTokenShareOnToken(client, vaultSerial, PIN, file)).rejects.toMatchObject({ code: 'KEY_NOT_FOUND' });

    // Run again: the same key is found and reused, with the same fingerprint.
    const again = await cli(['custodian-key', '--name', 'Grace', '--token', 'grace-card', '--pin-file', pinFile]);
    expect(again.text).toContain('Found (reused) Grace\'s share key "keyrite-share-Grace"');
    expect(again.text).toContain(fingerprint!);
  }, 60_000);

  it('makes an RSA key when asked, and refuses an unknown algorithm or a key of that label that cannot receive shares', async () => {
    const rsa = await cli(['custodian-key', '--name', 'Frank Custodian', '--token', 'grace-card', '--pin-file', pinFile, '--algorithm', 'rsa-3072']);
    expect(rsa.code).toBe(0);
    expect(rsa.text).toContain('"keyrite-share-Frank-Custodian"');
    const s = await client.openSession({ label: 'grace-card' }, { pin: PIN });
    const [key] = await client.findKeys(s, { label: 'keyrite-share-Frank-Custodian', class: 'private' });
    expect(await client.readKeyProof(s, key!)).toMatchObject({ sign: false, decrypt: true, extractable: false });
    // Someone's Ed25519 signing key under Olga's share-key label.
    await client.generateKeyPair(s, { algorithm: 'ed25519', label: 'keyrite-share-Olga', id: randomBytes(4).toString('hex'), extractableForBackup: false });
    await client.closeSession(s);

    await expect(cli(['custodian-key', '--name', 'Olga', '--token', 'grace-card', '--pin-file', pinFile])).rejects.toMatchObject({ code: 'CUSTODIAN_KEY_UNSUITABLE' });
    await expect(cli(['custodian-key', '--name', 'Olga', '--token', 'grace-card', '--algorithm', 'ed25519'])).rejects.toMatchObject({ code: 'USAGE' });
    await expect(cli(['custodian-key', '--name', 'Olga', '--token', 'no-such-card', '--pin-file', pinFile])).rejects.toMatchObject({ code: 'TOKEN_NOT_FOUND' });
  }, 60_000);
});
