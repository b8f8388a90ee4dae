/**
 * `templates/list` through the handler table (the entry Electron main and the harness both use):
 * every bundled template, checked in main, as the start screen's cards; a damaged template or a
 * missing folder is a typed refusal, never a short list.
 */
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { CeremonyRun, OpenRunOptions, RunView } from '../../../electron/core/ceremony/run-types';
import { createHandlerTable, invokeChannel, type HandlerDeps } from '../../../electron/core/ipc/handlers';

const TEMPLATES = path.resolve(import.meta.dirname, '../../../resources/ceremonies');
const made: string[] = [];

function table(over: Partial<HandlerDeps> = {}) {
  return createHandlerTable({ dataDir: '/nonexistent/keyrite-data', app: { version: '1', platform: 'linux', rehearsal: true }, tokens: { listSlots: async () => [] }, ...over });
}

function tempDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'keyrite-templates-'));
  made.push(dir);
  return dir;
}

afterEach(() => { for (const d of made.splice(0)) rmSync(d, { recursive: true, force: true }); });

describe('templates/list', () => {
  it('lists every bundled template (not the rehearsal inputs) with its facts and its exact text', async () => {
    const r = await table()['templates/list']();
    if (!r.ok) throw new Error(r.error.message);
    const expected = readdirSync(TEMPLATES).filter((n) => n.endsWith('.yaml') && !n.endsWith('.rehearsal.yaml')).sort();
    // Root key generation first (it needs no earlier run: where a key's life starts), then by name.
    expect(r.value.map((t) => t.fileName)).toEqual(['root-keygen.yaml', ...expected.filter((n) => n !== 'root-keygen.yaml')]);
    expect(r.value.filter((t) => !t.needsPriorRun).map((t) => t.fileName)).toEqual(['root-keygen.yaml']);
    expect(expected.length).toBeGreaterThanOrEqual(10);
    for (const t of r.value) {
      // The text is the file's bytes: the script SHA-256 the summary shows is the file's.
      const bytes = readFileSync(path.join(TEMPLATES, t.fileName), 'utf8');
      expect(createHash('sha256').update(t.text).digest('hex')).toBe(createHash('sha256').update(bytes).digest('hex'));
      expect(t.title.length).toBeGreaterThan(0);
      expect(t.purpose.length).toBeGreaterThan(0);
    }
  });

  it('gives root-keygen its algorithm, split and witnesses, and no prior run', async () => {
    const r = await table()['templates/list']();
    const root = r.ok ? r.value.find((t) => t.fileName === 'root-keygen.yaml') : undefined;
    expect(root).toMatchObject({ type: 'root-keygen', algorithm: 'ec-p384', split: '3-of-5', needsPriorRun: false, rehearsal: { fileName: 'root-keygen.rehearsal.yaml', prior: null }, inputFiles: [] });
    expect(root?.witnesses).toBeGreaterThanOrEqual(1);
  });

  it('says which ceremonies need a prior run, which template their rehearsal runs first, and the files they read', async () => {
    const r = await table()['templates/list']();
    if (!r.ok) throw new Error(r.error.message);
    const byName = new Map(r.value.map((t) => [t.fileName, t]));
    expect(byName.get('sign-intermediate.yaml')).toMatchObject({ needsPriorRun: true, split: null, rehearsal: { prior: 'root-keygen.yaml' }, inputFiles: ['sign-intermediate.csr.pem'] });
    expect(byName.get('sign-tuf-root.yaml')?.inputFiles).toEqual(['sign-tuf-root.previous.json', 'sign-tuf-root.root.json']);
    expect(byName.get('recovery.yaml')?.needsPriorRun).toBe(true);
  });

  it('refuses a damaged template with TEMPLATE_INVALID naming the file, rather than hiding it', async () => {
    const dir = tempDir();
    copyFileSync(path.join(TEMPLATES, 'root-keygen.yaml'), path.join(dir, 'root-keygen.yaml'));
    writeFileSync(path.join(dir, 'broken.yaml'), 'version: 1\nid: x\nsteps: [\n');
    const r = await table({ templatesDir: dir })['templates/list']();
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.code).toBe('TEMPLATE_INVALID');
    expect(r.error.message).toContain('broken.yaml');
    expect(r.error.action).toMatch(/choose or drop your own script/);
  });

  it('answers TEMPLATES_MISSING with an action when the folder is gone', async () => {
    const r = await table({ templatesDir: path.join(tempDir(), 'gone') })['templates/list']();
    expect(r.ok ? null : r.error.code).toBe('TEMPLATES_MISSING');
  });

  it('takes no payload: a request with one is refused at the boundary', async () => {
    const r = await invokeChannel(table(), 'templates/list', { dir: '/etc' });
    expect(r.ok ? null : r.error.code).toBe('REQUEST_INVALID');
  });

  describe('a template loaded from the gallery', () => {
    /** The table with a runner that records what it was opened with (the run itself is not the subject here). */
    function loading(over: Partial<HandlerDeps> = {}) {
      const opened: OpenRunOptions[] = [];
      const run = { view: () => ({ ceremonyId: 'x' }) as unknown as RunView, on: () => () => undefined, close: async () => undefined } as unknown as CeremonyRun;
      const t = table({ dataDir: tempDir(), ceremony: { tokens: async () => { throw new Error('unused'); }, rehearsal: true, openRun: async (o) => { opened.push(o); return run; } }, ...over });
      return { t, opened };
    }
    const intermediate = readFileSync(path.join(TEMPLATES, 'sign-intermediate.yaml'), 'utf8');

    it('reads the files beside it (the CSR) from the templates folder, as the CLI does', async () => {
      const { t, opened } = loading();
      const r = await t['ceremony/load']({ fileName: 'sign-intermediate.yaml', text: intermediate, from: '/nonexistent/prior' });
      expect(r.ok).toBe(true);
      expect(opened[0]?.script.dir).toBe(TEMPLATES);
      expect(existsSync(path.join(opened[0]!.script.dir!, 'sign-intermediate.csr.pem'))).toBe(true);
      await t['ceremony/close']();
    });

    it('a script that only shares a template\'s name, or has a path in its name, keeps its own rules', async () => {
      const { t, opened } = loading();
      await t['ceremony/load']({ fileName: 'sign-intermediate.yaml', text: intermediate.replace('Example Issuing CA 1', 'Example Issuing CA 2'), from: '/nonexistent/prior' });
      await t['ceremony/close']();
      await t['ceremony/load']({ fileName: '../ceremonies/sign-intermediate.yaml', text: intermediate, from: '/nonexistent/prior' });
      expect(opened.map((o) => o.script.dir)).toEqual([undefined, undefined]);
      await t['ceremony/close']();
    });
  });
});
