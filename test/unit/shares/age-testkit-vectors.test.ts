/**
 * Every C2SP age test vector (age-testkit/, from github.com/C2SP/CCTV; see its README) read by
 * Keyrite's age readers: a passphrase vector by decryptAgeShare (and its payload by age-encryption's
 * Decrypter with Keyrite's NativeScryptIdentity, compared with the vector's SHA-256), an identity
 * vector by decryptRecipientShare. A vector age opens passes Keyrite's age layer (it then fails only
 * as a share envelope, which its payload is not); every vector age refuses (armor, header, HMAC,
 * stanza, STREAM payload: tampered, truncated or extended) is refused with a typed KeyriteError:
 * SHARE_AGE_FORMAT, or SHARE_AGE_PASSPHRASE / SHARE_AGE_IDENTITY where no recipient matches.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { armor, Decrypter } from 'age-encryption';
import { decryptAgeShare } from '../../../electron/core/shares/age-file';
import { decryptRecipientShare } from '../../../electron/core/shares/age-recipient';
import { NativeScryptIdentity } from '../../../electron/core/shares/age-scrypt';

const DIR = join(__dirname, 'age-testkit');

interface Vector { name: string; expect: string; payload?: string; passphrase?: string; identities: string[]; armored: boolean; file: string | Uint8Array }

function read(name: string): Vector {
  const raw = readFileSync(join(DIR, name));
  const cut = raw.indexOf('\n\n');
  const h = new Map<string, string[]>();
  for (const line of raw.subarray(0, cut).toString('utf8').split('\n')) {
    const at = line.indexOf(': ');
    h.set(line.slice(0, at), [...(h.get(line.slice(0, at)) ?? []), line.slice(at + 2)]);
  }
  let body = raw.subarray(cut + 2);
  if (h.get('compressed')?.[0] === 'zlib') body = inflateSync(body);
  const armored = h.get('armored')?.[0] === 'yes';
  return {
    name, expect: h.get('expect')![0]!, payload: h.get('payload')?.[0], passphrase: h.get('passphrase')?.[0], identities: h.get('identity') ?? [],
    armored, file: armored ? body.toString('latin1') : new Uint8Array(body),
  };
}

const vectors = readdirSync(DIR).filter((n) => !n.includes('.')).sort().map(read);
const passphraseVectors = vectors.filter((v) => v.passphrase !== undefined);
const identityVectors = vectors.filter((v) => v.passphrase === undefined);

/**
 * Keyrite's narrower rule for recipient shares: every stanza is of one recipient kind (X25519 or
 * mlkem768x25519, exact case), so a header with another stanza type (grease, a lower-case x25519,
 * the testkit's odd-stanza vectors) or both kinds is SHARE_AGE_RECIPIENT_TYPE before any decryption.
 */
const NOT_ONE_RECIPIENT_KIND = new Set([
  'hybrid_and_x25519', 'hybrid_grease', 'hybrid_uppercase', 'x25519_grease', 'x25519_lowercase',
  'stanza_base64_padding', 'stanza_empty_argument', 'stanza_empty_body', 'stanza_empty_last_line', 'stanza_invalid_character', 'stanza_long_line',
  'stanza_missing_body', 'stanza_missing_final_line', 'stanza_multiple_short_lines', 'stanza_not_canonical', 'stanza_spurious_cr', 'stanza_valid_characters',
]);

async function refusal(p: Promise<unknown>): Promise<{ code?: string; message: string }> {
  try {
    await p;
  } catch (e) {
    return e as { code?: string; message: string };
  }
  throw new Error('expected a refusal');
}

/** A payload age opened is not a share envelope: the refusal must come from the envelope, not from age. */
const ENVELOPE_CODES = ['SHARE_EMPTY', 'SHARE_FORMAT', 'SHARE_VERSION'];

describe('C2SP age testkit, passphrase (scrypt) vectors', () => {
  it('holds the vectors (the folder was copied whole)', () => {
    expect(vectors.length).toBe(143);
    expect(passphraseVectors.length).toBe(26);
  });

  it.each(passphraseVectors.map((v) => [v.name, v] as const))('%s', async (_name, v) => {
    const e = await refusal(decryptAgeShare(v.file, v.passphrase!));
    if (v.expect === 'success') {
      expect(ENVELOPE_CODES).toContain(e.code);
      const d = new Decrypter();
      d.addIdentity(new NativeScryptIdentity(v.passphrase!));
      const plain = await d.decrypt(typeof v.file === 'string' ? armor.decode(v.file) : v.file);
      expect(createHash('sha256').update(plain).digest('hex')).toBe(v.payload);
    } else if (v.expect === 'no match') {
      expect(e).toMatchObject({ code: 'SHARE_AGE_PASSPHRASE', message: 'The passphrase does not open this age share.' });
    } else {
      expect(e).toMatchObject({ code: 'SHARE_AGE_FORMAT' });
    }
  });
});

describe('the reason Keyrite\'s scrypt identity gives is in the refusal (what is wrong with the file)', () => {
  it.each([
    ['scrypt_double', 'scrypt recipient is not the only one in the header'],
    ['scrypt_and_x25519', 'scrypt recipient is not the only one in the header'],
    ['scrypt_extra_argument', 'invalid scrypt stanza'],
    ['scrypt_work_factor_leading_zero_decimal', 'invalid scrypt stanza'],
    ['scrypt_long_file_key', 'invalid scrypt stanza'],
    ['scrypt_salt_short', 'invalid scrypt stanza'],
    ['scrypt_salt_long', 'invalid scrypt stanza'],
    ['scrypt_not_canonical_salt', 'invalid scrypt stanza'],
    ['scrypt_work_factor_23', 'scrypt work factor is too high'],
    ['scrypt_work_factor_overflow', 'scrypt work factor is too high'],
  ])('%s: "%s"', async (name, reason) => {
    const v = passphraseVectors.find((x) => x.name === name)!;
    await expect(decryptAgeShare(v.file, v.passphrase!)).rejects.toMatchObject({ code: 'SHARE_AGE_FORMAT', message: `This age file cannot be read (damaged or altered: ${reason}).` });
  });
});

describe('C2SP age testkit, X25519 and post-quantum identity vectors (armor, header, HMAC, stanza, STREAM)', () => {
  it.each(identityVectors.map((v) => [`${v.name} (${v.expect})`, v] as const))('%s', async (_name, v) => {
    const e = await refusal(decryptRecipientShare(v.file, v.identities));
    if (NOT_ONE_RECIPIENT_KIND.has(v.name)) {
      expect(e).toMatchObject({ code: 'SHARE_AGE_RECIPIENT_TYPE' });
    } else if (v.expect === 'success') {
      expect(ENVELOPE_CODES).toContain(e.code);
    } else if (v.expect === 'no match') {
      expect(e).toMatchObject({ code: 'SHARE_AGE_IDENTITY', message: expect.stringContaining('does not open this share') });
    } else {
      expect(e).toMatchObject({ code: 'SHARE_AGE_FORMAT' });
    }
  });

  it('the armored vectors open as text with the space and blank lines a copy adds around them', async () => {
    for (const v of identityVectors.filter((x) => x.armored && x.expect === 'success' && !NOT_ONE_RECIPIENT_KIND.has(x.name))) {
      const e = await refusal(decryptRecipientShare(`\n\n  ${(v.file as string).trim()}  \n\n`, v.identities));
      expect(ENVELOPE_CODES).toContain(e.code);
    }
  });
});
