/**
 * The runner takes exactly the input the current step asks for (run-checks.ts): each need accepts its
 * own input kind and refuses every other with INPUT_NOT_EXPECTED, naming both; the two documented
 * exceptions (a plain re-check after a failed air-gap check, a new passphrase instead of repeating it)
 * hold only where they are meant to; witnesses cosign in turn. After a token error the run asks again
 * for the PIN when the session is lost, and shows the tries left after a wrong PIN.
 */
import { describe, expect, it } from 'vitest';
import { checkInputMatchesNeed, needAfterTokenError } from '../../../electron/core/ceremony/run-checks';
import type { RunInput, RunNeed } from '../../../electron/core/ceremony/run-types';
import { KeyriteError, type ErrorData } from '../../../electron/core/util/errors';

const need = (kind: string, extra: Record<string, unknown> = {}) => ({ kind, ...extra }) as unknown as RunNeed;
const input = (kind: string, extra: Record<string, unknown> = {}) => ({ kind, ...extra }) as unknown as RunInput;

/** Each need and the one input kind that answers it (running and done take none). */
const ANSWERS: [string, string | null][] = [
  ['confirm', 'confirm'], ['review', 'confirm'], ['pin', 'pin'], ['attest', 'attest'], ['air-gap-override', 'air-gap-override'],
  ['show-share', 'share-shown'], ['verify-share', 'verify-share'], ['share-file', 'share-file'], ['verify-share-file', 'verify-share-file'],
  ['share-token', 'share-token'], ['verify-share-token', 'verify-share-token'], ['witness-cosign', 'witness-cosign'], ['share-input', 'share-input'],
  ['running', null], ['done', null],
];
const INPUT_KINDS = [...new Set(ANSWERS.map(([, i]) => i).filter((i): i is string => i !== null))];

function refusal(n: RunNeed, i: RunInput): KeyriteError | undefined {
  try {
    checkInputMatchesNeed(n, i);
    return undefined;
  } catch (e) {
    if (!(e instanceof KeyriteError)) throw e;
    return e;
  }
}

describe('each need takes exactly its own input', () => {
  for (const [needKind, answer] of ANSWERS) {
    it(`${needKind}: accepts ${answer ?? 'nothing'} and refuses every other input kind`, () => {
      for (const inputKind of INPUT_KINDS) {
        const n = need(needKind, { custodian: 'Carol', witness: 'Wendy', cosigned: [] });
        const i = input(inputKind, { custodian: 'Dave', witness: 'Wendy' });
        const err = refusal(n, i);
        const exception = needKind === 'air-gap-override' && inputKind === 'confirm';
        if (inputKind === answer || exception) {
          expect(err, `${needKind} <- ${inputKind}`).toBeUndefined();
        } else {
          expect(err?.code, `${needKind} <- ${inputKind}`).toBe('INPUT_NOT_EXPECTED');
          expect(err?.message).toBe(`The current step waits for "${needKind}", not "${inputKind}".`);
          expect(err?.action).toBe('Give the input the screen asks for.');
        }
      }
    });
  }

  it('a failed air-gap check may be re-run with a plain confirm; no other need takes a confirm in place of its own input', () => {
    expect(refusal(need('air-gap-override'), input('confirm', { who: 'Alice' }))).toBeUndefined();
    expect(refusal(need('pin'), input('confirm'))?.code).toBe('INPUT_NOT_EXPECTED');
    expect(refusal(need('attest'), input('confirm'))?.code).toBe('INPUT_NOT_EXPECTED');
  });

  it('a file custodian may choose a new passphrase instead of repeating it, but only the custodian being verified', () => {
    const verifying = need('verify-share-file', { custodian: 'Carol' });
    expect(refusal(verifying, input('share-file', { custodian: 'Carol' }))).toBeUndefined();
    expect(refusal(verifying, input('share-file', { custodian: 'Dave' }))?.code).toBe('INPUT_NOT_EXPECTED');
    // Only a new passphrase: the custodian being verified gives no other kind of input here.
    expect(refusal(verifying, input('pin', { custodian: 'Carol' }))?.code).toBe('INPUT_NOT_EXPECTED');
    expect(refusal(verifying, input('verify-share', { custodian: 'Carol' }))?.code).toBe('INPUT_NOT_EXPECTED');
    // The other way round is no exception: a share-file need is not answered by a verification.
    expect(refusal(need('share-file', { custodian: 'Carol' }), input('verify-share-file', { custodian: 'Carol' }))?.code).toBe('INPUT_NOT_EXPECTED');
  });

  it('only a share-file or verify-share-file need takes a share-file input, even from the custodian it names', () => {
    for (const [needKind] of ANSWERS) {
      const err = refusal(need(needKind, { custodian: 'Carol' }), input('share-file', { custodian: 'Carol' }));
      if (needKind === 'share-file' || needKind === 'verify-share-file') expect(err, needKind).toBeUndefined();
      else expect(err?.code, needKind).toBe('INPUT_NOT_EXPECTED');
    }
  });

  it('witnesses cosign in turn: another witness is refused, naming whose turn it is and who already cosigned', () => {
    const n = need('witness-cosign', { witness: 'Wendy', cosigned: ['Walter'] });
    expect(refusal(n, input('witness-cosign', { witness: 'Wendy' }))).toBeUndefined();
    const early = refusal(n, input('witness-cosign', { witness: 'Xavier' }));
    expect(early?.code).toBe('INPUT_NOT_EXPECTED');
    expect(early?.message).toBe("It is Wendy's turn to cosign the final checkpoint, not Xavier's.");
    expect(early?.action).toBe('Wendy cosigns next.');
    expect(early?.details).toEqual({ witness: 'Wendy' });
    const again = refusal(n, input('witness-cosign', { witness: 'Walter' }));
    expect(again?.code).toBe('INPUT_NOT_EXPECTED');
    expect(again?.action).toBe('Wendy cosigns next; Walter has already cosigned.');
  });
});

describe('after a token error', () => {
  const pin = need('pin', { who: 'Alice', token: 'root', userType: 'user', tries: null });
  const confirm = need('confirm', { who: 'Alice' });
  const pinNeed = () => pin;
  const err = (code: string, details?: Record<string, unknown>): ErrorData => ({ code, message: code, ...(details ? { details } : {}) }) as ErrorData;

  for (const code of ['SESSION_CLOSED', 'SESSION_INVALID', 'TOKEN_HOST_STOPPED', 'TOKEN_NOT_PRESENT', 'DEVICE_REMOVED']) {
    it(`${code} loses the session: an active step asks for the PIN again`, () => {
      expect(needAfterTokenError(err(code), confirm, true, pinNeed)).toEqual({ need: pin, sessionLost: true });
      // A step not yet started keeps its need; the session is still gone.
      expect(needAfterTokenError(err(code), confirm, false, pinNeed)).toEqual({ need: confirm, sessionLost: true });
    });
  }

  it('any other error keeps the need and the session', () => {
    expect(needAfterTokenError(err('SIGNATURE_INVALID'), confirm, true, pinNeed)).toEqual({ need: confirm, sessionLost: false });
  });

  it("at a witness's cosignature a lost session is the witness's own token: the need stays and the run's session is kept", () => {
    const cosign = need('witness-cosign', { witness: 'Wendy', tries: null });
    expect(needAfterTokenError(err('SESSION_CLOSED'), cosign, true, pinNeed)).toEqual({ need: cosign, sessionLost: false });
  });

  for (const kind of ['pin', 'verify-share-token', 'witness-cosign']) {
    it(`a wrong PIN at ${kind} shows the tries left as the token reports them; a locked PIN says so`, () => {
      const n = need(kind, { tries: null });
      expect(needAfterTokenError(err('PIN_INCORRECT', { countLow: true, finalTry: false }), n, true, pinNeed).need).toEqual({ ...n, tries: { countLow: true, finalTry: false, locked: false } });
      expect(needAfterTokenError(err('PIN_INCORRECT', { countLow: false, finalTry: true }), n, true, pinNeed).need).toEqual({ ...n, tries: { countLow: false, finalTry: true, locked: false } });
      // Only a literal true counts: a token's "yes" string is not read as low/final.
      expect(needAfterTokenError(err('PIN_INCORRECT', { countLow: 'yes', finalTry: 1 }), n, true, pinNeed).need).toEqual({ ...n, tries: { countLow: false, finalTry: false, locked: false } });
      expect(needAfterTokenError(err('PIN_INCORRECT'), n, true, pinNeed).need).toEqual({ ...n, tries: { countLow: false, finalTry: false, locked: false } });
      expect(needAfterTokenError(err('PIN_LOCKED'), n, true, pinNeed).need).toEqual({ ...n, tries: { countLow: true, finalTry: true, locked: true } });
    });
  }

  it('a wrong PIN where no PIN was asked changes nothing', () => {
    expect(needAfterTokenError(err('PIN_INCORRECT', { countLow: true }), confirm, false, pinNeed).need).toEqual(confirm);
    expect(needAfterTokenError(err('PIN_LOCKED'), confirm, false, pinNeed).need).toEqual(confirm);
  });

  it('a wrong PIN is not a lost session: an active step that is not asking for a PIN keeps its need', () => {
    const r = needAfterTokenError(err('PIN_INCORRECT', { countLow: true, finalTry: true }), confirm, true, pinNeed);
    expect(r).toEqual({ need: confirm, sessionLost: false });
  });
});
