import { promises as fsp } from 'node:fs';
import { createInterface } from 'node:readline';
import { KeyriteError } from '../util/errors';
import { shareError } from './errors';
import { decryptAgeShare, isAgeArmored } from './age-file';
import { decryptRecipientShare, isAgeRecipientFile } from './age-recipient';
import { decodeShareInput } from './share-input';
import { parseBackupFile, verifyBackupFile, type BackupFile } from './backup-file';
import { SHARE_WORDS, wordsFromText } from './words';
import type { ShareEnvelope } from './envelope';
import { isTokenShareFile, openTokenShare } from './token-file';
import { createTokenClient, type TokenClient } from '../token/client';

export interface CardOptions {
  module: string;
  token: string;
  keyLabel: string;
  pinFile?: string;
}

/** Starts the token host on a PKCS#11 module (tests give a software token instead). */
export type TokenConnector = (modulePath: string) => TokenClient;

const hostOnModule: TokenConnector = (modulePath) => createTokenClient({ modulePath });

/**
 * Opens token-encrypted share files on one custodian card; the token host starts on first use.
 * close() stops it.
 */
export function cardShareOpener(opts: CardOptions, io: PromptIo, connect: TokenConnector = hostOnModule): { open: CardOpener; close: () => Promise<void> } {
  let client: TokenClient | undefined;
  let session: string | undefined;
  // A failed login is not retried with the same PIN for the next file: it would burn PIN tries.
  let loginError: unknown;
  return {
    open: async (text) => {
      if (loginError !== undefined) throw loginError;
      if (!client || !session) {
        const pin = opts.pinFile ? await readSecretFile(opts.pinFile, 'card PIN file') : await prompt(io, `PIN for card ${opts.token}: `, { hidden: true });
        client ??= connect(opts.module);
        try {
          session = await client.openSession({ label: opts.token }, { pin });
        } catch (e) {
          loginError = e;
          throw e;
        }
      }
      const [key] = await client.findKeys(session, { label: opts.keyLabel, class: 'private' });
      if (!key) {
        throw shareError('SHARE_TOKEN_DECRYPT_FAILED', `Card ${opts.token} has no private key labelled "${opts.keyLabel}".`, 'Check --card-key against the key the share was encrypted to.');
      }
      return openTokenShare(client, session, key, text);
    },
    close: async () => {
      await client?.close();
    },
  };
}

/** Input and output streams of a CLI command (same shape as electron/cli/command.ts CliIo). */
export interface PromptIo {
  stdin: NodeJS.ReadableStream;
  stderr: NodeJS.WritableStream;
}

async function readText(file: string, what: string): Promise<string> {
  try {
    return await fsp.readFile(file, 'utf8');
  } catch (e) {
    throw new KeyriteError('INPUT_UNREADABLE', `Cannot read the ${what} ${file}: ${(e as NodeJS.ErrnoException).code ?? 'error'}.`, { action: 'Check the path and permissions.' });
  }
}

/** Reads backup.json and checks its root-key signature. */
export async function loadBackupFile(file: string): Promise<BackupFile> {
  const backup = parseBackupFile(await readText(file, 'backup file'));
  verifyBackupFile(backup);
  return backup;
}

/** Opens a share file encrypted to a custodian's token key (see cardShareOpener). */
export type CardOpener = (fileText: string) => Promise<ShareEnvelope>;

/**
 * A share file: words sheet, QR payload text, an age file (opened with the passphrase, or with the
 * custodian's age identity when it was made for their age recipient) or a file encrypted to a
 * custodian's token key (opened on that token).
 */
export async function readShareFile(file: string, passphrase?: () => Promise<string>, openCard?: CardOpener, ageIdentity?: () => Promise<string>): Promise<ShareEnvelope> {
  const text = await readText(file, 'share file');
  if (isAgeRecipientFile(text)) {
    if (!ageIdentity) throw shareError('SHARE_FORMAT', `${file} is an age file to the custodian's age recipient and no identity was given.`, 'Give the custodian\'s identity file with --age-identity.');
    return decryptRecipientShare(text, await ageIdentity());
  }
  if (isTokenShareFile(text)) {
    if (!openCard) throw shareError('SHARE_FORMAT', `${file} is encrypted to a custodian's token key and no card was given.`, 'Give --card-module, --card-token and --card-key (and --card-pin-file), or use the custodian\'s other copy.');
    return openCard(text);
  }
  if (isAgeArmored(text)) {
    if (!passphrase) throw shareError('SHARE_FORMAT', `${file} is an age file and no passphrase was given.`, 'Give --passphrase-file, or run on a terminal to be asked.');
    return decryptAgeShare(text, await passphrase());
  }
  return decodeShareInput({ text });
}

/** Reads a first line (e.g. a PIN file): trailing newline removed. */
export async function readSecretFile(file: string, what: string): Promise<string> {
  return (await readText(file, what)).replace(/\r?\n$/, '');
}

function isTty(s: NodeJS.ReadableStream): boolean {
  return (s as NodeJS.ReadStream).isTTY === true;
}

/** Asks one question on a terminal; with `hidden`, typed characters are not echoed. */
export async function prompt(io: PromptIo, question: string, opts: { hidden?: boolean } = {}): Promise<string> {
  if (!isTty(io.stdin)) {
    throw new KeyriteError('INPUT_NOT_A_TTY', `${question.trim()} needs a terminal, and none is attached.`, { action: 'Pass the value as a file option (see --help).' });
  }
  const rl = createInterface({ input: io.stdin, output: io.stderr, terminal: true });
  if (opts.hidden) {
    const out = io.stderr;
    (rl as unknown as { _writeToOutput: (s: string) => void })._writeToOutput = (s: string) => {
      if (s.startsWith(question)) out.write(question);
    };
  }
  try {
    return await new Promise<string>((resolve) => rl.question(question, resolve));
  } finally {
    if (opts.hidden) io.stderr.write('\n');
    rl.close();
  }
}

/** Asks a custodian to type their share's words on a terminal (any number per line). */
export async function promptShareWords(io: PromptIo, label: string): Promise<ShareEnvelope> {
  const words: string[] = [];
  while (words.length < SHARE_WORDS) {
    const line = await prompt(io, `${label}: words ${words.length + 1}-${SHARE_WORDS} (first 4 letters are enough): `, { hidden: true });
    if (line.trim() === '') break;
    words.push(...wordsFromText(line));
  }
  return decodeShareInput({ words });
}

/** The --card-* options of the share commands (node:util parseArgs form). */
export const CARD_CLI_OPTIONS = {
  'card-module': { type: 'string' },
  'card-token': { type: 'string' },
  'card-key': { type: 'string' },
  'card-pin-file': { type: 'string' },
} as const;

export function cardFromCli(values: { 'card-module'?: string; 'card-token'?: string; 'card-key'?: string; 'card-pin-file'?: string }, io: PromptIo, connect?: TokenConnector): { open: CardOpener; close: () => Promise<void> } | undefined {
  const { 'card-module': module, 'card-token': token, 'card-key': keyLabel, 'card-pin-file': pinFile } = values;
  if (!module && !token && !keyLabel) return undefined;
  if (!module || !token || !keyLabel) {
    throw new KeyriteError('USAGE', '--card-module, --card-token and --card-key go together.', { action: 'Give all three (see --help).' });
  }
  return cardShareOpener(pinFile ? { module, token, keyLabel, pinFile } : { module, token, keyLabel }, io, connect);
}

/** --age-identity FILE (repeatable): the identity files (age-keygen's format) read once, their identities tried in turn. */
export function ageIdentitiesFromCli(files: readonly string[] | undefined): (() => Promise<string>) | undefined {
  if (!files || files.length === 0) return undefined;
  let read: Promise<string> | undefined;
  return () => (read ??= Promise.all(files.map((f) => readText(f, 'age identity file'))).then((texts) => texts.join('\n')));
}
