/**
 * Passphrase age shares (scrypt recipient stanza) are standard age files: the age-encryption
 * library opens Keyrite's, Keyrite opens theirs, and a malformed scrypt stanza (the
 * checks the age spec requires) is refused with SHARE_AGE_FORMAT, a wrong passphrase with
 * SHARE_AGE_PASSPHRASE. Files made here use a low work factor (encryptShareToPassphrase takes one);
 * the product default (18, as age) is opened by Debian's age in age-debian-interop.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { armor, Decrypter, Encrypter, generateX25519Identity, identityToRecipient, Stanza, type Recipient } from 'age-encryption';
import { decryptAgeShare, encryptShareToPassphrase, isAgeArmored } from '../../../electron/core/shares/age-file';
import { DEFAULT_SCRYPT_LOG_N, NativeScryptIdentity, NativeScryptRecipient } from '../../../electron/core/shares/age-scrypt';
import { decodeEnvelope, encodeEnvelope, type ShareEnvelope } from '../../../electron/core/shares/envelope';
import { softBackup } from './fixtures';

const PASS = 'correct horse battery';
const envelope = softBackup({ k: 2, custodians: ['alice', 'bob'] }).then((b) => b.shares[1] as ShareEnvelope);

/** An age file to PASS whose stanzas are Keyrite's scrypt stanza (logN 10) changed by `edit`. */
async function crafted(edit: (s: Stanza[]) => Stanza[] | Promise<Stanza[]>, extra: (string | Recipient)[] = []): Promise<string> {
  const enc = new Encrypter();
  enc.addRecipient({ wrapFileKey: async (fk: Uint8Array) => edit(await new NativeScryptRecipient(PASS, 10).wrapFileKey(fk)) });
  for (const r of extra) enc.addRecipient(r);
  return armor.encode(await enc.encrypt(encodeEnvelope(await envelope)));
}
const stanzaWith = (s: Stanza[], args: string[], body?: Uint8Array) => [new Stanza(args, body ?? s[0]!.body)];

describe('interoperable with other age implementations', () => {
  it('the age-encryption library opens Keyrite\'s file, and Keyrite opens the library\'s (armored and binary)', async () => {
    const e = await envelope;
    const ours = await encryptShareToPassphrase(e, PASS, { scryptLogN: 10 });
    const d = new Decrypter();
    d.addPassphrase(PASS);
    expect(decodeEnvelope(await d.decrypt(armor.decode(ours)))).toEqual(e);
    const enc = new Encrypter();
    enc.setPassphrase(PASS);
    enc.setScryptWorkFactor(10);
    const theirs = await enc.encrypt(encodeEnvelope(e));
    expect(await decryptAgeShare(theirs, PASS)).toEqual(e);
    expect(await decryptAgeShare(armor.encode(theirs), PASS)).toEqual(e);
  });

  it('writes the standard stanza: scrypt, a 16-byte salt unpadded, the work factor; 18 by default', async () => {
    const e = await envelope;
    const header = (text: string) => Buffer.from(armor.decode(text)).toString('latin1').split('\n');
    const low = header(await encryptShareToPassphrase(e, PASS, { scryptLogN: 10 }));
    expect(low[0]).toBe('age-encryption.org/v1');
    expect(low[1]).toMatch(/^-> scrypt [A-Za-z0-9+/]{22} 10$/);
    expect(DEFAULT_SCRYPT_LOG_N).toBe(18);
  });

  it('opens a single-digit work factor, and armored text with space and blank lines around it', async () => {
    const e = await envelope;
    const text = await encryptShareToPassphrase(e, PASS, { scryptLogN: 8 });
    expect(Buffer.from(armor.decode(text)).toString('latin1').split('\n')[1]).toMatch(/ 8$/);
    expect(await decryptAgeShare(`\n  ${text.trim()}  \n\n`, PASS)).toEqual(e);
  });

  it('a passphrase shorter than 8 characters is refused; 8 are enough', async () => {
    const e = await envelope;
    await expect(encryptShareToPassphrase(e, '1234567', { scryptLogN: 10 })).rejects.toMatchObject({ code: 'SHARE_PARAMS_INVALID' });
    expect(await decryptAgeShare(await encryptShareToPassphrase(e, '12345678', { scryptLogN: 10 }), '12345678')).toEqual(e);
  });
});

describe('refusals', () => {
  it('a wrong passphrase is SHARE_AGE_PASSPHRASE', async () => {
    await expect(decryptAgeShare(await encryptShareToPassphrase(await envelope, PASS, { scryptLogN: 10 }), 'not the passphrase')).rejects.toMatchObject({ code: 'SHARE_AGE_PASSPHRASE' });
  });

  it('a scrypt stanza beside another recipient is refused (age: scrypt must be the only one)', async () => {
    const other = await identityToRecipient(await generateX25519Identity());
    await expect(decryptAgeShare(await crafted((s) => s, [other]), PASS)).rejects.toMatchObject({ code: 'SHARE_AGE_FORMAT' });
    const first = await crafted(async (s) => [new Stanza(['other-kind', 'x'], new Uint8Array(32)), ...s]);
    await expect(decryptAgeShare(first, PASS)).rejects.toMatchObject({ code: 'SHARE_AGE_FORMAT' });
  });

  it.each([
    ['an extra argument', (s: Stanza[]) => stanzaWith(s, [...s[0]!.args, 'x'])],
    ['a work factor with a leading zero', (s: Stanza[]) => stanzaWith(s, ['scrypt', s[0]!.args[1]!, '010'])],
    ['a work factor of 0', (s: Stanza[]) => stanzaWith(s, ['scrypt', s[0]!.args[1]!, '0'])],
    ['a work factor above 20', (s: Stanza[]) => stanzaWith(s, ['scrypt', s[0]!.args[1]!, '21'])],
    ['a padded salt', (s: Stanza[]) => stanzaWith(s, ['scrypt', `${s[0]!.args[1]!}==`, '10'])],
    ['a 15-byte salt', (s: Stanza[]) => stanzaWith(s, ['scrypt', Buffer.alloc(15, 1).toString('base64').replace(/=+$/, ''), '10'])],
    ['a 33-byte body', (s: Stanza[]) => stanzaWith(s, s[0]!.args, new Uint8Array([...s[0]!.body, 0]))],
  ])('a scrypt stanza with %s is SHARE_AGE_FORMAT', async (_what, edit) => {
    await expect(decryptAgeShare(await crafted(edit), PASS)).rejects.toMatchObject({ code: 'SHARE_AGE_FORMAT' });
  });

  it('the unchanged crafted file opens (the refusals above are the edits, not the crafting)', async () => {
    expect(await decryptAgeShare(await crafted((s) => stanzaWith(s, [...s[0]!.args])), PASS)).toEqual(await envelope);
  });

  it('the identity passes over stanzas of other kinds and answers null for them', async () => {
    expect(await new NativeScryptIdentity(PASS).unwrapFileKey([new Stanza(['X25519', 'abc'], new Uint8Array(32))])).toBeNull();
  });

  it('damaged armor, bytes that are not age, and an age file cut short are SHARE_AGE_FORMAT', async () => {
    const text = await encryptShareToPassphrase(await envelope, PASS, { scryptLogN: 10 });
    await expect(decryptAgeShare(text.replace('-----END AGE ENCRYPTED FILE-----', ''), PASS)).rejects.toMatchObject({ code: 'SHARE_AGE_FORMAT', message: expect.stringContaining('armor') });
    await expect(decryptAgeShare(new Uint8Array(64).fill(0x41), PASS)).rejects.toMatchObject({ code: 'SHARE_AGE_FORMAT' });
    await expect(decryptAgeShare(new TextEncoder().encode('not-age-encryption.org/v1 passphrase mac identity'), PASS)).rejects.toMatchObject({ code: 'SHARE_AGE_FORMAT' });
    const bin = armor.decode(text);
    await expect(decryptAgeShare(bin.subarray(0, bin.length - 20), PASS)).rejects.toMatchObject({ code: 'SHARE_AGE_FORMAT' });
  });

  it('a file to an age recipient is SHARE_AGE_RECIPIENT_TYPE, not a passphrase error', async () => {
    const enc = new Encrypter();
    enc.addRecipient(await identityToRecipient(await generateX25519Identity()));
    const file = await enc.encrypt(encodeEnvelope(await envelope));
    await expect(decryptAgeShare(file, PASS)).rejects.toMatchObject({ code: 'SHARE_AGE_RECIPIENT_TYPE' });
    expect(isAgeArmored(armor.encode(file))).toBe(false);
    expect(isAgeArmored('hello')).toBe(false);
  });
});
