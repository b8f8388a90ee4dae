/**
 * The print views: static HTML documents built in main for a share sheet and for the transcript
 * report. They carry no script (PRINT_CSP forbids it) and exactly the fields passed in, so what a
 * sheet shows is decided here and nowhere else.
 */
import QRCode from 'qrcode';

export interface Fingerprint {
  label: string;
  hex: string;
  /** The same fingerprint as PGP words, read aloud in the room. */
  words: string;
}

export interface ShareSheet {
  ceremonyId: string;
  custodian: string;
  /** e.g. "Share 2 of 5 (any 3 recover the key)". */
  shareLabel: string;
  /** The share as words, numbered on the sheet. */
  words: readonly string[];
  /** The share in the form the QR code carries (the envelope text); omitted for words-only sheets. */
  qrText?: string;
  fingerprints: readonly Fingerprint[];
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);
}

const PAGE_STYLE = `
  @page { size: A4; margin: 18mm; }
  body { font-family: sans-serif; color: #000; font-size: 11pt; }
  h1 { font-size: 16pt; margin: 0 0 4mm; }
  .meta { margin: 0 0 6mm; }
  ol.words { columns: 3; font-family: monospace; font-size: 12pt; padding-left: 8mm; }
  ol.words li { margin: 1mm 0; }
  .qr svg { width: 60mm; height: 60mm; }
  .fp { font-family: monospace; word-break: break-all; }
  .note { margin-top: 8mm; font-size: 9pt; }
`;

function page(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title><style>${PAGE_STYLE}</style></head><body>${body}</body></html>`;
}

export async function shareSheetHtml(sheet: ShareSheet): Promise<string> {
  const words = sheet.words.map((w) => `<li>${escapeHtml(w)}</li>`).join('');
  const qr = sheet.qrText === undefined ? '' : `<div class="qr">${await QRCode.toString(sheet.qrText, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 })}</div>`;
  const fps = sheet.fingerprints
    .map((f) => `<dt>${escapeHtml(f.label)}</dt><dd class="fp">${escapeHtml(f.hex)}</dd><dd>${escapeHtml(f.words)}</dd>`)
    .join('');
  const body = `
    <h1>Keyrite key share</h1>
    <p class="meta">Ceremony <b>${escapeHtml(sheet.ceremonyId)}</b><br>Custodian <b>${escapeHtml(sheet.custodian)}</b><br>${escapeHtml(sheet.shareLabel)}</p>
    <ol class="words">${words}</ol>
    ${qr}
    <dl>${fps}</dl>
    <p class="note">Keep this sheet sealed. Check the fingerprints against the ceremony transcript before using the share.</p>`;
  return page(`Share for ${sheet.custodian}`, body);
}

/**
 * The transcript report (core/transcript writes it as a standalone HTML file) printed as is; the
 * print CSP still applies, so any script in it does not run.
 */
export function reportPrintHtml(reportHtml: string): string {
  return reportHtml;
}
