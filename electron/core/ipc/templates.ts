/**
 * `templates/list`: the ceremony script templates Keyrite ships, for the start screen's gallery.
 * Main reads and checks each one (the renderer never reads files); choosing a card sends its text
 * back through `ceremony/validate` exactly as a picked file would be.
 */
import { existsSync, promises as fsp } from 'node:fs';
import path from 'node:path';
import type { TemplateView } from '../../contract/template-views';
import { loadInputsFile } from '../ceremony/inputs';
import { parseScript } from '../ceremony/load';
import { resourcesDir } from '../ceremony/paths';
import { CEREMONY_TYPE_DEFS } from '../ceremony/types/index';
import { KeyriteError } from '../util/errors';

const REHEARSAL_SUFFIX = '.rehearsal.yaml';

/** resources/ceremonies in a checkout (the packaged app may pass its own folder). */
export function defaultTemplatesDir(): string {
  return path.join(resourcesDir(), 'ceremonies');
}

function isTemplate(name: string): boolean {
  return name.endsWith('.yaml') && !name.endsWith(REHEARSAL_SUFFIX);
}

async function templateView(dir: string, fileName: string, names: string[]): Promise<TemplateView> {
  const text = await fsp.readFile(path.join(dir, fileName), 'utf8');
  let script;
  try {
    script = parseScript(text, fileName).script;
  } catch (e) {
    throw new KeyriteError('TEMPLATE_INVALID', `The bundled template ${fileName} does not pass its own checks: ${(e as Error).message}`, {
      action: 'Keyrite\'s files are damaged or were edited: reinstall Keyrite. You can still choose or drop your own script.',
      details: { file: fileName },
    });
  }
  const stem = fileName.slice(0, -'.yaml'.length);
  const rehearsalFile = `${stem}${REHEARSAL_SUFFIX}`;
  const rehearsal = names.includes(rehearsalFile) ? { fileName: rehearsalFile, prior: loadInputsFile(path.join(dir, rehearsalFile)).prior ?? null } : null;
  return {
    fileName, title: script.title, purpose: script.purpose, type: script.type,
    algorithm: script.key.algorithm, keyLabel: script.key.label,
    split: script.backup ? `${script.backup.k}-of-${script.backup.n}` : null,
    witnesses: script.participants.filter((p) => p.role === 'witness').length,
    needsPriorRun: CEREMONY_TYPE_DEFS[script.type].needsPriorRun,
    rehearsal,
    inputFiles: names.filter((n) => n.startsWith(`${stem}.`) && n !== fileName && n !== rehearsalFile),
    text,
  };
}

/**
 * The templates folder when `fileName` and `text` are exactly a bundled template (as the gallery sends
 * it), so the files it reads (a CSR, a manifest, TUF metadata) are found beside it; else null and the
 * script's own rules apply.
 */
export async function bundledTemplateDir(dir: string, fileName: string, text: string): Promise<string | null> {
  if (!isTemplate(fileName) || path.basename(fileName) !== fileName) return null;
  const bundled = await fsp.readFile(path.join(dir, fileName), 'utf8').catch(() => null);
  return bundled === text ? dir : null;
}

/**
 * Every template in `dir`: those that start a key's life (no earlier run needed: root key generation)
 * first, as a newcomer starts there, then by file name. A missing folder or a template that fails its
 * checks is a typed error.
 */
export async function listTemplates(dir: string): Promise<TemplateView[]> {
  if (!existsSync(dir)) {
    throw new KeyriteError('TEMPLATES_MISSING', `The ceremony templates folder ${dir} is missing.`, {
      action: 'Reinstall Keyrite to get its templates back, or choose or drop your own script.',
    });
  }
  const names = (await fsp.readdir(dir)).sort();
  const views = await Promise.all(names.filter(isTemplate).map((n) => templateView(dir, n, names)));
  return [...views.filter((v) => !v.needsPriorRun), ...views.filter((v) => v.needsPriorRun)];
}
