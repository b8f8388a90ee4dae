/**
 * The QR payload is RFC 4648 base32 without padding, as docs/SHARES.md says: GNU coreutils'
 * `base32 -d` (an outside decoder) reads it back to the envelope once the padding is restored.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { decodeQrPayload, encodeEnvelope, shareQrPayload } from '../../../electron/core/shares';
import { makeEnvelope } from '../../../electron/core/shares/envelope';
import { QR_PREFIX } from '../../../electron/core/shares/qr';

describe('QR base32', () => {
  it('is unpadded RFC 4648 base32 that coreutils decodes to the envelope; a non-zero spare bit is refused', () => {
    const share = new Uint8Array(randomBytes(33));
    share[32] = 1;
    const env = makeEnvelope({ ceremonyTag: 'a1b2c3d4', splitId: '0badcafe', k: 2, n: 3, share });
    const payload = shareQrPayload(env);
    const b32 = payload.slice(QR_PREFIX.length);
    expect(b32).toMatch(/^[A-Z2-7]+$/);
    const padded = b32 + '='.repeat((8 - (b32.length % 8)) % 8);
    const bytes = execFileSync('base32', ['-d'], { input: padded });
    expect(new Uint8Array(bytes)).toEqual(encodeEnvelope(env));
    expect(decodeQrPayload(payload.toLowerCase())).toEqual(env);
    const last = b32.at(-1)!;
    // The envelope's length leaves spare bits in the last character; setting one must be refused.
    expect(5 * b32.length - 8 * bytes.length).toBeGreaterThan(0);
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
    const bumped = alphabet[alphabet.indexOf(last) ^ 1]!;
    expect(() => decodeQrPayload(QR_PREFIX + b32.slice(0, -1) + bumped)).toThrow(expect.objectContaining({ code: 'SHARE_QR_FORMAT' }));
  });
});
