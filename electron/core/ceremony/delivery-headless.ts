/**
 * How `keyrite ceremony run` answers the `file` and `token` delivery needs: passphrases from the
 * inputs file's sharePassphrases (rehearsals only) or asked on the TTY without echo; a custodian
 * token's PIN from `pins` by its label (or serial), and the token the script's recipient names.
 */
import { Writable } from 'node:stream';
import { createInterface } from 'node:readline/promises';
import type { CliIo } from '../../cli/command';
import { isKeyriteError, KeyriteError } from '../util/errors';
import type { RunInputs } from './inputs';
import type { RunInput, RunNeed } from './run-types';

type DeliveryNeed = Extract<RunNeed, { kind: 'share-file' | 'verify-share-file' | 'share-token' | 'verify-share-token' }>;

export interface DeliveryAnswerer {
  io: CliIo;
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

function isTty(io: CliIo): boolean {
  return (io.stdin as NodeJS.ReadStream).isTTY === true;
}

/** Asks on the TTY without echoing what is typed (a passphrase or PIN); without a TTY the run stops and says what is missing. */
export async function askHidden(io: CliIo, q: string): Promise<string> {
  if (!isTty(io)) {
    throw new KeyriteError('INPUT_MISSING', `The run needs input that the inputs file does not give: ${q}`, {
      action: 'Run in a terminal to be asked (a rehearsal may give it in the inputs file). The run resumes where it stopped.',
    });
  }
  let muted = false;
  const out = io.stdout as NodeJS.WritableStream;
  const sink = new Writable({ write(chunk, _enc, cb) { if (!muted) out.write(chunk); cb(); } });
  const rl = createInterface({ input: io.stdin, output: sink, terminal: true });
  try {
    out.write(`${q} `);
    muted = true;
    return await rl.question('');
  } finally {
    muted = false;
    out.write('\n');
    rl.close();
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
