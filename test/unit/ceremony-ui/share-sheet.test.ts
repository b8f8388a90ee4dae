import { describe, expect, it } from 'vitest';
import type { ErrorData, PrintOutcome, Result } from '../../../electron/contract/index';
import { offersSheet, printShareSheet, sheetNote, type ShareSheetApi } from '../../../renderer/src/features/custodian/share-sheet';

/** A fake preload method that records every request it is sent. */
function fakeApi(reply: Result<PrintOutcome> | Error) {
  const sent: unknown[] = [];
  const api: ShareSheetApi = {
    printShareSheet: async (req) => {
      sent.push(req);
      if (reply instanceof Error) throw reply;
      return reply;
    },
  };
  return { api, sent };
}

const UNAVAILABLE: ErrorData = {
  code: 'SERVICE_UNAVAILABLE',
  message: 'Printing is not available in this build of Keyrite.',
  action: 'Print from the Keyrite desktop app.',
};

describe('custodian share sheet printing', () => {
  it('sends only the custodian and the output, never the words', async () => {
    const { api, sent } = fakeApi({ ok: true, value: { done: true, path: null } });
    await printShareSheet(api, 'Carol', 'print');
    await printShareSheet(api, 'Erin', 'pdf');
    expect(sent).toEqual([{ custodian: 'Carol', output: 'print' }, { custodian: 'Erin', output: 'pdf' }]);
  });

  it('reports paper printed, and a saved PDF with the path the person chose', async () => {
    const printed = await printShareSheet(fakeApi({ ok: true, value: { done: true, path: null } }).api, 'Carol', 'print');
    expect(printed).toEqual({ phase: 'done', output: 'print', path: null });
    expect(sheetNote(printed)?.title).toBe('Share sheet sent to the printer');

    const saved = await printShareSheet(fakeApi({ ok: true, value: { done: true, path: '/media/usb/carol-share.pdf' } }).api, 'Carol', 'pdf');
    expect(saved).toEqual({ phase: 'done', output: 'pdf', path: '/media/usb/carol-share.pdf' });
    expect(sheetNote(saved)).toEqual({ tone: 'success', title: 'Share sheet saved as PDF', text: '/media/usb/carol-share.pdf', mono: true });
  });

  it('says a closed dialog printed or wrote nothing', async () => {
    const cancelledPrint = await printShareSheet(fakeApi({ ok: true, value: { done: false, path: null } }).api, 'Carol', 'print');
    expect(cancelledPrint).toEqual({ phase: 'cancelled', output: 'print' });
    expect(sheetNote(cancelledPrint)).toMatchObject({ tone: 'info', title: 'Printing cancelled', text: 'Nothing was printed.' });

    const cancelledPdf = await printShareSheet(fakeApi({ ok: true, value: { done: false, path: null } }).api, 'Carol', 'pdf');
    expect(sheetNote(cancelledPdf)).toMatchObject({ tone: 'info', title: 'Saving cancelled', text: 'No file was written.' });
  });

  it('keeps the error with its action, and turns a broken bridge into one', async () => {
    const failed = await printShareSheet(fakeApi({ ok: false, error: UNAVAILABLE }).api, 'Carol', 'pdf');
    expect(failed).toEqual({ phase: 'failed', output: 'pdf', error: UNAVAILABLE });
    expect(sheetNote(failed)).toBeNull();

    const thrown = await printShareSheet(fakeApi(new Error('channel closed')).api, 'Carol', 'print');
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
