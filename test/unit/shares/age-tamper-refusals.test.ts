/**
 * A custodian's age share that was altered after writing (its header, stanza, header MAC, payload
 * nonce or chunk; cut short or extended) is refused with SHARE_AGE_FORMAT saying it is damaged, even
 * with the right passphrase or identity: never garbage, never "wrong passphrase" for a damaged file
 * (the custodian would retype a right passphrase forever). Only a stanza no passphrase/identity
 * opens is SHARE_AGE_PASSPHRASE / SHARE_AGE_IDENTITY, as the age spec's "no match". Through the
 * public readers, decryptAgeShare and decryptRecipientShare, on passphrase, X25519 and
 * post-quantum files.
 */
import { describe, expect, it } from 'vitest';
import { armor, generateHybridIdentity, generateX25519Identity, identityToRecipient } from 'age-encryption';
import { decryptAgeShare, encryptShareToPassphrase } from '../../../electron/core/shares/age-file';
import { decryptRecipientShare, encryptShareToRecipient } from '../../../electron/core/shares/age-recipient';
import type { ShareEnvelope } from '../../../electron/core/shares/envelope';
import { softBackup } from './fixtures';

const PASS = 'correct horse battery';
const envelope = softBackup({ k: 2, custodians: ['alice', 'bob'] }).then((b) => b.shares[1] as ShareEnvelope);

interface Made { name: string; bin: Uint8Array; open: (file: string | Uint8Array) => Promise<ShareEnvelope>; noMatch: string }

async function files(): Promise<Made[]> {
  const e = await envelope;
  const x = await generateX25519Identity();
  const pq = await generateHybridIdentity();
  return [
    { name: 'passphrase', bin: armor.decode(await encryptShareToPassphrase(e, PASS, { scryptLogN: 4 })), open: (f) => decryptAgeShare(f, PASS), noMatch: 'SHARE_AGE_PASSPHRASE' },
    { name: 'X25519', bin: armor.decode((await encryptShareToRecipient(e, await identityToRecipient(x))).text), open: (f) => decryptRecipientShare(f, x), noMatch: 'SHARE_AGE_IDENTITY' },
    { name: 'post-quantum', bin: armor.decode((await encryptShareToRecipient(e, await identityToRecipient(pq))).text), open: (f) => decryptRecipientShare(f, pq), noMatch: 'SHARE_AGE_IDENTITY' },
  ];
}

const made = files();
const text = (b: Uint8Array) => Buffer.from(b).toString('latin1');
const bytes = (s: string) => new Uint8Array(Buffer.from(s, 'latin1'));
/** Where the payload (16-byte nonce, then STREAM chunks) starts: after the "--- MAC" line. */
const payloadAt = (b: Uint8Array) => text(b).indexOf('\n', text(b).indexOf('\n--- ') + 1) + 1;
const flip = (b: Uint8Array, at: number) => { const c = b.slice(); c[at] = c[at]! ^ 0x01; return c; };
/** One base64 character of the header MAC changed (not the last, whose spare bits must stay zero). */
function otherMac(b: Uint8Array): Uint8Array {
  const at = text(b).indexOf('\n--- ') + 5;
  const c = b.slice();
  c[at] = c[at] === 0x41 ? 0x42 : 0x41;
  return c;
}

const TAMPERS: [string, (b: Uint8Array) => Uint8Array, RegExp][] = [
  ['a character of the header MAC changed', otherMac, /invalid header HMAC/],
  ['the version line changed', (b) => bytes(text(b).replace('age-encryption.org/v1', 'age-encryption.org/v2')), /invalid version|no age-encryption.org\/v1 header/],
  ['the payload nonce changed', (b) => flip(b, payloadAt(b) + 3), /damaged or altered/],
  ['a payload chunk byte changed', (b) => flip(b, payloadAt(b) + 16 + 5), /damaged or altered/],
  ['the chunk\'s tag changed', (b) => flip(b, b.length - 1), /damaged or altered/],
  ['cut short by one byte', (b) => b.subarray(0, b.length - 1), /damaged or altered/],
  ['cut to the header and nonce', (b) => b.subarray(0, payloadAt(b) + 16), /damaged or altered/],
  ['cut inside the header', (b) => b.subarray(0, payloadAt(b) - 10), /damaged or altered/],
  ['extended by one byte', (b) => new Uint8Array([...b, 0]), /damaged or altered/],
  ['extended by a copy of its last chunk', (b) => new Uint8Array([...b, ...b.subarray(payloadAt(b) + 16)]), /damaged or altered/],
];

describe.each(['passphrase', 'X25519', 'post-quantum'])('a %s share altered after writing, opened with the right secret', (kind) => {
  it('opens unaltered (binary and armored), so the refusals below are the alterations', async () => {
    const f = (await made).find((m) => m.name === kind)!;
    expect(await f.open(f.bin)).toEqual(await envelope);
    expect(await f.open(armor.encode(f.bin))).toEqual(await envelope);
  });

  it.each(TAMPERS)('%s: SHARE_AGE_FORMAT, the file named damaged', async (_what, tamper, reason) => {
    const f = (await made).find((m) => m.name === kind)!;
    const refused = f.open(tamper(f.bin));
    await expect(refused).rejects.toMatchObject({ code: 'SHARE_AGE_FORMAT', action: 'Use the .age file exactly as it was handed out.' });
    await expect(refused).rejects.toThrow(reason);
  });

  it('the same alteration armored again is refused the same way', async () => {
    const f = (await made).find((m) => m.name === kind)!;
    await expect(f.open(armor.encode(otherMac(f.bin)))).rejects.toMatchObject({ code: 'SHARE_AGE_FORMAT', message: expect.stringContaining('invalid header HMAC') });
  });

  it('a stanza body changed is "no match" (the spec\'s verdict): the passphrase or identity code', async () => {
    const f = (await made).find((m) => m.name === kind)!;
    // The last character of the stanza body line, just before "\n---": its low bit is spare for 32 bytes, so change a character before it.
    const at = text(f.bin).indexOf('\n--- ') - 3;
    const c = f.bin.slice();
    c[at] = c[at] === 0x41 ? 0x42 : 0x41;
    await expect(f.open(c)).rejects.toMatchObject({ code: f.noMatch });
  });
});

describe('what each refusal says', () => {
  it('a damaged armor, a wrong passphrase and a recipient file given a passphrase: message and action', async () => {
    const f = (await made).find((m) => m.name === 'passphrase')!;
    await expect(decryptAgeShare(armor.encode(f.bin).replace('-----END AGE ENCRYPTED FILE-----', ''), PASS)).rejects.toMatchObject({
      code: 'SHARE_AGE_FORMAT', message: 'This is not a readable age file (the armor is damaged).', action: 'Use the .age file exactly as it was handed out.',
    });
    await expect(decryptAgeShare(f.bin, 'not the passphrase')).rejects.toMatchObject({
      code: 'SHARE_AGE_PASSPHRASE', message: 'The passphrase does not open this age share.', action: 'Ask the custodian to type their passphrase again.',
    });
    const x = (await made).find((m) => m.name === 'X25519')!;
    await expect(decryptAgeShare(x.bin, PASS)).rejects.toMatchObject({
      code: 'SHARE_AGE_RECIPIENT_TYPE',
      message: 'This age share was made for the custodian\'s age recipient: it opens with their identity, not a passphrase.',
      action: 'Give the custodian\'s age identity file (keyrite recover --age-identity FILE).',
    });
  });

  it('a passphrase shorter than 8 characters: message and action', async () => {
    await expect(encryptShareToPassphrase(await envelope, 'seven77', { scryptLogN: 4 })).rejects.toMatchObject({
      code: 'SHARE_PARAMS_INVALID', message: 'The passphrase for an age share must be at least 8 characters.', action: 'Choose a longer passphrase.',
    });
  });
});
