/**
 * Shares to an age recipient: what each refusal tells the room (message and action, as the CLI and
 * the app show them), the recipient and identity strings as they arrive from a file or a paste
 * (space and line ends around them), and the header reading's bounds (a header with no stanza is
 * no recipient share; a header is read for at most 64 KiB, after which it is "cut short").
 */
import { describe, expect, it } from 'vitest';
import { armor, Encrypter, generateX25519Identity, identityToRecipient } from 'age-encryption';
import {
  ageFileRecipientKind, ageStanzaTypes, decryptRecipientShare, encryptShareToRecipient, isAgeRecipientFile,
} from '../../../electron/core/shares/age-recipient';
import { encryptShareToPassphrase } from '../../../electron/core/shares/age-file';
import type { ShareEnvelope } from '../../../electron/core/shares/envelope';
import { softBackup } from './fixtures';

const envelope = softBackup({ k: 2, custodians: ['alice', 'bob'] }).then((b) => b.shares[0] as ShareEnvelope);
const ascii = (s: string) => new Uint8Array(Buffer.from(s, 'latin1'));
const AS_HANDED_OUT = 'Use the .age file exactly as it was handed out.';

describe('recipient and identity strings as pasted', () => {
  it('a recipient with space and a line end around it is used as the recipient it is', async () => {
    const id = await generateX25519Identity();
    const sealed = await encryptShareToRecipient(await envelope, `  ${await identityToRecipient(id)}\n`);
    expect(sealed.kind).toBe('x25519');
    expect(await decryptRecipientShare(sealed.text, id)).toEqual(await envelope);
  });

  it('identities given as a list are trimmed before age reads them', async () => {
    const id = await generateX25519Identity();
    const sealed = await encryptShareToRecipient(await envelope, await identityToRecipient(id));
    expect(await decryptRecipientShare(sealed.text, [`\t${id}  \r\n`])).toEqual(await envelope);
  });
});

describe('what each refusal says', () => {
  it('an unusable recipient: the reason, and to ask the custodian again', async () => {
    await expect(encryptShareToRecipient(await envelope, 'ssh-ed25519 AAAA')).rejects.toMatchObject({
      code: 'SHARE_AGE_RECIPIENT_TYPE',
      message: expect.stringMatching(/^The recipient is not usable: expected an age recipient/),
      action: 'Ask the custodian for their age recipient again (age-keygen -y on their identity file).',
    });
  });

  it('a recipient given where the identity belongs, and a damaged identity', async () => {
    const id = await generateX25519Identity();
    const sealed = await encryptShareToRecipient(await envelope, await identityToRecipient(id));
    await expect(decryptRecipientShare(sealed.text, await identityToRecipient(id))).rejects.toMatchObject({
      code: 'SHARE_AGE_IDENTITY', message: 'This is not an age identity (AGE-SECRET-KEY-1... or AGE-SECRET-KEY-PQ-1...).',
      action: 'Give the custodian\'s identity file (the one age-keygen wrote), not their recipient.',
    });
    await expect(decryptRecipientShare(sealed.text, `${id.slice(0, -1)}${id.endsWith('Q') ? 'P' : 'Q'}`)).rejects.toMatchObject({
      code: 'SHARE_AGE_IDENTITY', message: 'The identity is damaged (its bech32 checksum or length is wrong).',
      action: 'Give the custodian\'s identity file exactly as age-keygen wrote it.',
    });
  });

  it('another custodian\'s identity: not this share, and whose identity to use', async () => {
    const sealed = await encryptShareToRecipient(await envelope, await identityToRecipient(await generateX25519Identity()));
    await expect(decryptRecipientShare(sealed.text, await generateX25519Identity())).rejects.toMatchObject({
      code: 'SHARE_AGE_IDENTITY', message: 'This identity does not open this share: it was made for another X25519 recipient.',
      action: 'Use the identity of the custodian named on the file (age-keygen -y on it must print the recipient in the script).',
    });
  });

  it('a passphrase share given an identity: use the passphrase', async () => {
    const file = await encryptShareToPassphrase(await envelope, 'correct horse battery', { scryptLogN: 4 });
    await expect(decryptRecipientShare(file, await generateX25519Identity())).rejects.toMatchObject({
      code: 'SHARE_AGE_RECIPIENT_TYPE',
      message: 'This age file was made for "scrypt" recipients, not for an X25519 or post-quantum (mlkem768x25519) age recipient.',
      action: 'It is a passphrase share: give the custodian\'s passphrase instead of an identity.',
    });
  });

  it('an age file with no stanza at all is no recipient share (made for "no" recipients)', async () => {
    const bare = ascii('age-encryption.org/v1\n--- AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\n0123456789abcdef');
    expect(ageStanzaTypes(bare)).toEqual([]);
    expect(ageFileRecipientKind(bare)).toBeUndefined();
    expect(isAgeRecipientFile(bare)).toBe(false);
    expect(isAgeRecipientFile(armor.encode(bare))).toBe(false);
    await expect(decryptRecipientShare(bare, await generateX25519Identity())).rejects.toMatchObject({
      code: 'SHARE_AGE_RECIPIENT_TYPE', message: expect.stringMatching(/^This age file was made for no recipients/), action: 'Open it with the tool or card it was made for.',
    });
  });

  it('a damaged armor: the armor named, and to use the file as handed out', async () => {
    await expect(decryptRecipientShare('-----BEGIN AGE ENCRYPTED FILE-----\n!!!\n-----END AGE ENCRYPTED FILE-----\n', await generateX25519Identity())).rejects.toMatchObject({
      code: 'SHARE_AGE_FORMAT', message: 'This is not a readable age file (the armor is damaged).', action: AS_HANDED_OUT,
    });
  });

  it('not an age file, and a header cut short: what is wrong and to use the file as handed out', () => {
    expect(() => ageStanzaTypes(ascii('age-encryption.org/v2\n--- x\n'))).toThrow(expect.objectContaining({
      code: 'SHARE_AGE_FORMAT', message: 'This is not an age file (no age-encryption.org/v1 header).', action: AS_HANDED_OUT,
    }));
    expect(() => ageStanzaTypes(ascii('age-encryption.org/v1\n-> X25519 abc\nAAAA\n'))).toThrow(expect.objectContaining({
      code: 'SHARE_AGE_FORMAT', message: 'This age file\'s header is cut short.', action: AS_HANDED_OUT,
    }));
  });
});

describe('the self-check after writing', () => {
  it('opens only a file of one stanza of its kind: a file to two recipients is not the file just made', async () => {
    const e = await envelope;
    const made = await encryptShareToRecipient(e, await identityToRecipient(await generateX25519Identity()));
    const two = new Encrypter();
    two.addRecipient(await identityToRecipient(await generateX25519Identity()));
    two.addRecipient(await identityToRecipient(await generateX25519Identity()));
    await expect(made.selfCheck(armor.encode(await two.encrypt(new Uint8Array(48))))).rejects.toMatchObject({ code: 'SHARE_AGE_IDENTITY' });
  });
});

describe('header reading is bounded', () => {
  it('a header whose end is within 64 KiB is read; one that ends past 64 KiB is cut short', () => {
    const stanza = `-> X25519 ${'A'.repeat(43)}\n${'B'.repeat(43)}\n`;
    const header = (n: number) => ascii(`age-encryption.org/v1\n${stanza.repeat(n)}--- ${'C'.repeat(43)}\n`);
    const fits = header(Math.floor((64 * 1024 - 100) / stanza.length));
    expect(fits.length).toBeLessThan(64 * 1024);
    expect(ageStanzaTypes(fits).every((t) => t === 'X25519')).toBe(true);
    const long = header(Math.ceil((64 * 1024) / stanza.length) + 1);
    expect(() => ageStanzaTypes(long)).toThrow(expect.objectContaining({ code: 'SHARE_AGE_FORMAT', message: expect.stringContaining('cut short') }));
  });
});
