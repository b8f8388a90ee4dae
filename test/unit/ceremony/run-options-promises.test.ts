/**
 * What a run refuses before it writes anything (run-checks.ts): a ceremony on an existing key without
 * the folder of the run that made it (unless the folder given is a run being resumed), and witnesses
 * who cosign with a key file when the run has no way to ask for it, naming them.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parsePolicy, parseScript } from '../../../electron/core/ceremony/load';
import { assertPriorGiven, assertWitnessCosigner } from '../../../electron/core/ceremony/run-checks';
import type { OpenRunOptions } from '../../../electron/core/ceremony/run-types';
import { witnessKeyName } from '../../../electron/core/ceremony/witness-keys';
import { generateNoteKey, generateWitnessKey } from '../../../electron/core/transcript/note-keys';
import { KeyriteError } from '../../../electron/core/util/errors';
import { tempDir } from '../../helpers/softhsm';

const ROOT = path.resolve(__dirname, '../../..');
const template = (name: string) => readFileSync(path.join(ROOT, 'resources/ceremonies', `${name}.yaml`), 'utf8');
const policy = parsePolicy(readFileSync(path.join(ROOT, 'resources/policy/default.yaml'), 'utf8')).policy;
const tmp = tempDir('keyrite-run-options-');
afterAll(() => tmp.cleanup());

function opts(scriptText: string, extra: Partial<OpenRunOptions> = {}): OpenRunOptions {
  return { script: parseScript(scriptText, 's.yaml'), policy, outDir: path.join(tmp.dir, 'never-written'), tokens: async () => { throw new Error('unused'); }, rehearsal: true, ...extra } as OpenRunOptions;
}

function refusal(fn: () => unknown): KeyriteError | undefined {
  try {
    fn();
  } catch (e) {
    if (e instanceof KeyriteError) return e;
    throw e;
  }
  return undefined;
}

describe('a ceremony on an existing key', () => {
  it('is refused without --from, saying which type and what to give', () => {
    const e = refusal(() => assertPriorGiven(opts(template('sign-crl'))));
    expect(e?.code).toBe('PRIOR_RUN_REQUIRED');
    expect(e?.message).toBe('A sign-crl ceremony works on an existing key: it needs the folder of the ceremony that made or last used it.');
    expect(e?.action).toBe('Give that folder (--from DIR on the command line, or choose it on the load screen).');
  });

  it('is let through with --from, or when the output folder already holds its run (a resume)', () => {
    expect(refusal(() => assertPriorGiven(opts(template('sign-crl'), { from: path.join(tmp.dir, 'earlier') })))).toBeUndefined();
    const resuming = path.join(tmp.dir, 'resuming');
    mkdirSync(resuming, { recursive: true });
    expect(refusal(() => assertPriorGiven(opts(template('sign-crl'), { outDir: resuming })))?.code).toBe('PRIOR_RUN_REQUIRED');
    writeFileSync(path.join(resuming, 'transcript.jsonl'), '');
    expect(refusal(() => assertPriorGiven(opts(template('sign-crl'), { outDir: resuming })))).toBeUndefined();
  });

  it('a root key generation needs no earlier run', () => {
    expect(refusal(() => assertPriorGiven(opts(template('root-keygen'))))).toBeUndefined();
  });
});

describe('witnesses who cosign with a key file', () => {
  const wendy = generateNoteKey(witnessKeyName('Wendy Witness')).verifierKey;
  const walter = generateNoteKey(witnessKeyName('Walter Witness')).verifierKey;
  const withKeys = (keys: { wendy?: string; walter?: string }) => {
    let text = template('root-keygen');
    if (keys.wendy) text = text.replace('{ name: Wendy Witness, role: witness }', `{ name: Wendy Witness, role: witness, key: "${keys.wendy}" }`);
    if (keys.walter) text = text.replace('{ name: Walter Witness, role: witness }', `{ name: Walter Witness, role: witness, key: "${keys.walter}" }`);
    return text;
  };
  const action = 'Run this ceremony with `keyrite ceremony run SCRIPT --out DIR` (witness key files in the inputs file or on the prompt), or remove the witnesses\' keys from the script.';

  it('one: refused without a cosigner, naming the witness', () => {
    const e = refusal(() => assertWitnessCosigner(opts(withKeys({ walter }))));
    expect(e?.code).toBe('WITNESS_COSIGNER_MISSING');
    expect(e?.message).toBe('Witness Walter Witness cosigns the final checkpoint with their own key, and this run has no way to ask for it.');
    expect(e?.action).toBe(action);
  });

  it('two: refused without a cosigner, naming both', () => {
    const e = refusal(() => assertWitnessCosigner(opts(withKeys({ wendy, walter }))));
    expect(e?.code).toBe('WITNESS_COSIGNER_MISSING');
    expect(e?.message).toBe('Witnesses Wendy Witness, Walter Witness cosign the final checkpoint with their own key, and this run has no way to ask for it.');
  });

  it('a tlog-cosignature/v1 witness key is a key file too', () => {
    const cosig = generateWitnessKey(witnessKeyName('Walter Witness')).verifierKey;
    const e = refusal(() => assertWitnessCosigner(opts(withKeys({ walter: cosig }))));
    expect(e?.code).toBe('WITNESS_COSIGNER_MISSING');
    expect(e?.message).toMatch(/^Witness Walter Witness cosigns/);
  });

  it('no keyed witness, or a cosigner given: no refusal', () => {
    expect(refusal(() => assertWitnessCosigner(opts(withKeys({}))))).toBeUndefined();
    expect(refusal(() => assertWitnessCosigner(opts(withKeys({ wendy, walter }), { witnessCosigner: async () => { throw new Error('unused'); } })))).toBeUndefined();
  });
});
