/** The list of ceremony types is the list of type files: every template loads, every type has a definition and a template. */
import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CEREMONY_TYPES, CEREMONY_TYPE_DEFS } from '../../../../electron/core/ceremony/types/index';
import { load, refusal, TEMPLATES, templateData } from './helpers';

const templates = readdirSync(TEMPLATES).filter((f) => f.endsWith('.yaml') && !f.endsWith('.rehearsal.yaml')).map((f) => f.replace(/\.yaml$/, ''));

describe('the ceremony type registry', () => {
  it.each(templates)('%s.yaml loads, and its type has a definition', (name) => {
    const { script } = load(templateData(name));
    expect(CEREMONY_TYPE_DEFS[script.type]?.type).toBe(script.type);
  });

  it('every type has a definition under its own name, and a template', () => {
    expect(Object.keys(CEREMONY_TYPE_DEFS).sort()).toEqual([...CEREMONY_TYPES].sort());
    expect(CEREMONY_TYPES).toHaveLength(11);
    const used = new Set(templates.map((name) => templateData(name).type));
    for (const type of CEREMONY_TYPES) expect(used, `a template of type ${type}`).toContain(type);
  });

  it('every type checks the air gap first and seals last; only root-keygen starts without an earlier run', () => {
    for (const def of Object.values(CEREMONY_TYPE_DEFS)) {
      expect(def.steps[0]).toBe('air-gap-check');
      expect(def.steps.at(-1)).toBe('seal');
    }
    expect(CEREMONY_TYPES.filter((t) => !CEREMONY_TYPE_DEFS[t].needsPriorRun)).toEqual(['root-keygen']);
  });

  it('refuses a type that has no definition, naming the types there are', () => {
    const r = refusal(() => load({ ...templateData('root-keygen'), type: 'root-keygen-v2' }));
    expect(r.code).toBe('SCRIPT_INVALID');
    expect(r.issues).toEqual([expect.objectContaining({ path: 'type', code: 'INVALID_VALUE', message: expect.stringContaining('"sign-dnskey"') })]);
  });
});
