/**
 * Age share files use Node's native scrypt (thread pool) in place of age-encryption's JavaScript
 * one; the files must stay standard age v1 both ways, and the event loop must stay free meanwhile.
 */
import { Decrypter, Encrypter, armor } from 'age-encryption';
import { describe, expect, it } from 'vitest';
import { decodeEnvelope, decryptAgeShare, encodeEnvelope, encryptShareToPassphrase, type ShareEnvelope } from '../../../electron/core/shares';

const SHARE: ShareEnvelope = { version: 1, ceremonyTag: 'aabbccdd', splitId: '11223344', k: 2, n: 3, x: 2, share: Uint8Array.from([...new Array<number>(32).fill(9), 2]) };

describe('age share files with native scrypt', () => {
  it('age-encryption\'s own passphrase decrypter opens our file, and we open its file', async () => {
    const ours = await encryptShareToPassphrase(SHARE, 'a passphrase of some length', { scryptLogN: 14 });
    const d = new Decrypter();
    d.addPassphrase('a passphrase of some length');
    expect(decodeEnvelope(await d.decrypt(armor.decode(ours)))).toEqual(SHARE);

    const e = new Encrypter();
    e.setPassphrase('theirs, also long enough');
    e.setScryptWorkFactor(14);
    const theirs = armor.encode(await e.encrypt(encodeEnvelope(SHARE)));
    expect(await decryptAgeShare(theirs, 'theirs, also long enough')).toEqual(SHARE);
    await expect(decryptAgeShare(theirs, 'not their passphrase')).rejects.toMatchObject({ code: 'SHARE_AGE_PASSPHRASE' });
  });

  it('writes the default work factor (logN 18) and refuses a file asking for more than age allows', async () => {
    const file = await encryptShareToPassphrase(SHARE, 'default work factor here');
    expect(new TextDecoder().decode(armor.decode(file))).toMatch(/-> scrypt [A-Za-z0-9+/]{22} 18\n/);
    const greedy = armor.decode(file);
    const at = Buffer.from(greedy).indexOf(' 18\n');
    greedy.set(new TextEncoder().encode(' 21\n'), at);
    await expect(decryptAgeShare(greedy, 'default work factor here')).rejects.toMatchObject({ code: 'SHARE_AGE_FORMAT' });
  });

  it('leaves the event loop free while scrypt runs', async () => {
    let ranMeanwhile = false;
    setImmediate(() => { ranMeanwhile = true; });
    let sawIt = false;
    await encryptShareToPassphrase(SHARE, 'event loop stays free').then(() => { sawIt = ranMeanwhile; });
    expect(sawIt).toBe(true);
  });
});
