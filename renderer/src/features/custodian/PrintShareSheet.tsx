/**
 * "Print share sheet" and "Save share sheet as PDF" on the custodian's show-share screen. Main
 * prints from its own run (print/share-sheet); this only names the custodian. The state belongs to
 * one custodian's turn, so the next custodian never sees the previous one's outcome.
 */
import { useState, type ReactElement } from 'react';
import type { PrintOutput } from '../../api';
import { Banner, Button, ErrorBanner } from '../../components';
import { printShareSheet, sheetNote, type SheetPrintState } from './share-sheet';

export interface SheetPrinting {
  buttons: ReactElement;
  status: ReactElement | null;
  busy: boolean;
}

export function usePrintShareSheet(custodian: string, enabled: boolean): SheetPrinting {
  const [stored, setStored] = useState<{ custodian: string; state: SheetPrintState }>({ custodian, state: { phase: 'idle' } });
  const state: SheetPrintState = stored.custodian === custodian ? stored.state : { phase: 'idle' };

  async function run(output: PrintOutput): Promise<void> {
    setStored({ custodian, state: { phase: 'busy', output } });
    const next = await printShareSheet(custodian, output);
    setStored({ custodian, state: next });
  }

  const busy = state.phase === 'busy';
  const buttons = (
    <div className="panel-actions">
      <Button icon="print" busy={busy && state.output === 'print'} disabled={!enabled || busy} onClick={() => void run('print')}>Print share sheet</Button>
      <Button icon="folder" busy={busy && state.output === 'pdf'} disabled={!enabled || busy} onClick={() => void run('pdf')}>Save share sheet as PDF</Button>
    </div>
  );

  let status: ReactElement | null = null;
  if (state.phase === 'failed') {
    status = <ErrorBanner error={state.error} title={state.output === 'print' ? 'The share sheet could not be printed' : 'The share sheet could not be saved'} />;
  } else {
    const note = sheetNote(state);
    if (note) status = <Banner tone={note.tone} title={note.title}><p className={note.mono ? 'mono wrap-anywhere' : undefined}>{note.text}</p></Banner>;
  }
  return { buttons, status, busy };
}
