import type { CliCommand } from '../command';

// Placeholder until the owning domain lands its command; says so plainly rather than pretending.
export const command: CliCommand = {
  name: 'tokens',
  help: 'keyrite tokens: not built yet.\n',
  async run(_argv, io) {
    io.stderr.write('keyrite tokens: this command is not built yet.\n');
    return 2;
  },
};
