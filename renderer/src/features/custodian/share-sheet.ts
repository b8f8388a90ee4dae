/**
 * The custodian's "Print share sheet" / "Save share sheet as PDF" outcome, kept apart from React so
 * the rules are unit-tested: only the custodian's name and the output go to main, which reads the
 * words, QR and fingerprint from its own run. The renderer never sends (or keeps) the words.
 */
import type { ErrorData, PrintOutput } from '../../api';
import { callKeyrite } from '../../store/request';

export type SheetPrintState =
  | { phase: 'idle' }
  | { phase: 'busy'; output: PrintOutput }
  | { phase: 'done'; output: PrintOutput; path: string | null }
  | { phase: 'cancelled'; output: PrintOutput }
  | { phase: 'failed'; output: PrintOutput; error: ErrorData };

/**
 * Only a paper delivery has a sheet: a file or token delivery never shows the words, so there is
 * nothing for Keyrite to print (main refuses it too).
 */
export function offersSheet(delivery: 'paper' | 'file' | 'token'): boolean {
  return delivery === 'paper';
}

export async function printShareSheet(custodian: string, output: PrintOutput): Promise<SheetPrintState> {
  const r = await callKeyrite((api) => api.printShareSheet({ custodian, output }));
  if (!r.ok) return { phase: 'failed', output, error: r.error };
  // done: false means the person closed the print or save dialog: nothing was printed or written.
  return r.value.done ? { phase: 'done', output, path: r.value.path } : { phase: 'cancelled', output };
}

export interface SheetNote {
  tone: 'success' | 'info';
  title: string;
  text: string;
  /** A file path: shown in monospace, wrapping anywhere. */
  mono: boolean;
}

/** What the screen says after a finished attempt; failures are shown by ErrorBanner instead. */
export function sheetNote(state: SheetPrintState): SheetNote | null {
  if (state.phase === 'cancelled') {
    return state.output === 'print'
      ? { tone: 'info', title: 'Printing cancelled', text: 'Nothing was printed.', mono: false }
      : { tone: 'info', title: 'Saving cancelled', text: 'No file was written.', mono: false };
  }
  if (state.phase !== 'done') return null;
  if (state.path === null) {
    return { tone: 'success', title: 'Share sheet sent to the printer', text: 'Collect the page yourself, now, before anyone else comes to the printer.', mono: false };
  }
  return { tone: 'success', title: 'Share sheet saved as PDF', text: state.path, mono: true };
}
