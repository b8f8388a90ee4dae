/**
 * What the run does with errors and options around a witness's token: a wrong PIN on the witness's
 * token shows tries on the witness's need (never the ceremony token's PIN need), and a script whose
 * only witness keys are ECDSA/RSA (token-only) needs no key-file cosigner.
 */
import { generateKeyPairSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parsePolicy, parseScript } from '../../../electron/core/ceremony/load';
import { assertWitnessCosigner, needAfterTokenError } from '../../../electron/core/ceremony/run-checks';
import type { OpenRunOptions, RunNeed } from '../../../electron/core/ceremony/run-types';
import { witnessKeyName, witnessTokenKeyLabel } from '../../../electron/core/ceremony/witness-keys';
import { generateNoteKey, verifierKeyFor } from '../../../electron/core/transcript/note-keys';

const root = path.resolve(__dirname, '../../..');
const template = readFileSync(path.join(root, 'resources/ceremonies/root-keygen.yaml'), 'utf8');
const policy = parsePolicy(readFileSync(path.join(root, 'resources/policy/default.yaml'), 'utf8'), 'default.yaml').policy;
const ecSpki = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ format: 'der', type: 'spki' });
const walterEc = verifierKeyFor(witnessKeyName('Walter Witness'), 'keyrite.spki/v1', ecSpki);
const wendyEd = generateNoteKey(witnessKeyName('Wendy Witness')).verifierKey;

const witnessNeed: RunNeed = { kind: 'witness-cosign', witness: 'Wendy Witness', keyName: 'witness/Wendy-Witness', keyId: '01020304', cosigned: [], pending: ['Wendy Witness'], keyType: 'ed25519', tries: null };
const pinNeed = (): RunNeed => ({ kind: 'pin', who: 'Alice', token: 'hsm', userType: 'user', tries: null });

function opts(keys: { wendy?: string; walter?: string }, cosigner: boolean): OpenRunOptions {
  let text = template;
  if (keys.wendy) text = text.replace('{ name: Wendy Witness, role: witness }', `{ name: Wendy Witness, role: witness, key: "${keys.wendy}" }`);
  if (keys.walter) text = text.replace('{ name: Walter Witness, role: witness }', `{ name: Walter Witness, role: witness, key: "${keys.walter}" }`);
  return { script: parseScript(text, 's.yaml'), policy, outDir: '/nonexistent', tokens: async () => { throw new Error('unused'); }, rehearsal: true, ...(cosigner ? { witnessCosigner: async () => { throw new Error('unused'); } } : {}) } as OpenRunOptions;
}

describe('a witness token at the seal', () => {
  it('a wrong PIN fills the witness need\'s tries; a locked PIN says locked', () => {
    const r = needAfterTokenError({ code: 'PIN_INCORRECT', message: 'x', details: { countLow: true, finalTry: false } }, witnessNeed, true, pinNeed);
    expect(r).toEqual({ sessionLost: false, need: { ...witnessNeed, tries: { countLow: true, finalTry: false, locked: false } } });
    expect(needAfterTokenError({ code: 'PIN_LOCKED', message: 'x' }, witnessNeed, true, pinNeed).need).toEqual({ ...witnessNeed, tries: { countLow: true, finalTry: true, locked: true } });
  });

  it('a witness token that vanishes keeps the witness need: it is not the ceremony token\'s session', () => {
    for (const code of ['TOKEN_NOT_PRESENT', 'SESSION_CLOSED', 'TOKEN_HOST_STOPPED']) {
      expect(needAfterTokenError({ code, message: 'x' }, witnessNeed, true, pinNeed)).toEqual({ sessionLost: false, need: witnessNeed });
    }
    // Elsewhere a lost session still asks for the ceremony token's PIN.
    expect(needAfterTokenError({ code: 'SESSION_CLOSED', message: 'x' }, { kind: 'confirm', who: 'Alice' }, true, pinNeed)).toEqual({ sessionLost: true, need: pinNeed() });
  });

  it('needs a key-file cosigner only for Ed25519 witness keys (ECDSA/RSA keys are only ever on tokens)', () => {
    expect(() => assertWitnessCosigner(opts({ walter: walterEc }, false))).not.toThrow();
    expect(() => assertWitnessCosigner(opts({ wendy: wendyEd, walter: walterEc }, false))).toThrow(expect.objectContaining({ code: 'WITNESS_COSIGNER_MISSING', message: expect.stringContaining('Wendy Witness') }));
    expect(() => assertWitnessCosigner(opts({ wendy: wendyEd, walter: walterEc }, true))).not.toThrow();
  });

  it('labels the witness key on a token after the key name', () => {
    expect(witnessTokenKeyLabel('Wendy Witness')).toBe('keyrite-witness-Wendy-Witness');
  });
});
