/**
 * `keyrite ceremony run`: parses the command's arguments and drives the headless runner of core
 * (electron/core/ceremony/headless.ts) on this process's streams. Loaded only when a run is asked
 * for, so `keyrite --help` does not load the ceremony core.
 */
import path from 'node:path';
import { parseCli, type CliIo } from '../command';
import { KeyriteError } from '../../core/util/errors';
import { parseCardModules } from '../../core/token/card-modules';
import { parsePinSource } from '../../core/token/pin-source';
import { parseRehearsalKind } from '../../core/token/rehearsal-kinds';
import { runHeadless } from '../../core/ceremony/headless';
import { HELP } from './ceremony-help';

export async function runCommand(argv: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCli(argv, {
    out: { type: 'string' }, policy: { type: 'string' }, inputs: { type: 'string' }, rehearsal: { type: 'boolean' }, from: { type: 'string' }, 'custody-dir': { type: 'string' },
    'card-module': { type: 'string', multiple: true }, 'pin-source': { type: 'string' }, 'rehearsal-token': { type: 'string' },
  }, { allowPositionals: true });
  if (values.help) { io.stdout.write(HELP); return 0; }
  const scriptFile = positionals[0];
  if (!scriptFile || !values.out || positionals.length > 1) throw new KeyriteError('USAGE', 'Give one script and --out DIR.', { action: 'keyrite ceremony run SCRIPT --out DIR [--inputs FILE] [--rehearsal] [--from DIR] [--custody-dir DIR] [--card-module PATH]... [--pin-source file:PATH|prompt] [--rehearsal-token softhsm|nss|tpm]' });
  if (values['rehearsal-token'] && !values.rehearsal) throw new KeyriteError('USAGE', '--rehearsal-token chooses the throwaway token of a rehearsal: it goes with --rehearsal.', { action: 'Add --rehearsal, or drop --rehearsal-token.' });
  const cardModules = parseCardModules((values['card-module'] ?? []).map((p) => path.resolve(p)).join(path.delimiter));
  await runHeadless({
    scriptFile, outDir: path.resolve(values.out), rehearsal: values.rehearsal === true, io,
    ...(values.policy ? { policyFile: values.policy } : {}), ...(values['custody-dir'] ? { custodyDir: path.resolve(values['custody-dir']) } : {}), ...(values.inputs ? { inputsFile: values.inputs } : {}), ...(values.from ? { from: path.resolve(values.from) } : {}),
    ...(cardModules.length > 0 ? { cardModules } : {}), ...(values['pin-source'] ? { pinSource: parsePinSource(values['pin-source']) } : {}),
    ...(values['rehearsal-token'] ? { rehearsalToken: parseRehearsalKind(values['rehearsal-token']) } : {}),
  });
  return 0;
}
