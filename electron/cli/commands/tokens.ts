import type { CliCommand } from '../command';
import { parseCli, showHelp, usageError } from '../command';
import type { CommandHelp } from '../help';
import { accessSync, constants as fsc } from 'node:fs';
import { probeModules, type ModuleReport } from '../../core/token/probe';
import type { SlotView, TokenFlags } from '../../core/token/types';
import { tokenUri } from '../../core/token/pkcs11-uri';
import { PKCS11_INIT_ARGS_ENV } from '../../core/token/host-protocol';
import { KeyriteError } from '../../core/util/errors';

const HELP: CommandHelp = {
  usage: ['tokens [--module PATH]... [--only] [--init-args S] [--json]'],
  description: [
    'Lists the PKCS#11 modules Keyrite knows (SoftHSM2, OpenSC, YubiHSM 2, YubiKey ykcs11, Thales Luna, Entrust nShield, AWS CloudHSM, Utimaco) and says which are installed. For each installed module it shows the slots, the tokens in them (label, serial, model, flags, and the token\'s PKCS#11 URI (RFC 7512) to name it by in a script\'s token.uri), the key algorithms each token can make, and its mechanisms with key-size ranges.',
    'SoftHSM2 reads its token folder from SOFTHSM2_CONF; export it (keyrite rehearsal-token create prints it) to see a rehearsal token.',
    'Exit status: 0 listed, 2 unusable input (a --module that is not there).',
  ],
  options: [
    { name: '--module PATH', text: 'also read this PKCS#11 module (repeatable)' },
    { name: '--only', text: 'read only the modules given with --module, not the known ones' },
    { name: '--init-args S', text: 'C_Initialize library parameters for the modules given (with --only), e.g. NSS softokn\'s "configdir=\'sql:DIR\' certPrefix=\'\' keyPrefix=\'\' secmod=\'secmod.db\' flags="' },
    { name: '--json', text: 'print one JSON document instead of text' },
  ],
};

const FLAG_TEXT: [keyof TokenFlags, string][] = [
  ['loginRequired', 'login required'], ['tokenInitialized', 'initialized'], ['rng', 'RNG'], ['writeProtected', 'WRITE PROTECTED'],
  ['userPinInitialized', 'user PIN set'], ['userPinCountLow', 'USER PIN COUNT LOW'], ['userPinFinalTry', 'USER PIN FINAL TRY'],
  ['userPinLocked', 'USER PIN LOCKED'], ['userPinToBeChanged', 'user PIN to be changed'], ['soPinCountLow', 'SO PIN COUNT LOW'],
  ['soPinFinalTry', 'SO PIN FINAL TRY'], ['soPinLocked', 'SO PIN LOCKED'], ['soPinToBeChanged', 'SO PIN to be changed'],
];

function formatSlot(slot: SlotView, modulePath: string): string {
  const lines = [`  slot ${slot.slotId}: ${slot.description || '(no description)'}${slot.removable ? ' [removable]' : ''}${slot.hardwareSlot ? ' [hardware]' : ''}`];
  const t = slot.token;
  if (!slot.tokenPresent || !t) return [...lines, '    no token present'].join('\n');
  // SoftHSM2 always offers one free slot; its mechanism list repeats the initialized tokens'.
  if (!t.flags.tokenInitialized) return [...lines, `    uninitialized token (${t.model}); ${t.mechanisms.length} mechanisms`].join('\n');
  lines.push(`    token "${t.label}"  serial ${t.serial}  model ${t.model}  by ${t.manufacturer}${t.rehearsal ? '  (REHEARSAL token, not for production keys)' : ''}`);
  lines.push(`    uri: ${tokenUri(t, modulePath)}`);
  lines.push(`    flags: ${FLAG_TEXT.filter(([k]) => t.flags[k]).map(([, s]) => s).join(', ') || '(none)'}`);
  lines.push(`    key algorithms: ${t.algorithms.join(', ') || '(none Keyrite uses)'}`);
  lines.push(`    mechanisms (${t.mechanisms.length}):`);
  for (const m of t.mechanisms) {
    const size = m.minKeySize || m.maxKeySize ? ` ${m.minKeySize}-${m.maxKeySize}` : '';
    lines.push(`      ${m.name}${size}${m.flags.length ? ` [${m.flags.join(' ')}]` : ''}`);
  }
  return lines.join('\n');
}

function formatReport(reports: ModuleReport[]): string {
  const out = ['PKCS#11 modules:'];
  for (const r of reports) out.push(`  ${r.present ? 'present' : 'absent '}  ${r.product}${r.vendor ? ` (${r.vendor})` : ''}  ${r.path}`);
  for (const r of reports.filter((x) => x.present)) {
    out.push('', `${r.product}: ${r.path}`);
    if (r.error) {
      out.push(`  could not be read: ${r.error.message}${r.error.action ? `\n  What to do: ${r.error.action}` : ''}`);
      continue;
    }
    if (r.info) out.push(`  ${r.info.library} by ${r.info.manufacturer}, Cryptoki ${r.info.cryptokiVersion}`);
    if (!r.slots?.length) out.push('  no slots (no reader or device connected)');
    for (const s of r.slots ?? []) out.push(formatSlot(s, r.path));
  }
  return `${out.join('\n')}\n`;
}

/** Each initialized token gains `uri`: its RFC 7512 URI, ready to paste into a script's token.uri. */
function withUris(r: ModuleReport): ModuleReport {
  if (!r.slots) return r;
  return { ...r, slots: r.slots.map((s) => (s.token?.flags.tokenInitialized ? { ...s, token: { ...s.token, uri: tokenUri(s.token, r.path) } } : s)) };
}

export const command: CliCommand = {
  name: 'tokens',
  help: HELP,
  async run(argv, io) {
    const { values } = parseCli('tokens', argv, { module: { type: 'string', multiple: true }, only: { type: 'boolean' }, json: { type: 'boolean' }, 'init-args': { type: 'string' } });
    if (values.help) return showHelp(io, HELP);
    // A module asked for by path must be there: a typo is unusable input, not an "absent" row.
    for (const m of values.module ?? []) {
      try {
        accessSync(m, fsc.R_OK);
      } catch (e) {
        throw new KeyriteError('INPUT_MODULE_UNREADABLE', `Cannot read the PKCS#11 module ${m}: ${(e as NodeJS.ErrnoException).code ?? String(e)}.`, { action: 'Give the path of an installed PKCS#11 library (keyrite tokens lists the known ones).' });
      }
    }
    const initArgs = values['init-args'];
    // Library parameters belong to one module: SoftHSM2 and others refuse C_Initialize with them.
    if (initArgs !== undefined && !(values.only && values.module?.length)) throw usageError('tokens', '--init-args goes with --only and --module PATH.', 'keyrite tokens --only --module /usr/lib/x86_64-linux-gnu/libsoftokn3.so --init-args "configdir=..."');
    const reports = await probeModules({ modulePaths: values.module ?? [], onlyGiven: values.only ?? false, ...(initArgs !== undefined ? { env: { [PKCS11_INIT_ARGS_ENV]: initArgs } } : {}) });
    io.stdout.write(values.json ? `${JSON.stringify({ modules: reports.map(withUris) }, null, 2)}\n` : formatReport(reports));
    return 0;
  },
};
