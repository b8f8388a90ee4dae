import { parseArgs, type ParseArgsConfig } from 'node:util';
import { KeyriteError } from '../core/util/errors';

export interface CliIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  stdin: NodeJS.ReadableStream;
}

export interface CliCommand {
  name: string;
  /** Shown by `keyrite <name> --help`. */
  help: string;
  /** Returns the exit code: 0 ok, 1 the thing checked is bad / the operation failed, 2 unusable input. */
  run(argv: string[], io: CliIo): Promise<number>;
}

/** node:util parseArgs with Keyrite's usage errors (exit 2) and --help. */
export function parseCli<T extends NonNullable<ParseArgsConfig['options']>>(
  argv: string[],
  options: T,
  opts: { allowPositionals?: boolean } = {},
) {
  try {
    return parseArgs({ args: argv, options: { ...options, help: { type: 'boolean', short: 'h' } }, allowPositionals: opts.allowPositionals ?? false, strict: true });
  } catch (e) {
    throw new KeyriteError('USAGE', (e as Error).message, { action: 'Run the command with --help to see its options.' });
  }
}
