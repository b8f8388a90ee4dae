/**
 * How `keyrite ceremony run` answers a `confirm` need (a step's "go") and a `review` need (what a
 * step is about to sign): the review's facts are printed first, then the inputs file's administrator
 * confirms (a rehearsal), else the person the need names presses Enter on the TTY.
 */
import type { HeadlessIo } from './headless-io';
import type { RunInput, RunNeed } from './run-types';

type ConfirmNeed = Extract<RunNeed, { kind: 'confirm' | 'review' }>;

export async function answerConfirmNeed(need: ConfirmNeed, administrator: string | undefined, io: HeadlessIo, ask: (q: string) => Promise<string>): Promise<RunInput> {
  if (need.kind === 'review') {
    io.stdout.write(`  ${need.title}:\n`);
    for (const f of need.facts) io.stdout.write(`    ${f.label}: ${f.value}\n`);
  }
  if (administrator) return { kind: 'confirm', who: administrator };
  const who = need.who ?? (await ask('Who confirms this step?'));
  await ask(need.kind === 'review' ? `${who}: press Enter once the room has checked the above, to sign it.` : `${who}: press Enter to carry out this step.`);
  return { kind: 'confirm', who };
}
