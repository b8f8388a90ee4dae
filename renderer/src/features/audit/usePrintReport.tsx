/**
 * "Print report" and "Save as PDF" on the audit screen, through the print/report channel: main
 * verifies the folder again and prints its own rendering of the report in a hidden locked window,
 * so nothing the page shows is trusted onto paper. State is local: it belongs to one report.
 */
import { useState, type ReactElement } from 'react';
import type { ErrorData, PrintOutput } from '../../api';
import { Banner, Button, ErrorBanner } from '../../components';
import { callKeyrite } from '../../store';

type PrintState =
  | { phase: 'idle' }
  | { phase: 'busy'; output: PrintOutput }
  | { phase: 'done'; output: PrintOutput; path: string | null }
  | { phase: 'cancelled'; output: PrintOutput }
  | { phase: 'failed'; error: ErrorData };

export function usePrintReport(dir: string): { buttons: ReactElement; status: ReactElement | null } {
  const [printed, setState] = useState<PrintState & { dir?: string }>({ phase: 'idle' });
  // A status belongs to the report it was printed from, not to the next folder verified.
  const state: PrintState = printed.dir === dir ? printed : { phase: 'idle' };

  async function run(output: PrintOutput): Promise<void> {
    setState({ phase: 'busy', output, dir });
    const r = await callKeyrite((api) => api.printReport({ dir, output }));
    if (!r.ok) setState({ phase: 'failed', error: r.error, dir });
    else setState(r.value.done ? { phase: 'done', output, path: r.value.path, dir } : { phase: 'cancelled', output, dir });
  }

  const busy = state.phase === 'busy';
  const buttons = (
    <>
      <Button icon="print" busy={busy && state.output === 'print'} disabled={busy} onClick={() => void run('print')}>Print report</Button>
      <Button icon="folder" busy={busy && state.output === 'pdf'} disabled={busy} onClick={() => void run('pdf')}>Save as PDF</Button>
    </>
  );

  let status: ReactElement | null = null;
  if (state.phase === 'failed') status = <div className="no-print"><ErrorBanner error={state.error} title="The report could not be printed" /></div>;
  else if (state.phase === 'cancelled') {
    status = <Banner tone="info" title={state.output === 'print' ? 'Printing cancelled' : 'Saving cancelled'} className="no-print"><p>Nothing was printed or written.</p></Banner>;
  } else if (state.phase === 'done') {
    status = state.path === null
      ? <Banner tone="success" title="Report sent to the printer" className="no-print"><p>Collect the pages and check the verdict on the first one.</p></Banner>
      : <Banner tone="success" title="Report saved as PDF" className="no-print"><p className="mono wrap-anywhere">{state.path}</p></Banner>;
  }
  return { buttons, status };
}
