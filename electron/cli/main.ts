/**
 * The keyrite command. Each command lives in commands/<name>.ts and exports `command: CliCommand`;
 * they load lazily so `keyrite --help` does not load a PKCS#11 module.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CliCommand } from './command';
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

const COMMANDS: Record<string, () => Promise<{ command: CliCommand }>> = {
  tokens: () => import('./commands/tokens'),
  'rehearsal-token': () => import('./commands/rehearsal-token'),
  verify: () => import('./commands/verify'),
  shares: () => import('./commands/shares'),
  recover: () => import('./commands/recover'),
  reshare: () => import('./commands/reshare'),
  ceremony: () => import('./commands/ceremony'),
  inventory: () => import('./commands/inventory'),
  attestation: () => import('./commands/attestation'),
  export: () => import('./commands/export'),
  dnskey: () => import('./commands/dnskey'),
  'tuf-root': () => import('./commands/tuf-root'),
};

const USAGE = `keyrite — offline key ceremonies

Usage: keyrite <command> [options]     (keyrite <command> --help for a command's options)
       keyrite --version

Commands:
  tokens            list PKCS#11 modules, slots, tokens and their mechanisms
  rehearsal-token   make a SoftHSM2 token for rehearsals and tests
  verify            verify a ceremony transcript (for auditors)
  shares            check a backup share against its backup file
  recover           rebuild a key from backup shares into a token
  reshare           hand the backup to a new set of custodians (same key)
  ceremony          check or run a ceremony script
  inventory         every key, its state and dates, from a folder of transcripts
  attestation       verify a YubiKey key-generation attestation chain to the vendor root
  export            the inventory as a CycloneDX CBOM; a transcript as SIEM events (JSON lines)
  dnskey            the DNSKEY record, key tag and DS of a public key (for sign-dnskey)
  tuf-root          a public key's TUF key entry; an unsigned root.json drafted for sign-tuf-root
`;

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
  const load = COMMANDS[name];
  if (!load) {
    process.stderr.write(`keyrite: unknown command "${name}".\n\n${USAGE}`);
    return 2;
  }
  const { command } = await load();
  try {
    return await command.run(rest, { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin });
  } catch (e) {
    if (e instanceof KeyriteError) {
      process.stderr.write(`keyrite ${name}: ${e.message}\n${e.action ? `  What to do: ${e.action}\n` : ''}  [${e.code}]\n`);
      return unusableInput(e.code) ? 2 : 1;
    }
    throw e;
  }
}
