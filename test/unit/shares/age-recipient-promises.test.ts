/**
 * Shares to a custodian's own age recipient: the recipient string is checked before anything is
 * encrypted (kind, case, checksum, length), the identity file is read as age-keygen writes it
 * (comments, blank lines, CRLF, several identities), and malformed files or identities are typed
 * errors that say which is wrong.
 */
import { describe, expect, it } from 'vitest';
import { armor, Encrypter, generateHybridIdentity, generateX25519Identity, identityToRecipient } from 'age-encryption';
import { bech32 } from '@scure/base';
import {
  ageFileRecipientKind, ageStanzaTypes, decryptRecipientShare, describeRecipientKind, encryptShareToRecipient, identitiesFromText, isAgeRecipientFile, isPostQuantum, parseAgeRecipient,
} from '../../../electron/core/shares/age-recipient';
import { encodeEnvelope, type ShareEnvelope } from '../../../electron/core/shares/envelope';
import { softBackup } from './fixtures';

const envelope = softBackup({ k: 2, custodians: ['alice', 'bob'] }).then((b) => b.shares[1] as ShareEnvelope);
const bech = (hrp: string, bytes: number) => bech32.encode(hrp, bech32.toWords(new Uint8Array(bytes).fill(7)), false);

describe('recipient strings', () => {
  it('accepts surrounding space, refuses wrong lengths and unknown types by name', async () => {
    const x = await identityToRecipient(await generateX25519Identity());
    expect(parseAgeRecipient(`  ${x}\n`)).toEqual({ kind: 'x25519' });
    expect(parseAgeRecipient(bech('age', 31))).toMatchObject({ problem: expect.stringContaining('unknown age recipient type "age1...') });
    expect(parseAgeRecipient(bech('age', 33))).toMatchObject({ problem: expect.stringContaining('unknown') });
    expect(parseAgeRecipient(bech('age1pq', 32))).toMatchObject({ problem: expect.stringContaining('unknown age recipient type "age1pq1...') });
    expect(parseAgeRecipient(bech('age1zz', 32))).toMatchObject({ problem: expect.stringContaining('unknown age recipient type "age1zz1...') });
    expect(parseAgeRecipient(bech('age', 32))).toEqual({ kind: 'x25519' });
    expect(parseAgeRecipient(`AGE1${x.slice(4)}`)).toMatchObject({ problem: expect.stringContaining('lower case') });
    expect(parseAgeRecipient('x')).toMatchObject({ problem: expect.stringContaining('expected an age recipient') });
    expect(parseAgeRecipient(bech('age1tag', 33))).toMatchObject({ problem: expect.stringContaining('hardware key') });
  });

  it('names the kinds', () => {
    expect([isPostQuantum('x25519'), isPostQuantum('mlkem768x25519')]).toEqual([false, true]);
    expect(describeRecipientKind('x25519')).toBe('X25519');
    expect(describeRecipientKind('mlkem768x25519')).toBe('post-quantum hybrid (ML-KEM-768 + X25519)');
  });

  it('a refused recipient is SHARE_AGE_RECIPIENT_TYPE with the reason', async () => {
    await expect(encryptShareToRecipient(await envelope, 'AGE1QQQQ')).rejects.toMatchObject({ code: 'SHARE_AGE_RECIPIENT_TYPE', message: expect.stringContaining('lower case') });
  });
});

describe('identity files', () => {
  it('reads identities past comments, blank lines and CRLF', () => {
    expect(identitiesFromText('# created: x\r\n# public key: age1...\r\n\r\n  AGE-SECRET-KEY-1AAA  \r\nAGE-SECRET-KEY-PQ-1BBB\n#AGE-SECRET-KEY-1CCC\n')).toEqual(['AGE-SECRET-KEY-1AAA', 'AGE-SECRET-KEY-PQ-1BBB']);
  });

  it('opens with the matching identity among several, as text or as a list', async () => {
    const e = await envelope;
    const mine = await generateX25519Identity();
    const sealed = await encryptShareToRecipient(e, await identityToRecipient(mine));
    const pq = await generateHybridIdentity();
    const other = await generateX25519Identity();
    expect(await decryptRecipientShare(sealed.text, `${pq}\n${other}\n${mine}\n`)).toEqual(e);
    expect(await decryptRecipientShare(armor.decode(sealed.text), [` ${other} `, ` ${mine}\n`])).toEqual(e);
  });

  it('an empty identity file, a damaged identity and one of the other kind are SHARE_AGE_IDENTITY saying which', async () => {
    const e = await envelope;
    const x = await encryptShareToRecipient(e, await identityToRecipient(await generateX25519Identity()));
    await expect(decryptRecipientShare(x.text, '# nothing here\n')).rejects.toMatchObject({ code: 'SHARE_AGE_IDENTITY', message: expect.stringContaining('the identity given is empty'), action: expect.stringContaining('AGE-SECRET-KEY-1...') });
    const good = await generateX25519Identity();
    await expect(decryptRecipientShare(x.text, `${good.slice(0, -1)}${good.endsWith('Q') ? 'P' : 'Q'}`)).rejects.toMatchObject({ code: 'SHARE_AGE_IDENTITY', message: expect.stringContaining('damaged') });
    await expect(decryptRecipientShare(x.text, await generateHybridIdentity())).rejects.toMatchObject({ code: 'SHARE_AGE_IDENTITY', message: expect.stringContaining('but the identity given is a post-quantum hybrid (ML-KEM-768 + X25519) one') });
    const pq = await encryptShareToRecipient(e, await identityToRecipient(await generateHybridIdentity()));
    await expect(decryptRecipientShare(pq.text, await generateHybridIdentity())).rejects.toMatchObject({ message: expect.stringContaining('another post-quantum hybrid') });
    await expect(decryptRecipientShare(pq.text, await generateX25519Identity())).rejects.toMatchObject({ action: expect.stringContaining('AGE-SECRET-KEY-PQ-1...') });
  });
});

describe('age file headers', () => {
  it('lists the stanza types; a header cut short or a non-age file is SHARE_AGE_FORMAT', async () => {
    const x = await encryptShareToRecipient(await envelope, await identityToRecipient(await generateX25519Identity()));
    const bin = armor.decode(x.text);
    expect(ageStanzaTypes(bin)).toEqual(['X25519']);
    const headerOnly = Buffer.from(bin).toString('latin1').split('\n---')[0]!;
    expect(() => ageStanzaTypes(new Uint8Array(Buffer.from(headerOnly, 'latin1')))).toThrow(expect.objectContaining({ code: 'SHARE_AGE_FORMAT', message: expect.stringContaining('cut short') }));
    expect(() => ageStanzaTypes(new TextEncoder().encode('age-encryption.org/v2\n-> X25519 a\n--- b\n'))).toThrow(expect.objectContaining({ code: 'SHARE_AGE_FORMAT', message: expect.stringContaining('no age-encryption.org/v1 header') }));
    expect(() => ageStanzaTypes('-----BEGIN AGE ENCRYPTED FILE-----\n!!!\n-----END AGE ENCRYPTED FILE-----')).toThrow(expect.objectContaining({ code: 'SHARE_AGE_FORMAT', message: expect.stringContaining('armor') }));
  });

  it('a file to two kinds, or with no stanza of a recipient kind, is not a recipient share', async () => {
    const e = await envelope;
    const mixed = new Encrypter();
    mixed.addRecipient(await identityToRecipient(await generateX25519Identity()));
    mixed.addRecipient(await identityToRecipient(await generateHybridIdentity()));
    const file = await mixed.encrypt(encodeEnvelope(e));
    expect(ageStanzaTypes(file)).toEqual(['X25519', 'mlkem768x25519']);
    expect(ageFileRecipientKind(file)).toBeUndefined();
    expect(isAgeRecipientFile(armor.encode(file))).toBe(false);
    expect(isAgeRecipientFile(file)).toBe(false);
    await expect(decryptRecipientShare(file, await generateX25519Identity())).rejects.toMatchObject({ code: 'SHARE_AGE_RECIPIENT_TYPE', message: expect.stringContaining('"X25519", "mlkem768x25519" recipients'), action: expect.stringContaining('tool or card') });
    const two = new Encrypter();
    const id = await generateX25519Identity();
    two.addRecipient(await identityToRecipient(id));
    two.addRecipient(await identityToRecipient(await generateX25519Identity()));
    const both = await two.encrypt(encodeEnvelope(e));
    expect(ageFileRecipientKind(both)).toBe('x25519');
    expect(await decryptRecipientShare(both, id)).toEqual(e);
    expect(isAgeRecipientFile(`  \n${armor.encode(both)}`)).toBe(true);
    expect(isAgeRecipientFile('-----BEGIN AGE ENCRYPTED FILE-----\n!!\n-----END AGE ENCRYPTED FILE-----\n')).toBe(false);
  });

  it('the self-check opens the file just made, once, and refuses a file altered after writing', async () => {
    const e = await envelope;
    const x = await encryptShareToRecipient(e, await identityToRecipient(await generateX25519Identity()));
    const bin = armor.decode(x.text);
    bin[bin.length - 1] = (bin[bin.length - 1] ?? 0) ^ 1;
    await expect(x.selfCheck(armor.encode(bin))).rejects.toMatchObject({ code: 'SHARE_AGE_FORMAT' });
    await expect(x.selfCheck(x.text)).rejects.toThrow('already used');
    const y = await encryptShareToRecipient(e, await identityToRecipient(await generateX25519Identity()));
    const other = await encryptShareToRecipient(e, await identityToRecipient(await generateHybridIdentity()));
    await expect(y.selfCheck(other.text)).rejects.toMatchObject({ code: 'SHARE_AGE_IDENTITY' });
  });
});
