/** Checks the runner makes before it acts: on the options at open, on each input against the need. */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { KeyriteError, type ErrorData } from '../util/errors';
import type { OpenRunOptions, RunInput, RunNeed } from './run-types';
import { keyedWitnesses } from './run-seal';
import { parseVerifierKey } from '../transcript/note-keys';
import { CEREMONY_TYPE_DEFS } from './types/index';

/** A type that works on an existing key (needsPriorRun: all but root-keygen) finds it in an earlier run's folder. */
export function assertPriorGiven(opts: OpenRunOptions): void {
  const type = opts.script.script.type;
  const resuming = existsSync(path.join(opts.outDir, 'transcript.jsonl'));
  if (CEREMONY_TYPE_DEFS[type].needsPriorRun && !opts.from && !resuming) {
    throw new KeyriteError('PRIOR_RUN_REQUIRED', `A ${type} ceremony works on an existing key: it needs the folder of the ceremony that made or last used it.`, {
      action: 'Give that folder (--from DIR on the command line, or choose it on the load screen).',
    });
  }
}

/**
 * Witnesses with a key in the script cosign the final checkpoint; a run that cannot ask them for it
 * (no cosigner given: a caller with no way to ask for key files) is refused before anything is done.
 * An ECDSA/RSA witness key is only ever on the witness's token, which the run reaches itself.
 */
export function assertWitnessCosigner(opts: OpenRunOptions): void {
  const keyed = keyedWitnesses(opts.script.script).filter((w) => ['ed25519', 'cosignature/v1'].includes(parseVerifierKey(w.verifierKey).type));
  if (keyed.length > 0 && !opts.witnessCosigner) {
    throw new KeyriteError('WITNESS_COSIGNER_MISSING', `Witness${keyed.length > 1 ? 'es' : ''} ${keyed.map((w) => w.name).join(', ')} cosign${keyed.length > 1 ? '' : 's'} the final checkpoint with their own key, and this run has no way to ask for it.`, {
      action: 'Run this ceremony with `keyrite ceremony run SCRIPT --out DIR` (witness key files in the inputs file or on the prompt), or remove the witnesses\' keys from the script.',
    });
  }
}

export function checkInputMatchesNeed(need: RunNeed, input: RunInput): void {
  const expected: Record<RunNeed['kind'], RunInput['kind'] | null> = {
    confirm: 'confirm', review: 'confirm', pin: 'pin', attest: 'attest', 'air-gap-override': 'air-gap-override', 'show-share': 'share-shown',
    'verify-share': 'verify-share', 'share-file': 'share-file', 'verify-share-file': 'verify-share-file', 'share-token': 'share-token',
    'verify-share-token': 'verify-share-token', 'witness-cosign': 'witness-cosign', 'share-input': 'share-input', running: null, done: null,
  };
  const want = expected[need.kind];
  // A failed air-gap check may be run again with a plain confirm.
  if (need.kind === 'air-gap-override' && input.kind === 'confirm') return;
  // A file custodian who cannot repeat their passphrase chooses a new one: the share is written again.
  if (need.kind === 'verify-share-file' && input.kind === 'share-file' && input.custodian === need.custodian) return;
  if (want !== input.kind) {
    throw new KeyriteError('INPUT_NOT_EXPECTED', `The current step waits for "${need.kind}", not "${input.kind}".`, { action: 'Give the input the screen asks for.' });
  }
  // Witnesses cosign in the script's order, each once: the run asks for the next one still missing.
  if (need.kind === 'witness-cosign' && input.kind === 'witness-cosign' && input.witness !== need.witness) {
    throw new KeyriteError('INPUT_NOT_EXPECTED', `It is ${need.witness}'s turn to cosign the final checkpoint, not ${input.witness}'s.`, {
      action: `${need.witness} cosigns next${need.cosigned.includes(input.witness) ? `; ${input.witness} has already cosigned` : ''}.`,
      details: { witness: need.witness },
    });
  }
}


/**
 * What a token error means for the run: a lost session asks for the PIN again; a wrong PIN shows the
 * tries left. At a witness's cosignature the error is about the witness's own token: their need stays.
 */
export function needAfterTokenError(err: ErrorData, need: RunNeed, stepActive: boolean, pinNeed: () => RunNeed): { need: RunNeed; sessionLost: boolean } {
  let next = need;
  const sessionLost = need.kind !== 'witness-cosign' && ['SESSION_CLOSED', 'SESSION_INVALID', 'TOKEN_HOST_STOPPED', 'TOKEN_NOT_PRESENT', 'DEVICE_REMOVED'].includes(err.code);
  if (sessionLost && stepActive) next = pinNeed();
  const pinAsked = (n: RunNeed): n is Extract<RunNeed, { tries: unknown }> => n.kind === 'pin' || n.kind === 'verify-share-token' || n.kind === 'witness-cosign';
  if (err.code === 'PIN_INCORRECT' && pinAsked(next)) {
    const d = err.details ?? {};
    next = { ...next, tries: { countLow: d.countLow === true, finalTry: d.finalTry === true, locked: false } };
  }
  if (err.code === 'PIN_LOCKED' && pinAsked(next)) next = { ...next, tries: { countLow: true, finalTry: true, locked: true } };
  return { need: next, sessionLost };
}
