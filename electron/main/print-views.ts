/**
 * The print views: static HTML documents built in main for a share sheet and for the transcript
 * report. They carry no script (PRINT_CSP forbids it) and exactly the fields passed in, so what a
 * sheet shows is decided here and nowhere else.
 */
import QRCode from 'qrcode';
import type { ShareSheet } from '../core/ipc/print-handlers';

// The sheet's fields are decided in core (electron/core/ipc/print-handlers.ts), from main's run.
export type { Fingerprint, ShareSheet } from '../core/ipc/print-handlers';

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
  .qr svg, .qr img { width: 60mm; height: 60mm; }
  .fp { font-family: monospace; word-break: break-all; }
  .note { margin-top: 8mm; font-size: 9pt; }
`;

function page(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title><style>${PAGE_STYLE}</style></head><body>${body}</body></html>`;
}

/** The runner's QR goes in as a data: image (the print CSP allows only those), never inline markup. */
async function qrHtml(sheet: ShareSheet): Promise<string> {
  if (sheet.qrSvg !== undefined) {
    const src = `data:image/svg+xml;base64,${Buffer.from(sheet.qrSvg, 'utf8').toString('base64')}`;
    return `<div class="qr"><img alt="QR code of the share" src="${src}"></div>`;
  }
  if (sheet.qrText === undefined) return '';
  return `<div class="qr">${await QRCode.toString(sheet.qrText, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 })}</div>`;
}

export async function shareSheetHtml(sheet: ShareSheet): Promise<string> {
  const words = sheet.words.map((w) => `<li>${escapeHtml(w)}</li>`).join('');
  const qr = await qrHtml(sheet);
  const fps = sheet.fingerprints
    .map((f) => `<dt>${escapeHtml(f.label)}</dt><dd class="fp">${escapeHtml(f.hex)}</dd>${f.words ? `<dd>${escapeHtml(f.words)}</dd>` : ''}`)
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
