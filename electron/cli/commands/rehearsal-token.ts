import type { CliCommand } from '../command';

// Placeholder until the owning domain lands its command; says so plainly rather than pretending.
export const command: CliCommand = {
  name: 'rehearsal-token',
  help: 'keyrite rehearsal-token: not built yet.\n',
  async run(_argv, io) {
    io.stderr.write('keyrite rehearsal-token: this command is not built yet.\n');
    return 2;
  },
};
