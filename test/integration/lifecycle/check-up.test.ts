/**
 * The share check-up ceremony after a root-keygen rehearsal: every custodian present proves their
 * share against the backup's commitments without rebuilding the key; the transcript verifies; the
 * inventory shows each custodian's last check-up; a custodian who brings a wrong share is named,
 * and `keyrite inventory --due` flags them (and the others when checkUpDays have passed).
 */

import { copyFileSync, cpSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runHeadless } from '../../../electron/core/ceremony/headless';
import { readJournalEntries } from '../../../electron/core/ceremony/prior-run';
import { wordsFromText } from '../../../electron/core/shares';
import { tempDir } from '../../helpers/softhsm';
import { captureIo, ROOT, TEMPLATES } from '../ceremony/helpers';
import { keyrite } from '../../helpers/keyrite-cli';

const tmp = tempDir('keyrite-check-up-');
afterAll(() => tmp.cleanup());
const first = path.join(tmp.dir, 'check-up-1');
const prior = path.join(first, 'prior');

beforeAll(async () => {
  await runHeadless({ scriptFile: path.join(TEMPLATES, 'check-up.yaml'), outDir: first, rehearsal: true, io: captureIo(), inputsFile: path.join(TEMPLATES, 'check-up.rehearsal.yaml') });
}, 240_000);

describe('the share check-up ceremony', () => {
  it('checks each custodian present against the backup, verifies VALID, and updates the inventory', async () => {
    const checks = readJournalEntries(path.join(first, 'transcript.jsonl')).filter((e) => e.kind === 'share.checked-up').map((e) => e.data as { custodian: string; ok: boolean });
    expect(checks).toEqual([
      expect.objectContaining({ custodian: 'Carol', ok: true }), expect.objectContaining({ custodian: 'Dan', ok: true }),
      expect.objectContaining({ custodian: 'Erin', ok: true }), expect.objectContaining({ custodian: 'Grace', ok: true }),
    ]);
    // No share reaches the transcript: not even three of Carol's words in a row.
    const words = wordsFromText(readFileSync(path.join(prior, 'shares', 'Carol.txt'), 'utf8'));
    const transcript = readFileSync(path.join(first, 'transcript.jsonl'), 'utf8');
    for (let i = 0; i + 3 <= words.length; i++) {
      expect(transcript).not.toContain(words.slice(i, i + 3).join(' '));
      expect(transcript).not.toContain(words.slice(i, i + 3).join('","'));
    }
    const v = await keyrite('verify', first);
    expect(v.code, v.stdout).toBe(0);
    const inv = await keyrite('inventory', tmp.dir);
    expect(inv.stdout).toMatch(/check-up {5}Carol: share matches \(root-2026-check-up-1/);
    expect(inv.stdout).not.toMatch(/check-up {5}Frank/);
  });

  it('names a custodian who brings someone else\'s share, and --due flags them and the overdue', async () => {
    const second = path.join(tmp.dir, 'check-up-2');
    cpSync(path.join(prior, 'shares'), path.join(prior, 'shares-mixed'), { recursive: true });
    copyFileSync(path.join(prior, 'shares', 'Carol.txt'), path.join(prior, 'shares-mixed', 'Dan.txt'));
    const script = path.join(tmp.dir, 'check-up-2.yaml');
    writeFileSync(script, readFileSync(path.join(TEMPLATES, 'check-up.yaml'), 'utf8').replace('id: root-2026-check-up-1', 'id: root-2026-check-up-2'));
    const inputs = path.join(tmp.dir, 'check-up-2.inputs.yaml');
    writeFileSync(inputs, readFileSync(path.join(TEMPLATES, 'check-up.rehearsal.yaml'), 'utf8').replace('prior: root-keygen.yaml\n', '').replace('shares:\n', 'shares:\n  dir: shares-mixed\n'));
    await runHeadless({ scriptFile: script, outDir: second, rehearsal: true, io: captureIo(), inputsFile: inputs, from: prior });
    const dan = readJournalEntries(path.join(second, 'transcript.jsonl')).find((e) => e.kind === 'share.checked-up' && (e.data as { custodian: string }).custodian === 'Dan');
    expect(dan?.data).toMatchObject({ ok: false, error: { code: 'CHECK_UP_SOMEONE_ELSES_SHARE', message: "The share entered for Dan is Carol's (#1)." } });
    const v2 = await keyrite('verify', second);
    expect(v2.code).toBe(0);
    expect(v2.stdout).toContain("Check-up    Dan: WRONG SHARE: The share entered for Dan is Carol's (#1).");
    expect(v2.stdout).toContain('Check-up    Erin: share matches the backup');
    expect(readFileSync(path.join(second, 'report.html'), 'utf8')).toContain('WRONG SHARE: The share entered for Dan is Carol&#39;s (#1).');
    expect((await keyrite('inventory', tmp.dir)).stdout).toMatch(/check-up {5}Dan: WRONG SHARE \(The share entered for Dan is Carol's/);

    const policy = path.join(tmp.dir, 'policy.yaml');
    writeFileSync(policy, readFileSync(path.join(ROOT, 'resources/policy/default.yaml'), 'utf8').replace('    backupRequired: true\n', '    backupRequired: true\n    checkUpDays: 365\n'));
    const due = JSON.parse((await keyrite('inventory', tmp.dir, '--due', '0d', '--json', '--policy', policy)).stdout).due.filter((i: { kind: string }) => i.kind === 'share-check-up');
    expect(due.map((i: { what: string; overdue: boolean }) => [i.what.split("'")[0], i.overdue])).toEqual([['Dan', true]]);
    const later = new Date(Date.now() + 400 * 86_400_000).toISOString().slice(0, 10);
    const dueLater = JSON.parse((await keyrite('inventory', tmp.dir, '--due', '0d', '--json', '--policy', policy, '--now', later)).stdout).due.filter((i: { kind: string }) => i.kind === 'share-check-up');
    expect(dueLater.map((i: { what: string }) => i.what.split("'")[0]).sort()).toEqual(['Carol', 'Dan', 'Erin', 'Frank', 'Grace']);
    expect(dueLater.find((i: { what: string }) => i.what.startsWith('Frank')).what).toMatch(/none since the split/);
  }, 240_000);
});
