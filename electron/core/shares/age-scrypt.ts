/**
 * The age v1 scrypt recipient and identity (age spec, "scrypt recipient stanza"), computed with
 * Node's native scrypt on the libuv thread pool. age-encryption's own passphrase path runs a
 * JavaScript scrypt synchronously: seconds with the event loop blocked (Electron's main process
 * included). The stanza is byte-for-byte the standard one, so any age tool opens these files and
 * this identity opens theirs.
 */
import { createCipheriv, createDecipheriv, randomBytes, scrypt } from 'node:crypto';
import { Stanza, type Identity, type Recipient } from 'age-encryption';

const LABEL = 'age-encryption.org/v1/scrypt';
/** age's own ceiling: a file may not make the reader spend more than this. */
const MAX_LOG_N = 20;
const NONCE = Buffer.alloc(12);

function b64NoPad(b: Uint8Array): string {
  return Buffer.from(b).toString('base64').replace(/=+$/, '');
}

function deriveKey(passphrase: string, salt: Uint8Array, logN: number): Promise<Buffer> {
  const labelAndSalt = Buffer.concat([Buffer.from(LABEL, 'utf8'), salt]);
  const N = 2 ** logN;
  return new Promise((resolve, reject) => {
    scrypt(Buffer.from(passphrase, 'utf8'), labelAndSalt, 32, { N, r: 8, p: 1, maxmem: 256 * N * 8 }, (err, key) => (err ? reject(err) : resolve(key)));
  });
}

export class NativeScryptRecipient implements Recipient {
  constructor(private readonly passphrase: string, private readonly logN: number) {}

  async wrapFileKey(fileKey: Uint8Array): Promise<Stanza[]> {
    const salt = randomBytes(16);
    const key = await deriveKey(this.passphrase, salt, this.logN);
    try {
      const c = createCipheriv('chacha20-poly1305', key, NONCE, { authTagLength: 16 });
      const body = Buffer.concat([c.update(fileKey), c.final(), c.getAuthTag()]);
      return [new Stanza(['scrypt', b64NoPad(salt), String(this.logN)], new Uint8Array(body))];
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
      if (s.args.length !== 3 || !/^[1-9][0-9]*$/.test(s.args[2] ?? '') || s.body.length !== 32) throw new Error('invalid scrypt stanza');
      const salt = Buffer.from(s.args[1] ?? '', 'base64');
      if (salt.length !== 16 || b64NoPad(salt) !== s.args[1]) throw new Error('invalid scrypt stanza');
      const logN = Number(s.args[2]);
      if (logN > MAX_LOG_N) throw new Error('scrypt work factor is too high');
      const key = await deriveKey(this.passphrase, salt, logN);
      try {
        const d = createDecipheriv('chacha20-poly1305', key, NONCE, { authTagLength: 16 });
        d.setAuthTag(s.body.subarray(16));
        return new Uint8Array(Buffer.concat([d.update(s.body.subarray(0, 16)), d.final()]));
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
