import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createShareFileSink, createWitnessKeyPicker, type ShowOpenDialog, type ShowSaveDialog } from '../../../electron/main/ceremony-dialogs';
import { buildHandlerDeps, type ShellServices } from '../../../electron/main/services';
import type { HostSpawner } from '../../../electron/core/token/host-protocol';
import { tempDir } from '../../helpers/softhsm';

const tmp = tempDir('keyrite-main-dialogs-');
afterAll(() => tmp.cleanup());

function fakeOpen(answer: { canceled: boolean; filePaths: string[] }): ShowOpenDialog & { calls: Parameters<ShowOpenDialog>[0][] } {
  const calls: Parameters<ShowOpenDialog>[0][] = [];
  return Object.assign(async (o: Parameters<ShowOpenDialog>[0]) => { calls.push(o); return answer; }, { calls });
}

function fakeSave(answer: { canceled: boolean; filePath?: string }): ShowSaveDialog & { calls: Parameters<ShowSaveDialog>[0][] } {
  const calls: Parameters<ShowSaveDialog>[0][] = [];
  return Object.assign(async (o: Parameters<ShowSaveDialog>[0]) => { calls.push(o); return answer; }, { calls });
}

describe('the witness key picker', () => {
  it('opens a one-file dialog titled for that witness and gives back the chosen path', async () => {
    const open = fakeOpen({ canceled: false, filePaths: ['/media/wendy/wendy.key'] });
    expect(await createWitnessKeyPicker(open)('Wendy Witness')).toBe('/media/wendy/wendy.key');
    expect(open.calls).toHaveLength(1);
    expect(open.calls[0]!.title).toContain('Wendy Witness');
    expect(open.calls[0]!.properties).toEqual(['openFile']);
  });

  it('answers null when the witness cancels or chooses nothing', async () => {
    expect(await createWitnessKeyPicker(fakeOpen({ canceled: true, filePaths: [] }))('Wendy Witness')).toBeNull();
    expect(await createWitnessKeyPicker(fakeOpen({ canceled: true, filePaths: ['/ignored'] }))('Wendy Witness')).toBeNull();
    expect(await createWitnessKeyPicker(fakeOpen({ canceled: false, filePaths: [] }))('Wendy Witness')).toBeNull();
  });
});

describe('the share file sink', () => {
  const content = '-----BEGIN AGE ENCRYPTED FILE-----\nYWdl\n-----END AGE ENCRYPTED FILE-----\n';

  it('saves where the custodian chose, suggesting the run\'s name, owner-only, and returns the path', async () => {
    const target = path.join(tmp.dir, 'grace-media', 'root-2026-grace.keyrite-share.age');
    mkdirSync(path.dirname(target));
    const save = fakeSave({ canceled: false, filePath: target });
    const written = await createShareFileSink({ showSaveDialog: save })({ custodian: 'Grace', suggestedName: 'root-2026-grace.keyrite-share.age', content });
    expect(written).toBe(target);
    expect(readFileSync(target, 'utf8')).toBe(content);
    expect(statSync(target).mode & 0o777).toBe(0o600);
    // Written through a temp file renamed into place: nothing else is left in the folder.
    expect(readdirSync(path.dirname(target))).toEqual(['root-2026-grace.keyrite-share.age']);
    expect(save.calls[0]).toMatchObject({ defaultPath: 'root-2026-grace.keyrite-share.age', filters: [{ extensions: ['age'] }] });
    expect(save.calls[0]!.title).toContain('Grace');
  });

  it('replaces a file the custodian chose to overwrite in the dialog', async () => {
    const target = path.join(tmp.dir, 'again.keyrite-share.json');
    writeFileSync(target, 'old');
    await createShareFileSink({ showSaveDialog: fakeSave({ canceled: false, filePath: target }) })({ custodian: 'Grace', suggestedName: 'again.keyrite-share.json', content: '{"v":1}' });
    expect(readFileSync(target, 'utf8')).toBe('{"v":1}');
  });

  it('a cancelled dialog is SHARE_SAVE_CANCELLED naming the custodian, and nothing is written', async () => {
    const writes: string[] = [];
    const sink = createShareFileSink({ showSaveDialog: fakeSave({ canceled: true }), writeFile: async (p) => { writes.push(p); } });
    await expect(sink({ custodian: 'Grace', suggestedName: 'x.keyrite-share.age', content })).rejects.toMatchObject({
      code: 'SHARE_SAVE_CANCELLED', details: { custodian: 'Grace' }, message: expect.stringContaining('Grace'), action: expect.any(String),
    });
    const empty = createShareFileSink({ showSaveDialog: fakeSave({ canceled: false, filePath: '' }), writeFile: async (p) => { writes.push(p); } });
    await expect(empty({ custodian: 'Grace', suggestedName: 'x.keyrite-share.age', content })).rejects.toMatchObject({ code: 'SHARE_SAVE_CANCELLED' });
    expect(writes).toEqual([]);
    expect(existsSync(path.join(tmp.dir, 'x.keyrite-share.age'))).toBe(false);
  });
});

describe('the shell hands both dialogs to the ceremony', () => {
  const neverSpawn: HostSpawner = () => ({ postMessage: () => undefined, onMessage: () => undefined, onExit: () => undefined, kill: () => undefined });
  const shell = (over: Partial<ShellServices>): ShellServices => ({
    version: '1', platform: 'linux', dataDir: tmp.dir, rehearsal: false, modulePath: '/opt/hsm/libpkcs11.so', spawnTokenHost: neverSpawn,
    pickFolder: async () => null, emit: () => undefined, ...over,
  });

  it('passes the picker and the sink through to CeremonyServices', () => {
    const pickWitnessKeyFile = createWitnessKeyPicker(fakeOpen({ canceled: true, filePaths: [] }));
    const shareFileSink = createShareFileSink({ showSaveDialog: fakeSave({ canceled: true }) });
    const { deps } = buildHandlerDeps(shell({ pickWitnessKeyFile, shareFileSink }));
    expect(deps.ceremony?.pickWitnessKeyFile).toBe(pickWitnessKeyFile);
    expect(deps.ceremony?.shareFileSink).toBe(shareFileSink);
  });

  it('leaves them out when the shell has none (keyed-witness scripts are then refused)', () => {
    const { deps } = buildHandlerDeps(shell({}));
    expect(deps.ceremony).toBeDefined();
    expect(deps.ceremony?.pickWitnessKeyFile).toBeUndefined();
    expect(deps.ceremony?.shareFileSink).toBeUndefined();
  });
});
