import { describe, expect, it } from 'vitest';
import type { ErrorData, KeyriteApi, PrintOutcome, PrintOutput, Result } from '../../../electron/contract/index';
import { offersSheet, printShareSheet, sheetNote } from '../../../renderer/src/features/custodian/share-sheet';

/** A fake preload method, put where the renderer finds it (window.keyrite), that records every request it is sent. */
function fakeApi(reply: Result<PrintOutcome> | Error) {
  const sent: unknown[] = [];
  const api: Pick<KeyriteApi, 'printShareSheet'> = {
    printShareSheet: async (req) => {
      sent.push(req);
      if (reply instanceof Error) throw reply;
      return reply;
    },
  };
  (globalThis as unknown as { window: { keyrite: unknown } }).window = { keyrite: api };
  return { sent };
}

function printWith(reply: Result<PrintOutcome> | Error, custodian: string, output: PrintOutput) {
  fakeApi(reply);
  return printShareSheet(custodian, output);
}

const UNAVAILABLE: ErrorData = {
  code: 'SERVICE_UNAVAILABLE',
  message: 'Printing is not available in this build of Keyrite.',
  action: 'Print from the Keyrite desktop app.',
};

describe('custodian share sheet printing', () => {
  it('sends only the custodian and the output, never the words', async () => {
    const { sent } = fakeApi({ ok: true, value: { done: true, path: null } });
    await printShareSheet('Carol', 'print');
    await printShareSheet('Erin', 'pdf');
    expect(sent).toEqual([{ custodian: 'Carol', output: 'print' }, { custodian: 'Erin', output: 'pdf' }]);
  });

  it('reports paper printed, and a saved PDF with the path the person chose', async () => {
    const printed = await printWith({ ok: true, value: { done: true, path: null } }, 'Carol', 'print');
    expect(printed).toEqual({ phase: 'done', output: 'print', path: null });
    expect(sheetNote(printed)?.title).toBe('Share sheet sent to the printer');

    const saved = await printWith({ ok: true, value: { done: true, path: '/media/usb/carol-share.pdf' } }, 'Carol', 'pdf');
    expect(saved).toEqual({ phase: 'done', output: 'pdf', path: '/media/usb/carol-share.pdf' });
    expect(sheetNote(saved)).toEqual({ tone: 'success', title: 'Share sheet saved as PDF', text: '/media/usb/carol-share.pdf', mono: true });
  });

  it('says a closed dialog printed or wrote nothing', async () => {
    const cancelledPrint = await printWith({ ok: true, value: { done: false, path: null } }, 'Carol', 'print');
    expect(cancelledPrint).toEqual({ phase: 'cancelled', output: 'print' });
    expect(sheetNote(cancelledPrint)).toMatchObject({ tone: 'info', title: 'Printing cancelled', text: 'Nothing was printed.' });

    const cancelledPdf = await printWith({ ok: true, value: { done: false, path: null } }, 'Carol', 'pdf');
    expect(sheetNote(cancelledPdf)).toMatchObject({ tone: 'info', title: 'Saving cancelled', text: 'No file was written.' });
  });

  it('keeps the error with its action, and turns a broken bridge into one', async () => {
    const failed = await printWith({ ok: false, error: UNAVAILABLE }, 'Carol', 'pdf');
    expect(failed).toEqual({ phase: 'failed', output: 'pdf', error: UNAVAILABLE });
    expect(sheetNote(failed)).toBeNull();

    const thrown = await printWith(new Error('channel closed'), 'Carol', 'print');
    expect(thrown.phase).toBe('failed');
    if (thrown.phase === 'failed') {
      expect(thrown.error.code).toBe('BRIDGE_FAILED');
      expect(thrown.error.action).toBeTruthy();
    }
  });

  it('offers a sheet for paper only: file and token deliveries never show the words', () => {
    expect(offersSheet('paper')).toBe(true);
    expect(offersSheet('file')).toBe(false);
    expect(offersSheet('token')).toBe(false);
  });
});
