/**
 * The scrypt work factor of a passphrase share, both ways. Writing: a whole number from 1 (the age
 * spec's least) to 20 (age's ceiling for readers, which Keyrite's reader shares), else
 * SHARE_PARAMS_INVALID before anything is encrypted: a file Keyrite or age would refuse to open is
 * never handed out. Reading: the stanza's work factor must be a decimal without sign, leading zero
 * or other characters (age spec), and above 20 is refused before any scrypt work. Files at 2^20
 * (1 GiB of scrypt) are written and opened in age-debian-interop.test.ts, with Debian's age.
 */
import { describe, expect, it } from 'vitest';
import { armor, Decrypter, Encrypter, Stanza } from 'age-encryption';
import { decryptAgeShare, encryptShareToPassphrase } from '../../../electron/core/shares/age-file';
import { DEFAULT_SCRYPT_LOG_N, MAX_LOG_N, NativeScryptRecipient } from '../../../electron/core/shares/age-scrypt';
import { decodeEnvelope, encodeEnvelope, type ShareEnvelope } from '../../../electron/core/shares/envelope';
import { softBackup } from './fixtures';

const PASS = 'correct horse battery';
const envelope = softBackup({ k: 2, custodians: ['alice', 'bob'] }).then((b) => b.shares[0] as ShareEnvelope);
const workFactor = (armored: string) => Buffer.from(armor.decode(armored)).toString('latin1').split('\n')[1]!.split(' ')[3];

describe('writing', () => {
  it('the default is age\'s own (18) and the ceiling is age\'s (20)', async () => {
    expect([DEFAULT_SCRYPT_LOG_N, MAX_LOG_N]).toEqual([18, 20]);
  });

  it.each([0, -1, 21, 30, 1.5, Number.NaN, Number.POSITIVE_INFINITY])('a work factor of %s is SHARE_PARAMS_INVALID, saying the range', async (logN) => {
    await expect(encryptShareToPassphrase(await envelope, PASS, { scryptLogN: logN })).rejects.toMatchObject({
      code: 'SHARE_PARAMS_INVALID',
      message: `The scrypt work factor for an age share must be a whole number from 1 to 20 (got ${logN}).`,
      action: 'Leave it at the default (18) or choose one within the range.',
    });
  });

  it('1, the least, is written as "1" and opens with Keyrite and with age-encryption', async () => {
    const e = await envelope;
    const file = await encryptShareToPassphrase(e, PASS, { scryptLogN: 1 });
    expect(workFactor(file)).toBe('1');
    expect(await decryptAgeShare(file, PASS)).toEqual(e);
    const d = new Decrypter();
    d.addPassphrase(PASS);
    expect(decodeEnvelope(await d.decrypt(armor.decode(file)))).toEqual(e);
  });
});

/** A passphrase file whose scrypt stanza's work factor argument is `arg` (the stanza made at logN 4). */
async function withWorkFactor(arg: string): Promise<string> {
  const enc = new Encrypter();
  enc.addRecipient({ wrapFileKey: async (fk: Uint8Array) => (await new NativeScryptRecipient(PASS, 4).wrapFileKey(fk)).map((s) => new Stanza([s.args[0]!, s.args[1]!, arg], s.body)) });
  return armor.encode(await enc.encrypt(encodeEnvelope(await envelope)));
}

describe('reading', () => {
  it('the crafted stanza opens with its own work factor (the refusals below are the argument)', async () => {
    expect(await decryptAgeShare(await withWorkFactor('4'), PASS)).toEqual(await envelope);
  });

  it.each(['21', '23', '99999999999999999999', '040', '+4', '-4', '0x4', '4x', 'x4', '4 ', '', '4.0'])('work factor "%s" is SHARE_AGE_FORMAT naming the stanza or the ceiling', async (arg) => {
    const refused = decryptAgeShare(await withWorkFactor(arg), PASS);
    await expect(refused).rejects.toMatchObject({ code: 'SHARE_AGE_FORMAT' });
    await expect(refused).rejects.toThrow(/invalid scrypt stanza|scrypt work factor is too high|invalid stanza/);
  });

  it('above the ceiling is refused as too high, with no scrypt work (a 2^21 derivation would need 2 GiB)', async () => {
    await expect(decryptAgeShare(await withWorkFactor('21'), PASS)).rejects.toThrow('scrypt work factor is too high');
    await expect(decryptAgeShare(await withWorkFactor('4x'), PASS)).rejects.toThrow('invalid scrypt stanza');
  });

  it('a wrong work factor (a number, but not the one written) is "no match": the passphrase code', async () => {
    await expect(decryptAgeShare(await withWorkFactor('5'), PASS)).rejects.toMatchObject({ code: 'SHARE_AGE_PASSPHRASE' });
  });
});
