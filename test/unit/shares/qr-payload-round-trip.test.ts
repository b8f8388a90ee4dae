/**
 * The QR code on a share sheet round-trips: the PNG Keyrite renders, read by an outside decoder
 * (zbar's zbarimg, Debian package zbar-tools), is the payload, and the payload decodes to the
 * share. Text that is not a Keyrite share (another prefix, another version, characters outside
 * base32, bytes that are not an envelope) is refused with a typed error saying what to do.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { base32nopad } from '@scure/base';
import QRCode from 'qrcode';
import { describe, expect, it } from 'vitest';
import { decodeQrPayload, QR_PREFIX, renderShareQrPngDataUrl, shareQrPayload } from '../../../electron/core/shares/qr';
import { encodeEnvelope, type ShareEnvelope } from '../../../electron/core/shares/envelope';
import { softBackup } from './fixtures';

const shares = softBackup({ k: 2, custodians: ['alice', 'bob', 'carol'] }).then((b) => b.shares);

function pngSize(png: Buffer): { width: number; height: number } {
  expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

describe('the QR image', () => {
  it('zbarimg reads the rendered PNG back as the payload, which decodes to the share', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'keyrite-qr-'));
    try {
      for (const e of await shares) {
        const url = await renderShareQrPngDataUrl(e);
        expect(url.startsWith('data:image/png;base64,')).toBe(true);
        const png = Buffer.from(url.slice('data:image/png;base64,'.length), 'base64');
        const f = join(dir, 'share.png');
        writeFileSync(f, png);
        // zbarimg is required (CI installs zbar-tools): a missing decoder fails this test, it is not skipped.
        const read = execFileSync('zbarimg', ['--raw', '-q', '--nodbus', f], { encoding: 'utf8' }).replace(/\n$/, '');
        expect(read).toBe(shareQrPayload(e));
        expect(decodeQrPayload(read)).toEqual(e);
        // Error correction M, a 4-module quiet zone, 6 pixels a module: large enough for a phone to scan off a screen.
        const modules = QRCode.create(read, { errorCorrectionLevel: 'M' }).modules.size;
        expect(pngSize(png)).toEqual({ width: (modules + 8) * 6, height: (modules + 8) * 6 });
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('text that is not a share', () => {
  const notKeyrite = { code: 'SHARE_QR_FORMAT', message: `This QR code is not a Keyrite share (it should start with "${QR_PREFIX}").`, action: 'Scan the QR code printed on the share sheet.' };

  it('another prefix or version is refused even when the rest is a share', async () => {
    const e = (await shares)[0] as ShareEnvelope;
    const b32 = base32nopad.encode(encodeEnvelope(e));
    expect(decodeQrPayload(` ${QR_PREFIX}${b32}\n`)).toEqual(e);
    for (const text of [`KRS2:${b32}`, `KRS0:${b32}`, `XXXX:${b32}`, b32, `https://example.org/${b32}`, '']) {
      expect(() => decodeQrPayload(text)).toThrow(expect.objectContaining(notKeyrite));
    }
  });

  it('characters outside base32 name the problem and ask for a rescan', () => {
    for (const text of [`${QR_PREFIX}0189`, `${QR_PREFIX}AB=CD`, `${QR_PREFIX}AB CD`, `${QR_PREFIX}ABCDEFGH=`]) {
      expect(() => decodeQrPayload(text)).toThrow(expect.objectContaining({
        code: 'SHARE_QR_FORMAT', message: 'The QR code text holds characters that cannot be part of a share.', action: 'Scan the code again, flat and well lit.',
      }));
    }
  });

  it('base32 of bytes that are not an envelope is a typed share error', () => {
    expect(() => decodeQrPayload(QR_PREFIX + base32nopad.encode(new Uint8Array(40)))).toThrow(expect.objectContaining({ code: expect.stringMatching(/^SHARE_/) }));
  });
});
