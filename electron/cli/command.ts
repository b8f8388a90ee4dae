import { parseArgs, type ParseArgsConfig } from 'node:util';
import { KeyriteError } from '../core/util/errors';
import { renderHelp, type CommandHelp } from './help';

export interface CliIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  stdin: NodeJS.ReadableStream;
}

export interface CliCommand {
  name: string;
  /** Shown by `keyrite <name> --help`, through the one formatter (help.ts). */
  help: CommandHelp;
  /** Returns the exit code: 0 ok, 1 the thing checked is bad / the operation failed, 2 unusable input. */
  run(argv: string[], io: CliIo): Promise<number>;
}

/** Prints a command's help on standard output; returns the exit code (0 asked for, 2 when the command was given nothing). */
export function showHelp(io: CliIo, help: CommandHelp, code: 0 | 2 = 0): number {
  io.stdout.write(renderHelp(help));
  return code;
}

/** A usage error (exit 2) that names what was wrong and points to the command's --help. */
export function usageError(command: string, message: string, action?: string): KeyriteError {
  return new KeyriteError('USAGE', message, { action: action ?? `Run keyrite ${command} --help to see its usage.` });
}

/**
 * The subcommand that starts `argv`, for commands that have some (`keyrite shares verify ...`):
 * `help` for --help or nothing (nothing exits 2 after the help), else one of `names`; an option or
 * an unknown word is a usage error naming it.
 */
export function subcommand<T extends string>(command: string, argv: readonly string[], names: readonly T[]): { sub: T | 'help'; rest: string[]; bare: boolean } {
  const [first, ...rest] = argv;
  if (first === undefined || first === '--help' || first === '-h') return { sub: 'help', rest, bare: first === undefined };
  if ((names as readonly string[]).includes(first)) return { sub: first as T, rest, bare: false };
  const what = first.startsWith('-') ? `Unknown option '${first}' before the subcommand` : `Unknown subcommand "${first}"`;
  throw usageError(command, `${what}: keyrite ${command} takes ${names.join(', ')}.`);
}

/** node:util parseArgs with Keyrite's usage errors (exit 2, naming the option and --help) and --help. */
export function parseCli<T extends NonNullable<ParseArgsConfig['options']>>(
  command: string,
  argv: string[],
  options: T,
  opts: { allowPositionals?: boolean } = {},
) {
  try {
    return parseArgs({ args: argv, options: { ...options, help: { type: 'boolean', short: 'h' } }, allowPositionals: opts.allowPositionals ?? false, strict: true });
  } catch (e) {
    // Node adds how to pass a positional that starts with '-'; the option is named in the first sentence.
    const err = e as Error & { code?: string };
    throw usageError(command, err.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' ? (err.message.split('. ')[0] as string) + '.' : err.message);
  }
}
