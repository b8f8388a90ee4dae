import { afterAll, describe, expect, it } from 'vitest';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { listRecentCeremonies, summariseCeremony } from '../../../electron/core/ipc/recent';
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

describe('what the home screen lists', () => {
  const { dir: root, cleanup: done } = tempDir('keyrite-recent-edges-');
  afterAll(done);

  it('finds transcripts two folders down, not deeper, not in hidden folders nor in files beside them', async () => {
    journal(path.join(root, 'depth', 'one'), [start('one-deep', '2026-01-01T00:00:00.000Z')]);
    journal(path.join(root, 'depth', 'x', 'y', 'z'), [start('three-deep', '2026-01-02T00:00:00.000Z')]);
    journal(path.join(root, 'depth', '.trash', 'old'), [start('hidden', '2026-01-03T00:00:00.000Z')]);
    // A folder named transcript.jsonl is not a transcript; the search goes on below it.
    mkdirSync(path.join(root, 'depth', 'odd', 'transcript.jsonl'), { recursive: true });
    journal(path.join(root, 'depth', 'odd', 'inner'), [start('beside-a-folder', '2026-01-04T00:00:00.000Z')]);
    // A transcript's own subfolders are not searched: the ceremony folder is listed once.
    journal(path.join(root, 'depth', 'one', 'checkpoints'), [start('inside-a-ceremony', '2026-01-05T00:00:00.000Z')]);
    writeFileSync(path.join(root, 'depth', 'notes.txt'), 'x');
    expect((await listRecentCeremonies(path.join(root, 'depth'))).map((c) => c.id).sort()).toEqual(['beside-a-folder', 'one-deep']);
  });

  it('keeps the folder found at the search root itself, and the 50 newest', async () => {
    const single = path.join(root, 'single');
    journal(single, [start('here', '2026-05-01T00:00:00.000Z')]);
    expect((await listRecentCeremonies(single)).map((c) => c.dir)).toEqual([single]);
    const many = path.join(root, 'many');
    for (let i = 0; i < 52; i++) journal(path.join(many, `c${i}`), [start(`c${i}`, `2026-02-${String(1 + (i % 28)).padStart(2, '0')}T${String(i % 24).padStart(2, '0')}:00:00.000Z`)]);
    const list = await listRecentCeremonies(many);
    expect(list).toHaveLength(50);
    const times = list.map((c) => c.startedAt);
    expect([...times].sort().reverse()).toEqual(times);
  });

  it('skips what is not a ceremony journal, and fills what the first line leaves out', async () => {
    const odd = path.join(root, 'odd');
    journal(path.join(odd, 'not-start'), [{ ...start('late', '2026-01-01T00:00:00.000Z'), kind: 'step.start' }]);
    journal(path.join(odd, 'no-id'), [{ ...start('x', '2026-01-01T00:00:00.000Z'), ceremony: 7 }]);
    mkdirSync(path.join(odd, 'number'));
    writeFileSync(path.join(odd, 'number', 'transcript.jsonl'), '42\n');
    mkdirSync(path.join(odd, 'null'));
    writeFileSync(path.join(odd, 'null', 'transcript.jsonl'), 'null\n');
    mkdirSync(path.join(odd, 'empty'));
    writeFileSync(path.join(odd, 'empty', 'transcript.jsonl'), '');
    mkdirSync(path.join(odd, 'bare'));
    writeFileSync(path.join(odd, 'bare', 'transcript.jsonl'), `${JSON.stringify({ kind: 'ceremony.start', ceremony: 'bare' })}\n   \n${JSON.stringify({ kind: 'ceremony.sealed' })}\n`);
    mkdirSync(path.join(odd, 'torn'));
    writeFileSync(path.join(odd, 'torn', 'transcript.jsonl'), `${JSON.stringify(start('torn', '2026-01-01T00:00:00.000Z'))}\n{"seq":1,"ki`);
    mkdirSync(path.join(odd, 'no-script'));
    writeFileSync(path.join(odd, 'no-script', 'transcript.jsonl'), `${JSON.stringify({ kind: 'ceremony.start', ceremony: 'no-script', data: {} })}\n`);
    const list = await listRecentCeremonies(odd);
    expect(list.map((c) => c.id).sort()).toEqual(['bare', 'no-script', 'torn']);
    expect(list.find((c) => c.id === 'torn')).toMatchObject({ state: 'in-progress', entries: 2 });
    expect(list.find((c) => c.id === 'bare')).toEqual({ dir: path.join(odd, 'bare'), id: 'bare', title: 'bare', type: 'ceremony', startedAt: '', entries: 2, state: 'completed', rehearsal: false });
    expect(list.find((c) => c.id === 'no-script')).toMatchObject({ title: 'no-script', type: 'ceremony', state: 'in-progress', rehearsal: false });
  });

  it('summarises no ceremony for a folder whose journal cannot be read (gone since it was listed, or a folder in its place)', async () => {
    expect(await summariseCeremony(path.join(dir, 'missing'))).toBeNull();
    mkdirSync(path.join(dir, 'odd', 'transcript.jsonl'), { recursive: true });
    expect(await summariseCeremony(path.join(dir, 'odd'))).toBeNull();
    journal(path.join(dir, 'one'), [start('cer-one', '2026-04-01T10:00:00.000Z', true)]);
    expect(await summariseCeremony(path.join(dir, 'one'))).toEqual({
      dir: path.join(dir, 'one'), id: 'cer-one', title: 'Root key cer-one', type: 'root-keygen', startedAt: '2026-04-01T10:00:00.000Z', entries: 1, state: 'in-progress', rehearsal: true,
    });
  });
});
