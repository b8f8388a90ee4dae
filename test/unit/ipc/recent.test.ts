import { afterAll, describe, expect, it } from 'vitest';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { listRecentCeremonies } from '../../../electron/core/ipc/recent';
import { tempDir } from '../../helpers/softhsm';

const { dir, cleanup } = tempDir('keyrite-recent-');
afterAll(cleanup);

function journal(folder: string, lines: object[]): void {
  mkdirSync(folder, { recursive: true });
  writeFileSync(path.join(folder, 'transcript.jsonl'), lines.map((l) => JSON.stringify(l)).join('\n') + '\n');
}

const start = (id: string, time: string, rehearsal = false) => ({
  v: 1, seq: 0, time, ceremony: id, kind: 'ceremony.start', step: '-', actor: { role: 'administrator', name: 'Ada' },
  data: { script: { id: 's', title: `Root key ${id}`, type: 'root-keygen', sha256: '00' }, rehearsal }, prev: '0'.repeat(64),
});

describe('recent ceremonies', () => {
  it('lists ceremony folders newest first with their state, and skips folders that are not transcripts', async () => {
    journal(path.join(dir, 'a'), [start('cer-a', '2026-01-01T10:00:00.000Z'), { seq: 1, kind: 'ceremony.sealed', data: { outcome: 'completed', entries: 1 } }]);
    journal(path.join(dir, 'nested', 'b'), [start('cer-b', '2026-02-01T10:00:00.000Z', true), { seq: 1, kind: 'step.start' }]);
    journal(path.join(dir, 'c'), [start('cer-c', '2026-03-01T10:00:00.000Z'), { seq: 1, kind: 'ceremony.sealed', data: { outcome: 'aborted', entries: 1 } }]);
    mkdirSync(path.join(dir, 'junk'));
    writeFileSync(path.join(dir, 'junk', 'transcript.jsonl'), 'not json\n');
    const list = await listRecentCeremonies(dir);
    expect(list.map((c) => [c.id, c.state, c.rehearsal, c.entries])).toEqual([
      ['cer-c', 'aborted', false, 2],
      ['cer-b', 'in-progress', true, 2],
      ['cer-a', 'completed', false, 2],
    ]);
    expect(list[0]?.title).toBe('Root key cer-c');
  });

  it('answers an empty list for a data folder that does not exist yet', async () => {
    expect(await listRecentCeremonies(path.join(dir, 'missing'))).toEqual([]);
  });
});
