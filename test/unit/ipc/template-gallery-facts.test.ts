/**
 * What the start screen's gallery says about each bundled template (`templates/list` through the
 * handler table), checked against the YAML read independently: the number of witnesses is the
 * script's own count of participants in the witness role; templates come in file-name order (after
 * the ones that start a key's life), whatever order the folder lists them in, and so do the input
 * files beside each; a damaged template or a missing folder is refused naming what is wrong, the
 * file or the folder, and what to do.
 */
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { createHandlerTable, type HandlerDeps } from '../../../electron/core/ipc/handlers';

const TEMPLATES = path.resolve(import.meta.dirname, '../../../resources/ceremonies');
const made: string[] = [];
afterEach(() => { for (const d of made.splice(0)) rmSync(d, { recursive: true, force: true }); });

function list(over: Partial<HandlerDeps> = {}) {
  return createHandlerTable({ dataDir: '/nonexistent/keyrite-data', app: { version: '1', platform: 'linux', rehearsal: true }, tokens: { listSlots: async () => [] }, ...over })['templates/list']();
}

function tempDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'keyrite-gallery-'));
  made.push(dir);
  return dir;
}

describe('the gallery', () => {
  it('counts each template\'s witnesses as its script lists them', async () => {
    const r = await list();
    if (!r.ok) throw new Error(r.error.message);
    const counts = r.value.map((t) => {
      const yaml = parse(readFileSync(path.join(TEMPLATES, t.fileName), 'utf8')) as { participants: { role: string }[] };
      return [t.fileName, t.witnesses, yaml.participants.filter((p) => p.role === 'witness').length];
    });
    for (const [name, shown, listed] of counts) expect(shown, String(name)).toBe(listed);
    expect(counts.find(([name]) => name === 'root-keygen.yaml')?.[1]).toBe(2);
    // Not every participant: the count would be the whole room.
    expect(r.value.some((t) => t.witnesses > 0)).toBe(true);
  });

  it('orders templates and their input files by name, whatever order they were written in', async () => {
    const dir = tempDir();
    const names = ['sign-tuf-root.yaml', 'sign-tuf-root.root.json', 'sign-tuf-root.previous.json', 'sign-intermediate.yaml', 'sign-intermediate.csr.pem', 'rotate.yaml', 'recovery.yaml', 'root-keygen.yaml'];
    for (const n of names) copyFileSync(path.join(TEMPLATES, n), path.join(dir, n));
    const r = await list({ templatesDir: dir });
    if (!r.ok) throw new Error(r.error.message);
    expect(r.value.map((t) => t.fileName)).toEqual(['root-keygen.yaml', 'recovery.yaml', 'rotate.yaml', 'sign-intermediate.yaml', 'sign-tuf-root.yaml']);
    expect(r.value.find((t) => t.fileName === 'sign-tuf-root.yaml')?.inputFiles).toEqual(['sign-tuf-root.previous.json', 'sign-tuf-root.root.json']);
    expect(readdirSync(dir)).toHaveLength(names.length);
  });
});

describe('the gallery refuses', () => {
  it('a damaged template, naming the file in the message and the details', async () => {
    const dir = tempDir();
    copyFileSync(path.join(TEMPLATES, 'root-keygen.yaml'), path.join(dir, 'root-keygen.yaml'));
    writeFileSync(path.join(dir, 'broken.yaml'), 'version: 1\nid: x\nsteps: [\n');
    const r = await list({ templatesDir: dir });
    expect(r.ok ? null : r.error).toMatchObject({
      code: 'TEMPLATE_INVALID', message: expect.stringMatching(/^The bundled template broken\.yaml does not pass its own checks: /),
      action: 'Keyrite\'s files are damaged or were edited: reinstall Keyrite. You can still choose or drop your own script.',
      details: { file: 'broken.yaml' },
    });
  });

  it('a missing templates folder, naming it and saying what to do', async () => {
    const gone = path.join(tempDir(), 'gone');
    const r = await list({ templatesDir: gone });
    expect(r.ok ? null : r.error).toEqual({
      code: 'TEMPLATES_MISSING', message: `The ceremony templates folder ${gone} is missing.`,
      action: 'Reinstall Keyrite to get its templates back, or choose or drop your own script.',
    });
  });
});
