/**
 * Moves a ceremony on through the handler table, answering each need as the people in the room
 * would (administrator, witnesses, paper custodians), until `stop` says the screen under test is
 * reached. For specs about one screen deep in a ceremony; the screens themselves are driven by
 * ceremony-driver.ts.
 */
import type { CeremonyInput, CeremonyView, HandlerTable } from '../../electron/contract/index';
import { USER_PIN } from './harness';

async function submit(table: HandlerTable, input: CeremonyInput): Promise<CeremonyView> {
  let r = await table['ceremony/submit'](input);
  // The screen's own submit may still be at work in main: wait for it, then answer.
  for (let i = 0; i < 600 && !r.ok && r.error.code === 'RUN_BUSY'; i++) {
    await new Promise((done) => setTimeout(done, 100));
    r = await table['ceremony/submit'](input);
  }
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
  // The screen answered first (its own submit moved the step on between our read of the view and
  // this answer): the run refused our stale answer and sent its view as it is now; answer that one.
  if (r.value.error?.code === 'INPUT_NOT_EXPECTED' && r.value.need.kind !== input.kind) return r.value;
  if (r.value.error) throw new Error(`${r.value.error.code}: ${r.value.error.message}`);
  return r.value;
}

async function answer(table: HandlerTable, view: CeremonyView, sheets: Map<string, string[]>): Promise<CeremonyView> {
  const need = view.need;
  switch (need.kind) {
    case 'confirm':
    case 'review': return submit(table, { kind: 'confirm', who: 'Alice Admin' });
    case 'attest': return submit(table, { kind: 'attest', witness: need.witnesses.find((w) => !need.attested.includes(w))! });
    case 'pin': return submit(table, { kind: 'pin', pin: USER_PIN });
    case 'air-gap-override': return submit(table, { kind: 'air-gap-override', who: 'Alice Admin', reason: 'Rehearsal on a build machine.' });
    case 'show-share': {
      // The custodian holds the button and writes the words down.
      const shown = await table['ceremony/reveal-share']({ custodian: need.custodian });
      if (!shown.ok) throw new Error(shown.error.message);
      sheets.set(need.custodian, shown.value.words);
      return submit(table, { kind: 'share-shown', custodian: need.custodian });
    }
    case 'verify-share': {
      const words = sheets.get(need.custodian) ?? [];
      return submit(table, { kind: 'verify-share', custodian: need.custodian, words: need.positions.map((p) => words[p - 1]!) });
    }
    case 'running': {
      // The screen's own submit is still at work (main answers it): wait for its result.
      await new Promise((r) => setTimeout(r, 100));
      const now = await table['ceremony/view']();
      if (!now.ok || !now.value) throw new Error('table-driver: the run went away');
      return now.value;
    }
    default: throw new Error(`table-driver: no answer for need ${need.kind}`);
  }
}

/** Loads the script through the table and answers needs until `stop(view)`; returns that view. */
export async function driveUntil(table: HandlerTable, script: string, policy: string, stop: (v: CeremonyView) => boolean): Promise<CeremonyView> {
  const loaded = await table['ceremony/load']({ fileName: 'root.yaml', text: script, policyText: policy });
  if (!loaded.ok) throw new Error(loaded.error.message);
  return continueUntil(table, loaded.value, stop);
}

export async function continueUntil(table: HandlerTable, from: CeremonyView, stop: (v: CeremonyView) => boolean): Promise<CeremonyView> {
  let view = from;
  const sheets = new Map<string, string[]>();
  for (let i = 0; i < 400 && !stop(view); i++) view = await answer(table, view, sheets);
  if (!stop(view)) throw new Error(`table-driver: stopped at need ${view.need.kind} without reaching the screen`);
  return view;
}

/** The current step is `action`, waiting for the administrator's go. */
export function atStart(action: string): (v: CeremonyView) => boolean {
  return (v) => v.current !== null && v.steps[v.current]?.action === action && v.need.kind === 'confirm';
}
