/**
 * `keyrite inventory --due` on a sign-crl rehearsal (root-keygen first, into OUT/prior): the CRL's
 * nextUpdate falls due for re-signing a policy lead time before it, the root certificate's notAfter
 * is listed, and a short window lists only what falls due in it.
 */
import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runHeadless } from '../../../electron/core/ceremony/headless';
import { readJournalEntries } from '../../../electron/core/ceremony/prior-run';
import { tempDir } from '../../helpers/softhsm';
import { captureIo, ROOT, TEMPLATES } from '../ceremony/helpers';

const run = promisify(execFile);
const tmp = tempDir('keyrite-due-');
afterAll(() => tmp.cleanup());
const out = path.join(tmp.dir, 'crl');
let crl: { nextUpdate: string; crlNumber: number };
let notAfter: string;

async function due(...args: string[]) {
  const { stdout } = await run(process.execPath, [path.join(ROOT, 'bin/keyrite.mjs'), 'inventory', tmp.dir, ...args]);
  return stdout;
}

const DAY = 86_400_000;
const day = (iso: string, delta = 0) => new Date(new Date(iso).getTime() + delta * DAY).toISOString().slice(0, 10);

beforeAll(async () => {
  await runHeadless({ scriptFile: path.join(TEMPLATES, 'sign-crl.yaml'), outDir: out, rehearsal: true, io: captureIo(), inputsFile: path.join(TEMPLATES, 'sign-crl.rehearsal.yaml') });
  crl = readJournalEntries(path.join(out, 'transcript.jsonl')).find((e) => e.kind === 'crl.issued')!.data as typeof crl;
  notAfter = (readJournalEntries(path.join(out, 'prior', 'transcript.jsonl')).find((e) => e.kind === 'certificate.issued')!.data as { notAfter: string }).notAfter;
}, 240_000);

describe('keyrite inventory --due', () => {
  it('lists the CRL re-signing (14 days before nextUpdate under the default policy) and the certificate expiry', async () => {
    const r = JSON.parse(await due('--due', '7300d', '--json'));
    const crlItem = r.due.find((i: { kind: string }) => i.kind === 'crl-next-update');
    expect(crlItem).toMatchObject({ deadline: new Date(crl.nextUpdate).toISOString(), dueFrom: new Date(new Date(crl.nextUpdate).getTime() - 14 * DAY).toISOString(), due: false, overdue: false, key: { label: 'example-root-2026' } });
    expect(crlItem.what).toContain(`CRL number ${crl.crlNumber}`);
    const certItem = r.due.find((i: { kind: string }) => i.kind === 'certificate-expiry');
    expect(certItem.deadline.slice(0, 10)).toBe(day(notAfter));
    const text = await due('--due', '7300d');
    expect(text).toContain(`${day(crl.nextUpdate, -14)}  due      crl-next-update`);
    expect(text).toContain(`deadline ${day(notAfter)}`);
  });

  it('takes the lead time from the policy of the key\'s class', async () => {
    const policy = path.join(tmp.dir, 'policy.yaml');
    writeFileSync(policy, readFileSync(path.join(ROOT, 'resources/policy/default.yaml'), 'utf8').replace('    backupRequired: true\n', '    backupRequired: true\n    crlResignLeadDays: 30\n'));
    const r = JSON.parse(await due('--due', '7300d', '--json', '--policy', policy));
    expect(r.due.find((i: { kind: string }) => i.kind === 'crl-next-update').dueFrom).toBe(new Date(new Date(crl.nextUpdate).getTime() - 30 * DAY).toISOString());
  });

  it('lists only what falls due in the window, and flags it due or overdue as dates pass', async () => {
    expect(await due('--due', '60d')).toContain('nothing');
    const near = JSON.parse(await due('--due', '1d', '--json', '--now', day(crl.nextUpdate, -20)));
    expect(near.due).toEqual([]);
    const inLead = JSON.parse(await due('--due', '0d', '--json', '--now', day(crl.nextUpdate, -5)));
    expect(inLead.due.map((i: { kind: string; due: boolean; overdue: boolean }) => [i.kind, i.due, i.overdue])).toEqual([['crl-next-update', true, false]]);
    const late = await due('--due', '0d', '--now', day(crl.nextUpdate, 2));
    expect(late).toMatch(/OVERDUE\s+crl-next-update/);
  });
});
