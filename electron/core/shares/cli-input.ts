import { promises as fsp } from 'node:fs';
import { createInterface } from 'node:readline';
import { KeyriteError } from '../util/errors';
import { shareError } from './errors';
import { decryptAgeShare, isAgeArmored } from './age-file';
import { decodeShareInput } from './share-input';
import { parseBackupFile, verifyBackupFile, type BackupFile } from './backup-file';
import { SHARE_WORDS, wordsFromText } from './words';
import type { ShareEnvelope } from './envelope';

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

/** A share file: words sheet, QR payload text, or an age file (opened with the passphrase). */
export async function readShareFile(file: string, passphrase?: () => Promise<string>): Promise<ShareEnvelope> {
  const text = await readText(file, 'share file');
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
