/**
 * How `keyrite ceremony run` answers the `file` and `token` delivery needs: passphrases from the
 * inputs file's sharePassphrases (rehearsals only) or asked on the TTY without echo; a custodian
 * token's PIN from `pins` by its label (or serial), and the token the script's recipient names.
 * And a witness's cosignature on their own token (answerWitnessNeed).
 */
import { askHidden, isTty, type HeadlessIo } from './headless-io';
import { isKeyriteError, KeyriteError } from '../util/errors';
import type { RunInputs } from './inputs';
import type { RunInput, RunNeed } from './run-types';

type DeliveryNeed = Extract<RunNeed, { kind: 'share-file' | 'verify-share-file' | 'share-token' | 'verify-share-token' }>;

export interface DeliveryAnswerer {
  io: HeadlessIo;
  inputs: RunInputs;
  ask: (q: string) => Promise<string>;
  /**
   * The serial of a token found by label (on the run's token module, else a card module); throws
   * TOKEN_NOT_FOUND naming the modules searched (and any that could not be read) when none has it.
   */
  serialOfLabel?: (label: string) => Promise<string>;
}

/** A person's token by label, or their own typed error (`missing`) carrying why it was not found. */
export async function personTokenSerial(serialOfLabel: (label: string) => Promise<string>, label: string, missing: (why: string) => KeyriteError): Promise<string> {
  try {
    return await serialOfLabel(label);
  } catch (e) {
    if (isKeyriteError(e) && e.code === 'TOKEN_NOT_FOUND') throw missing(e.message);
    throw e;
  }
}

function passphraseOf(a: DeliveryAnswerer, custodian: string, q: string): Promise<string> {
  const given = a.inputs.sharePassphrases?.[custodian];
  return given !== undefined ? Promise.resolve(given) : askHidden(a.io, q);
}

/** Typed unseen: asked twice, because a typo here would encrypt the share to a passphrase nobody knows. */
async function choosePassphrase(a: DeliveryAnswerer, custodian: string, q: string): Promise<RunInput> {
  for (;;) {
    const passphrase = await askHidden(a.io, q);
    if (passphrase === (await askHidden(a.io, `${custodian}: the same passphrase again:`))) return { kind: 'share-file', custodian, passphrase };
    a.io.stdout.write('The two passphrases differ; choose it again.\n');
  }
}

export async function answerDeliveryNeed(need: DeliveryNeed, a: DeliveryAnswerer): Promise<RunInput> {
  const out = a.io.stdout;
  switch (need.kind) {
    case 'share-file': {
      out.write(`Share ${need.position}/${need.total} for ${need.custodian}: written as a passphrase-encrypted file (age); the words are not shown.\n`);
      const q = `${need.custodian}: choose the passphrase for your share file (at least ${need.minPassphraseChars} characters):`;
      if (a.inputs.sharePassphrases?.[need.custodian] !== undefined) return { kind: 'share-file', custodian: need.custodian, passphrase: await passphraseOf(a, need.custodian, q) };
      return choosePassphrase(a, need.custodian, q);
    }
    case 'verify-share-file': {
      out.write(`Share file for ${need.custodian} written: ${need.fileName}\n`);
      if (a.inputs.sharePassphrases?.[need.custodian] !== undefined) {
        return { kind: 'verify-share-file', custodian: need.custodian, passphrase: await passphraseOf(a, need.custodian, '') };
      }
      const passphrase = await askHidden(a.io, `${need.custodian}: type your passphrase again to open the file just written (or press Enter alone to choose a new passphrase):`);
      // Cannot repeat it: a new passphrase, and the share is encrypted and written again.
      if (passphrase === '') return choosePassphrase(a, need.custodian, `${need.custodian}: choose a new passphrase for your share file (at least ${need.minPassphraseChars} characters):`);
      return { kind: 'verify-share-file', custodian: need.custodian, passphrase };
    }
    case 'share-token': {
      const r = need.recipient;
      out.write(`Share ${need.position}/${need.total} for ${need.custodian}: encrypted to the key on their token${r.keyLabel ? ` (${r.keyLabel})` : ''}.\n`
        + `  Key fingerprint (SHA-256): ${r.spkiSha256}\n  Read aloud: ${r.words}\n`);
      if (isTty(a.io)) await a.ask(`${need.custodian}: compare this with your token's key, then press Enter (Ctrl-C if it differs).`);
      return { kind: 'share-token', custodian: need.custodian };
    }
    case 'verify-share-token': {
      out.write(`Share file for ${need.custodian} written: ${need.fileName}; ${need.custodian} opens it on their token.\n`);
      const r = need.recipient;
      let serial = r.tokenSerial ?? undefined;
      if (!serial && r.tokenLabel && a.serialOfLabel) {
        const tokenLabel = r.tokenLabel;
        serial = await personTokenSerial(a.serialOfLabel, tokenLabel, (why) => new KeyriteError('CUSTODIAN_TOKEN_NOT_FOUND', `${need.custodian}'s token is not connected: ${why}`, {
          action: `${need.custodian}: connect your token (a card behind another PKCS#11 library needs --card-module PATH), then resume the run (the same command). The share file is already written.`,
          details: { custodian: need.custodian, tokenLabel },
        }));
      }
      if (!serial) serial = await a.ask(`${need.custodian}: the serial number of your token${r.tokenLabel ? ` (${r.tokenLabel})` : ''}:`);
      const pin = (r.tokenLabel ? a.inputs.pins?.[r.tokenLabel] : undefined) ?? a.inputs.pins?.[serial] ?? a.inputs.pin
        ?? (await askHidden(a.io, `${need.custodian}: PIN of your token${r.tokenLabel ? ` ${r.tokenLabel}` : ''}:`));
      return { kind: 'verify-share-token', custodian: need.custodian, tokenSerial: serial, pin };
    }
  }
}

/**
 * A witness named in `witnessTokens` (or whose recorded key only a token can hold) cosigns on their
 * token: found by label through the run's token module, its PIN from `pins`, else asked hidden; after
 * a wrong PIN it is always asked, never the same one again. Otherwise the run's cosigner
 * (headlessCosigner) reads the key file from the inputs or asks for its path.
 */
export async function answerWitnessNeed(need: Extract<RunNeed, { kind: 'witness-cosign' }>, inputs: RunInputs, a: Pick<DeliveryAnswerer, 'io' | 'ask' | 'serialOfLabel'>): Promise<RunInput> {
  let label = inputs.witnessTokens?.[need.witness];
  if (!label && need.keyType === 'keyrite.spki/v1') label = await a.ask(`${need.witness}: the label of your token (your witness key is on it):`);
  if (!label) return { kind: 'witness-cosign', witness: need.witness };
  const missing = (why: string) => new KeyriteError('WITNESS_TOKEN_NOT_FOUND', `${need.witness}'s token is not connected: ${why}`, {
    action: `${need.witness}: connect your token (a card behind another PKCS#11 library needs --card-module PATH), then resume the run (the same command).`, details: { witness: need.witness },
  });
  if (!a.serialOfLabel) throw missing(`no token can be looked up by label "${label}" here.`);
  const serial = await personTokenSerial(a.serialOfLabel, label, missing);
  const given = need.tries ? undefined : (inputs.pins?.[label] ?? inputs.pin);
  const pin = given ?? (await askHidden(a.io, `${need.witness}: PIN of your token ${label}${need.tries?.finalTry ? ' (last try before it locks)' : ''}:`));
  return { kind: 'witness-cosign', witness: need.witness, token: { tokenSerial: serial, pin } };
}
