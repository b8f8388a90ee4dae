import { execFileSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { armor, Decrypter, generateHybridIdentity, generateX25519Identity, identityToRecipient } from 'age-encryption';
import {
  ageFileRecipientKind, ageStanzaTypes, decryptRecipientShare, encryptShareToRecipient, isAgeRecipientFile, parseAgeRecipient,
} from '../../../electron/core/shares/age-recipient';
import { decryptAgeShare, encryptShareToPassphrase, isAgeArmored } from '../../../electron/core/shares/age-file';
import { decodeEnvelope } from '../../../electron/core/shares/envelope';
import { decodeShareInput } from '../../../electron/core/shares/share-input';
import { softBackup } from './fixtures';
import { tempDir } from '../../helpers/softhsm';

const AGE_BIN = '/usr/bin/age';

async function anEnvelope() {
  return (await softBackup({ k: 2, custodians: ['alice', 'bob'] })).shares[0]!;
}

describe('age recipient strings', () => {
  it('tells X25519 from post-quantum recipients and says why others are refused', async () => {
    expect(parseAgeRecipient(await identityToRecipient(await generateX25519Identity()))).toEqual({ kind: 'x25519' });
    const pq = await identityToRecipient(await generateHybridIdentity());
    expect(pq.startsWith('age1pq1')).toBe(true);
    expect(parseAgeRecipient(pq)).toEqual({ kind: 'mlkem768x25519' });
    expect(parseAgeRecipient('ssh-ed25519 AAAA')).toMatchObject({ problem: expect.stringContaining('age1') });
    expect(parseAgeRecipient(pq.toUpperCase())).toMatchObject({ problem: expect.stringContaining('lower case') });
    expect(parseAgeRecipient(pq.slice(0, -1) + (pq.endsWith('q') ? 'p' : 'q'))).toMatchObject({ problem: expect.stringContaining('damaged') });
    expect(parseAgeRecipient('age1tag1qwerty')).toMatchObject({ problem: expect.stringContaining('delivery token') });
  });
});

describe('a share to an age recipient', () => {
  it('post-quantum: opens with age-encryption and the custodian\'s identity, and with Keyrite\'s reader', async () => {
    const identity = await generateHybridIdentity();
    const e = await anEnvelope();
    const sealed = await encryptShareToRecipient(e, await identityToRecipient(identity));
    expect(sealed.kind).toBe('mlkem768x25519');
    expect(ageStanzaTypes(sealed.text)).toEqual(['mlkem768x25519']);
    expect(ageFileRecipientKind(sealed.text)).toBe('mlkem768x25519');
    expect(isAgeRecipientFile(sealed.text)).toBe(true);
    expect(isAgeArmored(sealed.text)).toBe(false);
    // The library on its own, as the custodian would.
    const dec = new Decrypter();
    dec.addIdentity(identity);
    expect(decodeEnvelope(await dec.decrypt(armor.decode(sealed.text)))).toEqual(e);
    expect(await decryptRecipientShare(sealed.text, `# created: today\n# public key: ...\n${identity}\n`)).toEqual(e);
    expect(await sealed.selfCheck(sealed.text)).toEqual(e);
    await expect(sealed.selfCheck(sealed.text)).rejects.toThrow();
  });

  it.skipIf(!existsSync(AGE_BIN))('X25519: Debian\'s age opens it with an identity file (outside tool check)', async () => {
    const { dir, cleanup } = tempDir();
    try {
      const idFile = path.join(dir, 'identity.txt');
      execFileSync('age-keygen', ['-o', idFile], { stdio: 'pipe' });
      const recipient = execFileSync('age-keygen', ['-y', idFile], { encoding: 'utf8' }).trim();
      const e = await anEnvelope();
      const sealed = await encryptShareToRecipient(e, recipient);
      expect(sealed.kind).toBe('x25519');
      expect(ageFileRecipientKind(sealed.text)).toBe('x25519');
      const file = path.join(dir, 'share.age');
      writeFileSync(file, sealed.text);
      const plain = execFileSync(AGE_BIN, ['-d', '-i', idFile, file]);
      expect(decodeEnvelope(new Uint8Array(plain))).toEqual(e);
      expect(await decryptRecipientShare(sealed.text, execFileSync('cat', [idFile], { encoding: 'utf8' }))).toEqual(e);
    } finally {
      cleanup();
    }
  });

  it('refuses a wrong identity, an identity of the other kind, a recipient and a passphrase file, each with its code', async () => {
    const e = await anEnvelope();
    const pq = await encryptShareToRecipient(e, await identityToRecipient(await generateHybridIdentity()));
    await expect(decryptRecipientShare(pq.text, await generateHybridIdentity())).rejects.toMatchObject({ code: 'SHARE_AGE_IDENTITY', message: expect.stringContaining('does not open') });
    await expect(decryptRecipientShare(pq.text, await generateX25519Identity())).rejects.toMatchObject({ code: 'SHARE_AGE_IDENTITY', message: expect.stringContaining('X25519 one') });
    await expect(decryptRecipientShare(pq.text, await identityToRecipient(await generateHybridIdentity()))).rejects.toMatchObject({ code: 'SHARE_AGE_IDENTITY', message: expect.stringContaining('not an age identity'), action: expect.stringContaining('identity file') });
    const x = await encryptShareToRecipient(e, await identityToRecipient(await generateX25519Identity()));
    await expect(decryptRecipientShare(x.text, await generateX25519Identity())).rejects.toMatchObject({ code: 'SHARE_AGE_IDENTITY' });
    const pass = await encryptShareToPassphrase(e, 'correct horse battery', { scryptLogN: 10 });
    await expect(decryptRecipientShare(pass, await generateX25519Identity())).rejects.toMatchObject({ code: 'SHARE_AGE_RECIPIENT_TYPE' });
    await expect(decryptRecipientShare('hello', await generateX25519Identity())).rejects.toMatchObject({ code: 'SHARE_AGE_FORMAT' });
    await expect(decryptAgeShare(pq.text, 'correct horse battery')).rejects.toMatchObject({ code: 'SHARE_AGE_RECIPIENT_TYPE' });
    expect(() => decodeShareInput({ text: pq.text })).toThrow(/identity/);
    await expect(encryptShareToRecipient(e, 'age1notarecipient')).rejects.toMatchObject({ code: 'SHARE_AGE_RECIPIENT_TYPE' });
  });

  it('a file altered after writing is refused as damaged, not as the wrong identity', async () => {
    const identity = await generateX25519Identity();
    const sealed = await encryptShareToRecipient(await anEnvelope(), await identityToRecipient(identity));
    const bin = armor.decode(sealed.text);
    bin[bin.length - 3] = (bin[bin.length - 3] ?? 0) ^ 1;
    await expect(decryptRecipientShare(armor.encode(bin), identity)).rejects.toMatchObject({ code: 'SHARE_AGE_FORMAT' });
  });
});
