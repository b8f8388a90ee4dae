/**
 * The rules behind the custodian's file and token screens, the witness cosign list and the tries
 * text that the ceremony login, the token check and recovery share.
 */
import { describe, expect, it } from 'vitest';
import type { CeremonyNeed, ErrorData, RecipientView } from '../../../electron/contract/index';
import { checkPassphrase, lengthNote } from '../../../renderer/src/features/custodian/passphrase';
import { groupHex, namedToken, tokensForRecipient } from '../../../renderer/src/features/custodian/recipient';
import { currentTries, triesFromError, triesText } from '../../../renderer/src/features/ceremony/pin-tries';
import { cosignRows } from '../../../renderer/src/features/ceremony/NeedWitnessCosign';
import { wrongWordNumbers } from '../../../renderer/src/features/recovery/share-errors';

const none = { first: false, second: false };
const both = { first: true, second: true };

describe('custodian passphrase form', () => {
  it('is ready only when long enough and typed the same twice', () => {
    expect(checkPassphrase('correct horse', 'correct horse', 12, none).ready).toBe(true);
    expect(checkPassphrase('correct hors', 'correct hors', 12, none).ready).toBe(true);
    expect(checkPassphrase('short', 'short', 12, none).ready).toBe(false);
    expect(checkPassphrase('correct horse', 'correct horsf', 12, none).ready).toBe(false);
  });

  it('counts characters as a person does (an accented letter or emoji is one)', () => {
    // 12 characters, 13 UTF-16 units: one short of 13.
    expect(checkPassphrase('ééééééééééé🔑', 'ééééééééééé🔑', 13, none).ready).toBe(false);
    expect(checkPassphrase('ééééééééééé🔑', 'ééééééééééé🔑', 12, none).ready).toBe(true);
    expect(lengthNote('é🔑🔑', 12)).toBe('3 of at least 12 characters.');
  });

  it('says nothing while the person is still typing, then names the problem on its field', () => {
    expect(checkPassphrase('corr', '', 12, none)).toEqual({ first: null, second: null, ready: false });
    expect(checkPassphrase('corr', '', 12, { first: true, second: false }).first).toBe('Too short: 4 of at least 12 characters.');
    // The second entry is judged once it is as long as the first, or when the person goes on.
    expect(checkPassphrase('correct horse', 'correct', 12, none).second).toBeNull();
    expect(checkPassphrase('correct horse', 'correct hoses', 12, none).second).toBe('The two entries differ: type the same passphrase twice.');
    expect(checkPassphrase('correct horse', 'correct', 12, both).second).toBe('The two entries differ: type the same passphrase twice.');
    expect(checkPassphrase('', '', 12, both)).toEqual({ first: 'Too short: 0 of at least 12 characters.', second: null, ready: false });
  });

  it('shows the minimum length from the need as the counter', () => {
    expect(lengthNote('', 16)).toBe('At least 16 characters.');
    // Once long enough, the length itself is not shown to the room.
    expect(lengthNote('correct horse battery', 16)).toBe('Long enough.');
  });
});

const recipient = (over: Partial<RecipientView> = {}): RecipientView => ({
  spkiSha256: 'AB12cd34ef567890'.repeat(4), words: 'aardvark absurd', keyLabel: 'grace-share', tokenLabel: null, tokenSerial: null, ...over,
});
const tokens = [
  { serial: '1111', label: 'keyrite-e2e', description: 'SoftHSM slot' },
  { serial: '2222', label: 'grace-card', description: 'SoftHSM slot' },
];

describe('token delivery', () => {
  it('groups the fingerprint by four, lower case, to be read aloud', () => {
    expect(groupHex('AB12cd34ef5678')).toBe('ab12 cd34 ef56 78');
    expect(groupHex(recipient().spkiSha256).split(' ')).toHaveLength(16);
  });

  it('names the token the script records, by label and serial as given', () => {
    expect(namedToken(recipient())).toBeNull();
    expect(namedToken(recipient({ tokenLabel: 'grace-card' }))).toBe('grace-card');
    expect(namedToken(recipient({ tokenSerial: '2222' }))).toBe('serial 2222');
    expect(namedToken(recipient({ tokenLabel: 'grace-card', tokenSerial: '2222' }))).toBe('grace-card (serial 2222)');
  });

  it('offers only the named token when it is present, preselected', () => {
    expect(tokensForRecipient(tokens, recipient({ tokenLabel: 'grace-card' }))).toEqual({ choices: [tokens[1]], preselect: '2222', namedMissing: false });
    expect(tokensForRecipient(tokens, recipient({ tokenSerial: '2222', tokenLabel: 'other-name' })).choices).toEqual([tokens[1]]);
  });

  it('offers every token, and says so, when the named one is missing; preselects nothing among several', () => {
    expect(tokensForRecipient(tokens, recipient({ tokenLabel: 'lost-card' }))).toEqual({ choices: tokens, preselect: null, namedMissing: true });
    expect(tokensForRecipient(tokens, recipient())).toEqual({ choices: tokens, preselect: null, namedMissing: false });
    expect(tokensForRecipient([tokens[1]!], recipient()).preselect).toBe('2222');
  });
});

const pinIncorrect = (d: Record<string, unknown>): ErrorData => ({ code: 'PIN_INCORRECT', message: 'Wrong PIN', action: 'Type it again', details: d });

describe('tries left after a wrong PIN (one helper for login, token check and recovery)', () => {
  it('reads the flags from a PIN_INCORRECT refusal only', () => {
    expect(triesFromError(pinIncorrect({ countLow: true, finalTry: false, locked: false }))).toEqual({ countLow: true, finalTry: false, locked: false });
    expect(triesFromError({ code: 'SHARE_BAD', message: 'x', details: { countLow: true } })).toBeNull();
    expect(triesFromError(pinIncorrect({}))).toBeNull();
    expect(triesFromError(null)).toBeNull();
  });

  it('prefers the refusal over what the need carried, and says the worst case first', () => {
    const need = { countLow: true, finalTry: false, locked: false };
    expect(currentTries(need, null)).toBe(need);
    expect(currentTries(need, pinIncorrect({ countLow: true, finalTry: true, locked: false }))?.finalTry).toBe(true);
    expect(triesText({ countLow: true, finalTry: true, locked: true })).toMatch(/^The PIN is locked/);
    expect(triesText({ countLow: true, finalTry: true, locked: false })).toBe('One try left: another wrong PIN locks the token.');
    expect(triesText({ countLow: true, finalTry: false, locked: false })).toMatch(/^Few tries left/);
    expect(triesText({ countLow: false, finalTry: false, locked: false })).toMatch(/^Tries are not low yet/);
    expect(triesText(null)).toBeNull();
  });
});

describe('witness cosign list', () => {
  const need = (cosigned: string[], pending: string[], witness: string): Extract<CeremonyNeed, { kind: 'witness-cosign' }> =>
    ({ kind: 'witness-cosign', witness, keyName: `witness/${witness}`, keyId: '0a1b2c3d', cosigned, pending, keyType: 'ed25519', tries: null });

  it('lists who cosigned, who is now, and who waits, each once', () => {
    expect(cosignRows(need(['Wendy'], ['Walter', 'Wim'], 'Walter'))).toEqual([
      { name: 'Wendy', state: 'cosigned' }, { name: 'Walter', state: 'now' }, { name: 'Wim', state: 'waiting' },
    ]);
    expect(cosignRows(need([], ['Walter'], 'Walter'))).toEqual([{ name: 'Walter', state: 'now' }]);
  });
});

describe('share check at the hand-off', () => {
  it('marks every wrong position the refusal lists, never more', () => {
    expect(wrongWordNumbers({ code: 'SHARE_VERIFY_FAILED', message: 'x', details: { wrongPositions: [3, 17] } })).toEqual([3, 17]);
    expect(wrongWordNumbers({ code: 'SHARE_CHECKSUM', message: 'x', details: { wordIndex: 7 } })).toEqual([7]);
    expect(wrongWordNumbers({ code: 'SHARE_VERIFY_FAILED', message: 'x' })).toEqual([]);
  });
});
