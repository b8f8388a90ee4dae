/**
 * Inventory over generation -> rotation -> destruction: states and their dates come from the
 * transcripts, and a tampered transcript is not used.
 */
import { appendFileSync, cpSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runHeadless } from '../../../electron/core/ceremony/headless';
import { readJournalEntries } from '../../../electron/core/ceremony/prior-run';
import { buildInventory } from '../../../electron/core/lifecycle/inventory';
import { command as inventoryCommand } from '../../../electron/cli/commands/inventory';
import { tempDir } from '../../helpers/softhsm';
import { captureIo, TEMPLATES } from '../ceremony/helpers';

const tmp = tempDir('keyrite-inventory-');
afterAll(() => tmp.cleanup());
const dirs = { keygen: path.join(tmp.dir, 'all', '1-keygen'), rotate: path.join(tmp.dir, 'all', '2-rotate'), destroy: path.join(tmp.dir, 'all', '3-destroy') };

function lifecycleTimes(dir: string): { label: string; state: string; time: string }[] {
  return readJournalEntries(path.join(dir, 'transcript.jsonl')).filter((e) => e.kind === 'key.lifecycle').map((e) => ({ label: (e.data as { label: string }).label, state: (e.data as { state: string }).state, time: e.time }));
}

describe('inventory', () => {
  beforeAll(async () => {
    const run = (name: string, outDir: string, from?: string) => runHeadless({ scriptFile: path.join(TEMPLATES, `${name}.yaml`), outDir, rehearsal: true, io: captureIo(), inputsFile: path.join(TEMPLATES, `${name}.rehearsal.yaml`), ...(from ? { from } : {}) });
    await run('root-keygen', dirs.keygen);
    await run('rotate', dirs.rotate, dirs.keygen);
    await run('destroy', dirs.destroy, dirs.rotate);
  }, 180_000);

  it('shows each key\'s SP 800-57 states with the dates the transcripts recorded', async () => {
    const inv = await buildInventory(path.join(tmp.dir, 'all'), { now: new Date('2030-01-01T00:00:00Z') });
    expect(inv.transcripts.every((t) => t.valid)).toBe(true);
    const old = inv.keys.find((k) => k.label === 'example-root-2026')!;
    const next = inv.keys.find((k) => k.label === 'example-root-2036')!;
    const expected = [...lifecycleTimes(dirs.keygen), ...lifecycleTimes(dirs.rotate), ...lifecycleTimes(dirs.destroy)];
    expect(old.history.map((h) => [h.state, h.date])).toEqual(expected.filter((x) => x.label === 'example-root-2026').map((x) => [x.state, x.time]));
    expect(old.history.map((h) => h.state)).toEqual(['pre-activation', 'active', 'deactivated', 'destroyed']);
    expect(old.state).toBe('destroyed');
    expect(old.class).toBe('root');
    expect(old.custodians).toEqual([]);
    expect(old.backups.every((b) => b.status === 'destroyed')).toBe(true);
    expect(old.successor).toBe(next.fingerprint);
    expect(old.rotationDue).toBeUndefined();
    expect(next.history.map((h) => h.state)).toEqual(['pre-activation', 'active']);
    expect(next.state).toBe('active');
    expect(next.custodians).toEqual(['Carol', 'Dan', 'Erin', 'Frank', 'Grace']);
    expect(next.certificates.map((c) => c.role).sort()).toEqual(['cross-old-signs-new', 'successor-root']);
    const activated = new Date(next.history[1]!.date).getTime();
    expect(next.rotationDue).toBe(new Date(activated + 3650 * 86_400_000).toISOString());
    expect(next.rotationOverdue).toBe(false);
    const later = await buildInventory(path.join(tmp.dir, 'all'), { now: new Date(activated + 3651 * 86_400_000) });
    expect(later.keys.find((k) => k.label === 'example-root-2036')!.rotationOverdue).toBe(true);
  });

  it('does not use a transcript that fails verification, and says so', async () => {
    const copy = path.join(tmp.dir, 'tampered');
    cpSync(path.join(tmp.dir, 'all'), copy, { recursive: true });
    const file = path.join(copy, '3-destroy', 'transcript.jsonl');
    appendFileSync(file, readFileSync(file, 'utf8').split('\n')[1] + '\n');
    const inv = await buildInventory(copy);
    const bad = inv.transcripts.find((t) => t.dir.endsWith('3-destroy'))!;
    expect(bad.valid).toBe(false);
    expect(inv.keys.find((k) => k.label === 'example-root-2026')!.state).toBe('deactivated');
    const io = captureIo();
    expect(await inventoryCommand.run([copy, '--json'], io)).toBe(1);
    expect(JSON.parse(io.text()).keys).toHaveLength(2);
  });
});
