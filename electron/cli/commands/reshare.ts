import type { CliCommand } from '../command';

// Placeholder until the owning domain lands its command; says so plainly rather than pretending.
export const command: CliCommand = {
  name: 'reshare',
  help: 'keyrite reshare: not built yet.\n',
  async run(_argv, io) {
    io.stderr.write('keyrite reshare: this command is not built yet.\n');
    return 2;
  },
};
