import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { chromium } from 'playwright';
import { makeEnvelope, shareFingerprint } from '../../../electron/core/shares/envelope';
import { encodeShareWords } from '../../../electron/core/shares/words';
import { publicKeyFingerprint } from '../../../electron/core/token/verify';
import { escapeHtml, shareSheetHtml, type ShareSheet } from '../../../electron/main/print-views';
import { PrintDocuments, createPrintService, printOnPaper, renderPdf, safeFileStem, savePdf, type PdfOptions, type PrintWindowLike, type SaveDeps } from '../../../electron/main/printing';
import { PRINT_CSP, routeAppRequest } from '../../../electron/main/protocol';
import { pdfText } from './pdf-text';

function realSheet(): { sheet: ShareSheet; secretHex: string } {
  const share = new Uint8Array(randomBytes(33));
  share[32] = 2;
  const envelope = makeEnvelope({ ceremonyTag: 'a1b2c3d4', splitId: '0badf00d', k: 3, n: 5, share });
  const spki = generateKeyPairSync('ec', { namedCurve: 'P-384' }).publicKey.export({ type: 'spki', format: 'der' });
  const root = publicKeyFingerprint(new Uint8Array(spki));
  return {
    secretHex: Buffer.from(share.subarray(0, 32)).toString('hex'),
    sheet: {
      ceremonyId: 'root-2026-a1b2',
      custodian: 'Ada <Lovelace> & Co',
      shareLabel: 'Share 2 of 5 (any 3 recover the key)',
      words: encodeShareWords(envelope),
      qrText: encodeShareWords(envelope).join(' '),
      fingerprints: [
        { label: 'Root public key (SHA-256)', hex: root.sha256Hex, words: root.pgpWords.join(' ') },
        { label: 'Share fingerprint', hex: shareFingerprint(envelope), words: '' },
      ],
    },
  };
}

class FakePrintWindow implements PrintWindowLike {
  loaded: string[] = [];
  protectedContent = false;
  destroyed = false;
  constructor(
    private readonly docs: PrintDocuments,
    private readonly printResult: [boolean, string] = [true, ''],
  ) {}
  async loadURL(url: string): Promise<void> {
    const route = routeAppRequest(url, '/nowhere');
    if (route.kind !== 'print' || this.docs.get(route.id) === undefined) throw new Error(`not a live print document: ${url}`);
    this.loaded.push(this.docs.get(route.id) ?? '');
  }
  setContentProtection(enable: boolean): void {
    this.protectedContent = enable;
  }
  destroy(): void {
    this.destroyed = true;
  }
  webContents = {
    printToPDF: async (_o: PdfOptions) => new TextEncoder().encode(`%PDF-1.4 ${this.loaded.join('')}`),
    print: (_o: unknown, cb: (ok: boolean, reason: string) => void) => cb(...this.printResult),
  };
}

function deps(printResult?: [boolean, string]): SaveDeps & { windows: FakePrintWindow[]; written: Array<[string, Uint8Array]>; dialogs: number; answer: { canceled: boolean; filePath?: string } } {
  const documents = new PrintDocuments();
  const d = {
    documents,
    windows: [] as FakePrintWindow[],
    written: [] as Array<[string, Uint8Array]>,
    dialogs: 0,
    answer: { canceled: true } as { canceled: boolean; filePath?: string },
    openPrintWindow: () => {
      const w = new FakePrintWindow(documents, printResult);
      d.windows.push(w);
      return w;
    },
    showSaveDialog: async () => {
      d.dialogs += 1;
      return d.answer;
    },
    writeFile: async (path: string, data: Uint8Array) => void d.written.push([path, data]),
  };
  return d;
}

describe('print views', () => {
  it('render to PDF in a protected, single-use window and forget the document afterwards', async () => {
    const d = deps();
    const pdf = await renderPdf(d, '<p>sheet</p>');
    expect(new TextDecoder().decode(pdf)).toBe('%PDF-1.4 <p>sheet</p>');
    expect(d.windows).toHaveLength(1);
    expect(d.windows[0]?.protectedContent).toBe(true);
    expect(d.windows[0]?.destroyed).toBe(true);
    expect(d.documents.size).toBe(0);
  });

  it('are torn down even when rendering fails', async () => {
    const d = deps();
    d.openPrintWindow = () => {
      const w = new FakePrintWindow(d.documents);
      w.webContents.printToPDF = async () => {
        throw new Error('renderer gone');
      };
      d.windows.push(w);
      return w;
    };
    await expect(renderPdf(d, '<p>x</p>')).rejects.toThrow('renderer gone');
    expect(d.windows[0]?.destroyed).toBe(true);
    expect(d.documents.size).toBe(0);
  });

  it('write a share sheet to disk only after the custodian picks a file', async () => {
    const d = deps();
    d.answer = { canceled: true };
    await expect(savePdf(d, '<p>share</p>', 'share-ada.pdf')).resolves.toEqual({ saved: false });
    expect(d.windows).toHaveLength(0);
    expect(d.written).toHaveLength(0);

    d.answer = { canceled: false, filePath: '/media/usb/share-ada.pdf' };
    await expect(savePdf(d, '<p>share</p>', 'share-ada.pdf')).resolves.toEqual({ saved: true, path: '/media/usb/share-ada.pdf' });
    expect(d.written.map(([p]) => p)).toEqual(['/media/usb/share-ada.pdf']);
    expect(d.dialogs).toBe(2);
  });

  it('print on paper: cancel is not an error, a printer failure is', async () => {
    await expect(printOnPaper(deps([true, '']), '<p>x</p>')).resolves.toBe(true);
    await expect(printOnPaper(deps([false, 'cancelled']), '<p>x</p>')).resolves.toBe(false);
    await expect(printOnPaper(deps([false, 'Printer offline']), '<p>x</p>')).rejects.toMatchObject({ code: 'PRINT_FAILED' });
  });
});

describe('print service', () => {
  it('saves a share sheet under a safe suggested name only when the custodian picks a file', async () => {
    const d = deps();
    const names: string[] = [];
    d.showSaveDialog = async (o) => {
      names.push(o.defaultPath);
      return { canceled: false, filePath: '/media/usb/sheet.pdf' };
    };
    const { sheet } = realSheet();
    await expect(createPrintService(d).saveShareSheetPdf(sheet)).resolves.toEqual({ saved: true, path: '/media/usb/sheet.pdf' });
    expect(names).toEqual(['share-root-2026-a1b2-Ada_Lovelace_Co.pdf']);
    expect(new TextDecoder().decode(d.written[0]?.[1])).toContain(sheet.words[0]);
    expect(safeFileStem('../../etc/passwd')).toBe('etc_passwd');
  });
});

describe('share sheet document', () => {
  it('escapes every field and carries no script', async () => {
    const { sheet } = realSheet();
    const html = await shareSheetHtml({ ...sheet, custodian: '<script>alert(1)</script>' });
    expect(html).not.toMatch(/<script/i);
    expect(html).toContain('&lt;script&gt;');
    expect(escapeHtml(`a&b<c>"d'`)).toBe('a&amp;b&lt;c&gt;&quot;d&#39;');
  });

  it('shows the runner\'s QR SVG as a data: image, never as inline markup', async () => {
    const { sheet } = realSheet();
    const svg = '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script><rect width="1" height="1"/></svg>';
    const html = await shareSheetHtml({ ...sheet, qrText: undefined, qrSvg: svg });
    expect(html).toContain(`src="data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}"`);
    expect(html).not.toMatch(/<svg|<script/i);
  });

  it('renders in Chromium under the print CSP to a one-page PDF whose text holds the words and fingerprints, not the raw share', async () => {
    const { sheet, secretHex } = realSheet();
    const html = await shareSheetHtml(sheet);
    const browser = await chromium.launch({ executablePath: process.env.KEYRITE_CHROMIUM ?? '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
    try {
      const page = await browser.newPage();
      const otherRequests: string[] = [];
      await page.route('**/*', async (route) => {
        if (route.request().url() === 'https://print.keyrite.invalid/sheet') {
          await route.fulfill({ status: 200, body: html, headers: { 'content-type': 'text/html; charset=utf-8', 'content-security-policy': PRINT_CSP } });
        } else {
          otherRequests.push(route.request().url());
          await route.abort();
        }
      });
      await page.goto('https://print.keyrite.invalid/sheet');
      const text = await page.innerText('body');
      for (const w of sheet.words) expect(text).toContain(w);
      for (const f of sheet.fingerprints) {
        expect(text).toContain(f.hex);
        if (f.words) expect(text).toContain(f.words);
      }
      expect(text).toContain(sheet.custodian);
      expect(text.toLowerCase()).not.toContain(secretHex);
      expect(await page.locator('.qr svg').count()).toBe(1);
      expect(otherRequests).toEqual([]);
      const pdf = await page.pdf({ format: 'A4', printBackground: true });
      expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
      const printed = pdfText(pdf);
      expect(printed.pages).toBe(1);
      // Long hex wraps across lines on paper: compare without whitespace.
      const squeezed = printed.text.replace(/\s+/g, '');
      for (const w of sheet.words) expect(printed.text).toContain(w);
      for (const f of sheet.fingerprints) {
        expect(squeezed).toContain(f.hex);
        expect(squeezed).toContain(f.words.replace(/\s+/g, ''));
      }
      expect(printed.text).toContain(sheet.custodian);
      expect(squeezed.toLowerCase()).not.toContain(secretHex);
    } finally {
      await browser.close();
    }
  }, 60_000);
});
