/**
 * The keyrite command. Each command lives in commands/<name>.ts and exports `command: CliCommand`;
 * they load lazily so `keyrite --help` does not load a PKCS#11 module.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CliCommand } from './command';
import { renderHelp } from './help';
import { KeyriteError } from '../core/util/errors';

/** The version in the checkout's package.json (the CLI runs from its sources through tsx). */
function version(): string {
  const pkg = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../package.json');
  return (JSON.parse(readFileSync(pkg, 'utf8')) as { version: string }).version;
}

/** Errors that mean the input could not be used at all (exit 2), as against refused or invalid (exit 1). */
function unusableInput(code: string): boolean {
  return code.startsWith('USAGE') || code.startsWith('INPUT') || code === 'FILE_UNREADABLE';
}

/** Each command, what the top-level help says of it, and its module (loaded when run). */
const COMMANDS: Record<string, { summary: string; load: () => Promise<{ command: CliCommand }> }> = {
  tokens: { summary: 'list PKCS#11 modules, slots, tokens and their mechanisms', load: () => import('./commands/tokens') },
  'rehearsal-token': { summary: 'make a SoftHSM2 token for rehearsals and tests', load: () => import('./commands/rehearsal-token') },
  verify: { summary: 'verify a ceremony transcript (for auditors)', load: () => import('./commands/verify') },
  shares: { summary: 'check a backup share against its backup file', load: () => import('./commands/shares') },
  recover: { summary: 'rebuild a key from backup shares into a token', load: () => import('./commands/recover') },
  reshare: { summary: 'hand the backup to a new set of custodians (same key)', load: () => import('./commands/reshare') },
  ceremony: { summary: 'check or run a ceremony script', load: () => import('./commands/ceremony') },
  inventory: { summary: 'every key, its state and dates, from a folder of transcripts', load: () => import('./commands/inventory') },
  attestation: { summary: 'verify a YubiKey key-generation attestation chain to the vendor root', load: () => import('./commands/attestation') },
  export: { summary: 'the inventory as a CycloneDX CBOM; a transcript as SIEM events (JSON lines)', load: () => import('./commands/export') },
  dnskey: { summary: 'the DNSKEY record, key tag and DS of a public key (for sign-dnskey)', load: () => import('./commands/dnskey') },
  'tuf-root': { summary: 'a public key\'s TUF key entry; an unsigned root.json drafted for sign-tuf-root', load: () => import('./commands/tuf-root') },
};

const USAGE = renderHelp({
  usage: ['<command> [options]', '<command> --help', '--version'],
  description: ['Offline key ceremonies: check and run ceremony scripts on PKCS#11 tokens, verify their transcripts, and keep the keys\' inventory. `keyrite <command> --help` shows a command\'s options.'],
  commands: Object.entries(COMMANDS).map(([name, c]) => ({ name, text: c.summary })),
  options: [{ name: '-V, --version', text: 'print Keyrite\'s version' }],
});

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(USAGE);
    return name === undefined ? 2 : 0;
  }
  if (name === '--version' || name === '-V' || name === 'version') {
    process.stdout.write(`keyrite ${version()}\n`);
    return 0;
  }
  const entry = COMMANDS[name];
  if (!entry) {
    const what = name.startsWith('-') ? `unknown option '${name}'` : `unknown command "${name}"`;
    process.stderr.write(`keyrite: ${what}.\n  What to do: Run keyrite --help to see the commands and options.\n  [USAGE]\n`);
    return 2;
  }
  const { command } = await entry.load();
  try {
    return await command.run(rest, { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin });
  } catch (caught) {
    const e = caught instanceof KeyriteError ? caught : pathError(caught);
    if (!e) throw caught;
    process.stderr.write(`keyrite ${name}: ${e.message}\n${e.action ? `  What to do: ${e.action}\n` : ''}  [${e.code}]\n`);
    return unusableInput(e.code) ? 2 : 1;
  }
}

/** Codes of a path that cannot be used as given (missing, not a folder, not allowed), as against a failing disk. */
const UNUSABLE_PATH = new Set(['ENOENT', 'ENOTDIR', 'EISDIR', 'EACCES', 'EPERM', 'EROFS', 'ENAMETOOLONG', 'ELOOP']);

/**
 * A file-system error on a path no command turned into a typed error yet: said as unusable input
 * (exit 2) naming the path, never as a stack trace.
 */
function pathError(e: unknown): KeyriteError | undefined {
  const err = e as NodeJS.ErrnoException;
  if (!(e instanceof Error) || !err.code || !UNUSABLE_PATH.has(err.code) || !err.path) return undefined;
  return new KeyriteError('INPUT_PATH_UNUSABLE', `Cannot ${err.syscall ?? 'use'} ${err.path}: ${err.code}.`, { action: 'Check the path and its permissions, then run the command again.' });
}
