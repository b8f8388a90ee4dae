import { describe, expect, it } from 'vitest';
import { load, noKeyRuleTests, refusal, requiredStepTests, templateData } from './helpers';

describe('sign-tuf-root', () => {
  requiredStepTests('sign-tuf-root', 'sign-tuf-root', ['air-gap-check', 'login', 'sign-tuf-root', 'seal'], []);
  noKeyRuleTests('sign-tuf-root');

  it('needs its tuf section, naming it', () => {
    const data = templateData('sign-tuf-root');
    delete data.tuf;
    const r = refusal(() => load(data));
    expect(r.code).toBe('SCRIPT_INVALID');
    expect(r.issues).toContainEqual(expect.objectContaining({ path: 'tuf' }));
  });

  it('refuses a sign-tuf-root step in a script of another type, which has no tuf section (MISSING_SECTION)', () => {
    const data = templateData('sign-dnskey');
    const steps = data.steps as { id: string; action: string; title?: string }[];
    steps.splice(steps.length - 1, 0, { ...structuredClone(steps[steps.length - 2]), id: 'tuf', action: 'sign-tuf-root' });
    expect(refusal(() => load(data)).issues).toContainEqual(expect.objectContaining({ code: 'MISSING_SECTION', message: expect.stringContaining('"tuf"') }));
  });

  it('reads the section: the new root, the previous root, the files to import (none by default)', () => {
    const data = templateData('sign-tuf-root');
    data.tuf = { root: 'new.json' };
    const { script } = load(data);
    expect((script as unknown as { tuf: unknown }).tuf).toEqual({ root: 'new.json', importSignatures: [] });
  });

  it('refuses an unknown field in the tuf section (UNKNOWN_FIELD)', () => {
    const data = templateData('sign-tuf-root');
    data.tuf = { ...(data.tuf as object), threshold: 2 };
    expect(refusal(() => load(data)).issues).toContainEqual(expect.objectContaining({ code: 'UNKNOWN_FIELD' }));
  });

  it('refuses a key TUF clients cannot verify (P-521)', () => {
    const data = templateData('sign-tuf-root');
    (data.key as Record<string, unknown>).algorithm = 'ec-p521';
    const r = refusal(() => load(data));
    expect(r.code).toBe('SCRIPT_INVALID');
    expect(r.issues).toContainEqual(expect.objectContaining({ path: 'key.algorithm', code: 'INVALID_VALUE', message: expect.stringContaining('ec-p521') }));
  });

  it('refuses a file named twice (the new root imported as signatures, DUPLICATE)', () => {
    const data = templateData('sign-tuf-root');
    const tuf = data.tuf as { root: string };
    data.tuf = { ...tuf, importSignatures: [tuf.root] };
    expect(refusal(() => load(data)).issues).toContainEqual(expect.objectContaining({ path: 'tuf', code: 'DUPLICATE', message: expect.stringContaining(tuf.root) }));
  });
});
