import { base32nopad } from '@scure/base';
import QRCode from 'qrcode';
import { shareError } from './errors';
import { decodeEnvelope, encodeEnvelope, type ShareEnvelope } from './envelope';

/**
 * QR payload: "KRS1:" then the envelope in RFC 4648 base32 (upper case, no padding). Every
 * character is in QR's alphanumeric set, which keeps the symbol small enough to scan off paper.
 */
export const QR_PREFIX = 'KRS1:';

/** RFC 4648 base32 without padding ('=' is outside QR's alphanumeric set), strict: non-zero trailing bits are refused. */
function unbase32(s: string): Uint8Array | undefined {
  try {
    return base32nopad.decode(s);
  } catch {
    return undefined;
  }
}

export function shareQrPayload(e: ShareEnvelope): string {
  return QR_PREFIX + base32nopad.encode(encodeEnvelope(e));
}

/** Decodes the text a QR scanner read from a share sheet. */
export function decodeQrPayload(text: string): ShareEnvelope {
  // Some scanners and people change the case of alphanumeric QR text; base32 does not care.
  const t = text.trim().toUpperCase();
  if (!t.startsWith(QR_PREFIX)) {
    throw shareError('SHARE_QR_FORMAT', `This QR code is not a Keyrite share (it should start with "${QR_PREFIX}").`, 'Scan the QR code printed on the share sheet.');
  }
  const bytes = unbase32(t.slice(QR_PREFIX.length));
  if (!bytes) {
    throw shareError('SHARE_QR_FORMAT', 'The QR code text holds characters that cannot be part of a share.', 'Scan the code again, flat and well lit.');
  }
  return decodeEnvelope(bytes);
}

const QR_OPTIONS = { errorCorrectionLevel: 'M' as const, margin: 4 };

/** SVG for the share sheet (print) and the custodian's screen. */
export async function renderShareQrSvg(e: ShareEnvelope): Promise<string> {
  return QRCode.toString(shareQrPayload(e), { ...QR_OPTIONS, type: 'svg' });
}

/** PNG data URL, for screens that show an <img>. */
export async function renderShareQrPngDataUrl(e: ShareEnvelope): Promise<string> {
  return QRCode.toDataURL(shareQrPayload(e), { ...QR_OPTIONS, type: 'image/png', scale: 6 });
}
