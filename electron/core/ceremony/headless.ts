import type { CliIo } from '../../cli/command';

export async function runCommand(_argv: string[], io: CliIo): Promise<number> {
  io.stderr.write('keyrite ceremony run: not built yet.\n');
  return 2;
}
