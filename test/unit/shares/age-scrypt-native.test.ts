/**
 * The passphrase work runs in Node's native scrypt (libuv thread pool, the event loop stays free:
 * docs/SHARES.md), with the memory bound it needs; a runtime whose crypto has no scrypt (an
 * embedder's TLS library) falls back to @noble/hashes' scryptAsync and still writes and opens
 * standard files. node:crypto's scrypt is wrapped here to watch it, in one test to take it away, and
 * in one to stand in for a 1 GiB derivation with a constant key, so that age's ceiling (2^20, allowed
 * both ways) is checked without the cost (the real 2^20 runs with Debian's age in age-debian-interop).
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import type * as Crypto from 'node:crypto';
import { armor, Decrypter } from 'age-encryption';
import { decryptAgeShare, encryptShareToPassphrase } from '../../../electron/core/shares/age-file';
import { decodeEnvelope, type ShareEnvelope } from '../../../electron/core/shares/envelope';
import { softBackup } from './fixtures';

const watch = vi.hoisted(() => ({ calls: [] as { N: number; maxmem: number; error: string | null }[], missing: false, constant: false }));

vi.mock('node:crypto', async (importOriginal) => {
  const real = await importOriginal<typeof Crypto>();
  const scrypt = (password: Crypto.BinaryLike, salt: Crypto.BinaryLike, keylen: number, options: Crypto.ScryptOptions, cb: (err: Error | null, key: Buffer) => void) => {
    const call = { N: options.N ?? 0, maxmem: options.maxmem ?? 0, error: null as string | null };
    watch.calls.push(call);
    if (watch.constant) {
      cb(null, Buffer.alloc(keylen, 7));
      return;
    }
    if (watch.missing) {
      call.error = 'scrypt is not supported';
      cb(new Error(call.error), Buffer.alloc(0));
      return;
    }
    real.scrypt(password, salt, keylen, options, (err, key) => {
      call.error = err ? err.message : null;
      cb(err, key);
    });
  };
  return { ...real, scrypt, default: { ...real, scrypt } };
});

const PASS = 'correct horse battery';
const envelope = softBackup({ k: 2, custodians: ['alice', 'bob'] }).then((b) => b.shares[0] as ShareEnvelope);

afterEach(() => {
  watch.calls.length = 0;
  watch.missing = false;
  watch.constant = false;
});

describe('native scrypt', () => {
  it('writing and opening each run one native scrypt of N = 2^logN that succeeds (no JavaScript fallback)', async () => {
    const file = await encryptShareToPassphrase(await envelope, PASS, { scryptLogN: 12 });
    expect(await decryptAgeShare(file, PASS)).toEqual(await envelope);
    expect(watch.calls).toEqual([
      { N: 4096, maxmem: expect.any(Number), error: null },
      { N: 4096, maxmem: expect.any(Number), error: null },
    ]);
  });

  it('at the default work factor the memory bound allows the 256 MiB scrypt needs', async () => {
    const file = await encryptShareToPassphrase(await envelope, PASS);
    expect(watch.calls).toHaveLength(1);
    expect(watch.calls[0]!).toMatchObject({ N: 2 ** 18, error: null });
    expect(watch.calls[0]!.maxmem).toBeGreaterThanOrEqual(128 * 8 * 2 ** 18);
    expect(file).toContain('-----BEGIN AGE ENCRYPTED FILE-----');
  }, 60_000);
});

describe('a runtime without native scrypt', () => {
  it('falls back to the JavaScript scrypt: the file is the same standard age file, opened by Keyrite and age-encryption', async () => {
    watch.missing = true;
    const e = await envelope;
    const file = await encryptShareToPassphrase(e, PASS, { scryptLogN: 10 });
    expect(await decryptAgeShare(file, PASS)).toEqual(e);
    await expect(decryptAgeShare(file, 'not the passphrase')).rejects.toMatchObject({ code: 'SHARE_AGE_PASSPHRASE' });
    expect(watch.calls.map((c) => c.error)).toEqual(['scrypt is not supported', 'scrypt is not supported', 'scrypt is not supported']);
    watch.missing = false;
    const d = new Decrypter();
    d.addPassphrase(PASS);
    expect(decodeEnvelope(await d.decrypt(armor.decode(file)))).toEqual(e);
  });
});

describe('the ceiling, 2^20, with scrypt stood in for by a constant key', () => {
  it('is written (the stanza says 20) and opened; 2^21 is refused both ways, with no derivation asked for', async () => {
    watch.constant = true;
    const e = await envelope;
    const file = await encryptShareToPassphrase(e, PASS, { scryptLogN: 20 });
    expect(Buffer.from(armor.decode(file)).toString('latin1').split('\n')[1]).toMatch(/ 20$/);
    expect(await decryptAgeShare(file, PASS)).toEqual(e);
    expect(watch.calls.map((c) => c.N)).toEqual([2 ** 20, 2 ** 20]);
    await expect(encryptShareToPassphrase(e, PASS, { scryptLogN: 21 })).rejects.toMatchObject({ code: 'SHARE_PARAMS_INVALID' });
    const raised = armor.encode(new Uint8Array(Buffer.from(Buffer.from(armor.decode(file)).toString('latin1').replace(/ 20\n/, ' 21\n'), 'latin1')));
    await expect(decryptAgeShare(raised, PASS)).rejects.toThrow('scrypt work factor is too high');
    expect(watch.calls).toHaveLength(2);
  });
});
