/**
 * Printing and PDF export from dedicated print views: a hidden, locked-down window with no preload
 * loads an in-memory document from app://keyrite/print/<id>, and is destroyed afterwards. A share
 * sheet is written to disk only by savePdf, which runs only after the custodian chose a file in the
 * save dialog.
 */
import { randomBytes } from 'node:crypto';
import { KeyriteError } from '../core/util/errors';
import type { PrintService, SaveOutcome } from '../core/ipc/print-handlers';
import { reportPrintHtml, shareSheetHtml } from './print-views';
import { APP_ORIGIN, PRINT_PATH_PREFIX } from './protocol';

/** In-memory print documents, served once by the app protocol and dropped when the print ends. */
export class PrintDocuments {
  private readonly docs = new Map<string, string>();
  put(html: string): string {
    const id = randomBytes(16).toString('hex');
    this.docs.set(id, html);
    return id;
  }
  get(id: string): string | undefined {
    return this.docs.get(id);
  }
  delete(id: string): void {
    this.docs.delete(id);
  }
  get size(): number {
    return this.docs.size;
  }
}

export interface PdfOptions {
  pageSize: 'A4' | 'Letter';
  printBackground: boolean;
}

/** The parts of a BrowserWindow a print view uses. */
export interface PrintWindowLike {
  loadURL(url: string): Promise<void>;
  setContentProtection(enable: boolean): void;
  destroy(): void;
  webContents: {
    printToPDF(options: PdfOptions): Promise<Uint8Array>;
    print(options: { silent: boolean; printBackground: boolean }, callback: (success: boolean, failureReason: string) => void): void;
  };
}

export interface PrintDeps {
  documents: PrintDocuments;
  /** Makes a hidden locked window with no preload (window.ts newLockedWindow). */
  openPrintWindow(): PrintWindowLike;
}

async function withPrintView<T>(deps: PrintDeps, html: string, use: (win: PrintWindowLike) => Promise<T>): Promise<T> {
  const id = deps.documents.put(html);
  const win = deps.openPrintWindow();
  try {
    // Screen capture must not pick up a share while it is laid out.
    win.setContentProtection(true);
    await win.loadURL(`${APP_ORIGIN}${PRINT_PATH_PREFIX}${id}`);
    return await use(win);
  } finally {
    deps.documents.delete(id);
    win.destroy();
  }
}

export const PDF_OPTIONS: PdfOptions = { pageSize: 'A4', printBackground: true };

/** Renders a document to PDF bytes in memory. */
export function renderPdf(deps: PrintDeps, html: string): Promise<Uint8Array> {
  return withPrintView(deps, html, (win) => win.webContents.printToPDF(PDF_OPTIONS));
}

/** Opens the system print dialog for a document; resolves false when the person cancelled. */
export function printOnPaper(deps: PrintDeps, html: string): Promise<boolean> {
  return withPrintView(
    deps,
    html,
    (win) =>
      new Promise<boolean>((resolve, reject) => {
        win.webContents.print({ silent: false, printBackground: true }, (success, reason) => {
          if (success || reason === 'cancelled') resolve(success);
          else reject(new KeyriteError('PRINT_FAILED', `Printing failed: ${reason}.`, { action: 'Check the printer is connected and on, then print again.' }));
        });
      }),
  );
}

export interface SaveDeps extends PrintDeps {
  showSaveDialog(options: { title: string; defaultPath: string; filters: Array<{ name: string; extensions: string[] }> }): Promise<{ canceled: boolean; filePath?: string }>;
  /** Durable write that refuses to overwrite (core/util/fs-durable). */
  writeFile(path: string, data: Uint8Array): Promise<void>;
}

export type { PrintService, SaveOutcome };

/** Asks where to save first; nothing is rendered or written if the custodian cancels. */
export async function savePdf(deps: SaveDeps, html: string, suggestedName: string): Promise<SaveOutcome> {
  const choice = await deps.showSaveDialog({ title: 'Save as PDF', defaultPath: suggestedName, filters: [{ name: 'PDF', extensions: ['pdf'] }] });
  if (choice.canceled || choice.filePath === undefined || choice.filePath === '') return { saved: false };
  const pdf = await renderPdf(deps, html);
  await deps.writeFile(choice.filePath, pdf);
  return { saved: true, path: choice.filePath };
}

export function safeFileStem(text: string): string {
  return text.replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^[._]+/, '').slice(0, 80) || 'keyrite';
}

export function createPrintService(deps: SaveDeps): PrintService {
  return {
    printShareSheet: async (sheet) => printOnPaper(deps, await shareSheetHtml(sheet)),
    saveShareSheetPdf: async (sheet) => savePdf(deps, await shareSheetHtml(sheet), `share-${safeFileStem(sheet.ceremonyId)}-${safeFileStem(sheet.custodian)}.pdf`),
    printReport: (html) => printOnPaper(deps, reportPrintHtml(html)),
    saveReportPdf: (html, ceremonyId) => savePdf(deps, reportPrintHtml(html), `report-${safeFileStem(ceremonyId)}.pdf`),
  };
}
