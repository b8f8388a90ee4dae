/**
 * The age v1 scrypt recipient and identity (age spec, "scrypt recipient stanza"), computed with
 * Node's native scrypt on the libuv thread pool. age-encryption's own passphrase path runs a
 * JavaScript scrypt synchronously: seconds with the event loop blocked (Electron's main process
 * included). The stanza is byte-for-byte the standard one, so any age tool opens these files and
 * this identity opens theirs. The 32-byte file-key wrap uses @noble/ciphers (age-encryption's own
 * dependency), because Electron's BoringSSL has no chacha20-poly1305 in createCipheriv.
 */
import { randomBytes, scrypt } from 'node:crypto';
import { chacha20poly1305 } from '@noble/ciphers/chacha.js';
import { scryptAsync } from '@noble/hashes/scrypt.js';
import { base64nopad } from '@scure/base';
import { Stanza, type Identity, type Recipient } from 'age-encryption';

const LABEL = 'age-encryption.org/v1/scrypt';
/** age's own ceiling: a file may not make the reader spend more than this (2^20 iterations, 1 GiB). */
export const MAX_LOG_N = 20;
const NONCE = new Uint8Array(12);

function nativeScrypt(password: Buffer, salt: Buffer, N: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(password, salt, 32, { N, r: 8, p: 1, maxmem: 256 * N * 8 }, (err, key) => (err ? reject(err) : resolve(key)));
  });
}

async function deriveKey(passphrase: string, salt: Uint8Array, logN: number): Promise<Uint8Array> {
  // Buffer.from encodes a string as UTF-8.
  const labelAndSalt = Buffer.concat([Buffer.from(LABEL), salt]);
  const password = Buffer.from(passphrase);
  const N = 2 ** logN;
  try {
    return await nativeScrypt(password, labelAndSalt, N);
  } catch {
    // A runtime whose crypto lacks scrypt (an embedder's TLS library): the JavaScript one, which yields between blocks.
    return await scryptAsync(password, labelAndSalt, { N, r: 8, p: 1, dkLen: 32, asyncTick: 10 });
  } finally {
    password.fill(0);
  }
}

export class NativeScryptRecipient implements Recipient {
  constructor(private readonly passphrase: string, private readonly logN: number) {}

  async wrapFileKey(fileKey: Uint8Array): Promise<Stanza[]> {
    const salt = randomBytes(16);
    const key = await deriveKey(this.passphrase, salt, this.logN);
    try {
      return [new Stanza(['scrypt', base64nopad.encode(salt), String(this.logN)], chacha20poly1305(key, NONCE).encrypt(fileKey))];
    } finally {
      key.fill(0);
    }
  }
}

export class NativeScryptIdentity implements Identity {
  constructor(private readonly passphrase: string) {}

  async unwrapFileKey(stanzas: Stanza[]): Promise<Uint8Array | null> {
    for (const s of stanzas) {
      if (s.args[0] !== 'scrypt') continue;
      // As the age spec requires: a passphrase file has exactly one recipient.
      if (stanzas.length !== 1) throw new Error('scrypt recipient is not the only one in the header');
      if (s.args.length !== 3 || !/^[1-9][0-9]*$/.test(s.args[2]!) || s.body.length !== 32) throw new Error('invalid scrypt stanza');
      // Node's base64 decoder is lenient: encoding the salt again gives back the argument only when it was canonical.
      const salt = Buffer.from(s.args[1]!, 'base64');
      if (salt.length !== 16 || base64nopad.encode(salt) !== s.args[1]) throw new Error('invalid scrypt stanza');
      const logN = Number(s.args[2]);
      if (logN > MAX_LOG_N) throw new Error('scrypt work factor is too high');
      const key = await deriveKey(this.passphrase, salt, logN);
      try {
        return chacha20poly1305(key, NONCE).decrypt(s.body);
      } catch {
        return null;
      } finally {
        key.fill(0);
      }
    }
    return null;
  }
}

/** age's default passphrase work factor (logN 18: 2^18 iterations, 256 MiB). */
export const DEFAULT_SCRYPT_LOG_N = 18;
