/**
 * The print channels (print/report, print/share-sheet). Electron main supplies the PrintService
 * (electron/main/printing.ts: hidden locked window, system print dialog, save dialog); core only
 * decides WHAT is printed, so a renderer can never put its own words or HTML on a sheet:
 *   - a report is rendered from the audited folder, verified again here;
 *   - a share sheet is built from main's ceremony run (view + revealShare), given only a name.
 */
import type { CeremonyView, RevealedShare } from '../../contract/index';
import type { PrintOutcome, PrintOutput } from '../../contract/views';
import { renderReportHtml } from '../transcript/report-html';
import { verifyTranscript } from '../transcript/verify';
import { KeyriteError } from '../util/errors';

export interface Fingerprint {
  label: string;
  hex: string;
  /** The same fingerprint as PGP words, read aloud in the room; '' when there are none. */
  words: string;
}

/** Exactly what a share sheet shows (electron/main/print-views.ts lays it out). */
export interface ShareSheet {
  ceremonyId: string;
  custodian: string;
  /** e.g. "Share 2 of 5". */
  shareLabel: string;
  words: readonly string[];
  /** The share as text for a QR code the print view draws itself. */
  qrText?: string;
  /** A QR code already drawn as an SVG document (the runner's), shown as a data: image. */
  qrSvg?: string;
  fingerprints: readonly Fingerprint[];
}

export type SaveOutcome = { saved: false } | { saved: true; path: string };

/** What Electron main provides; absent in the browser harness and the CLI. */
export interface PrintService {
  printShareSheet(sheet: ShareSheet): Promise<boolean>;
  saveShareSheetPdf(sheet: ShareSheet): Promise<SaveOutcome>;
  printReport(reportHtml: string): Promise<boolean>;
  saveReportPdf(reportHtml: string, ceremonyId: string): Promise<SaveOutcome>;
}

/** Main's ceremony run, seen through the ceremony handlers (the only holder of the run). */
export interface ShareSource {
  view(): Promise<CeremonyView | null>;
  reveal(custodian: string): Promise<RevealedShare>;
}

const UNAVAILABLE_ACTION = {
  report: 'Print from the Keyrite desktop app; here, save the report as HTML and print that file.',
  share: 'Print from the Keyrite desktop app; here, the custodian writes the words on their share sheet by hand.',
} as const;

export function printUnavailable(what: keyof typeof UNAVAILABLE_ACTION = 'report'): KeyriteError {
  return new KeyriteError('SERVICE_UNAVAILABLE', 'Printing is not available in this build of Keyrite.', {
    action: UNAVAILABLE_ACTION[what],
  });
}

function outcome(r: boolean | SaveOutcome): PrintOutcome {
  if (typeof r === 'boolean') return { done: r, path: null };
  return r.saved ? { done: true, path: r.path } : { done: false, path: null };
}

/** The key fingerprint the run produced (keygen facts), so the sheet can be matched to its key. */
function keyFingerprint(view: CeremonyView): Fingerprint | null {
  for (const step of view.steps) {
    const i = step.facts.findIndex((f) => f.label === 'Fingerprint (SHA-256)');
    const fact = step.facts[i];
    if (fact) {
      const aloud = step.facts[i + 1];
      return { label: 'Key fingerprint (SHA-256)', hex: fact.value, words: aloud?.label === 'Read aloud' ? aloud.value : '' };
    }
  }
  return null;
}

/** Builds the sheet from the run's own state; refuses unless this custodian's share is on offer. */
export async function shareSheetFor(source: ShareSource, custodian: string): Promise<ShareSheet> {
  const view = await source.view();
  const need = view?.need;
  if (!view || need?.kind !== 'show-share' || need.custodian !== custodian) {
    throw new KeyriteError('SHARE_NOT_OFFERED', `It is not ${custodian}'s turn to receive a share, so there is no sheet to print.`, {
      action: 'Print the sheet during the hand-off, while the ceremony shows this custodian\'s share.',
    });
  }
  if (need.delivery === 'token') {
    throw new KeyriteError('SHARE_DELIVERY_TOKEN', `The script says ${custodian}'s share goes onto their token, not paper.`, {
      action: 'Follow the script: encrypt the share to the custodian\'s token, or record a deviation first.',
    });
  }
  const share = await source.reveal(custodian);
  const fingerprints: Fingerprint[] = [];
  const key = keyFingerprint(view);
  if (key) fingerprints.push(key);
  fingerprints.push({ label: 'Share fingerprint', hex: share.fingerprint, words: '' });
  return {
    ceremonyId: view.ceremonyId,
    custodian: share.custodian,
    shareLabel: `Share ${need.position} of ${need.total}`,
    words: share.words,
    qrSvg: share.qrSvg,
    fingerprints,
  };
}

export async function printShareSheet(print: PrintService | undefined, source: ShareSource, custodian: string, output: PrintOutput): Promise<PrintOutcome> {
  if (!print) throw printUnavailable('share');
  const sheet = await shareSheetFor(source, custodian);
  return outcome(output === 'print' ? await print.printShareSheet(sheet) : await print.saveShareSheetPdf(sheet));
}

/** Verifies the folder again and prints the same report the CLI writes (transcript/report-html). */
export async function printReport(print: PrintService | undefined, dir: string, output: PrintOutput, now: () => Date = () => new Date()): Promise<PrintOutcome> {
  if (!print) throw printUnavailable();
  const report = await verifyTranscript(dir);
  const html = renderReportHtml(report, { generatedAt: now() });
  return outcome(output === 'print' ? await print.printReport(html) : await print.saveReportPdf(html, report.ceremonyId ?? 'transcript'));
}
