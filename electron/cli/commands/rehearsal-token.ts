import type { CliCommand } from '../command';
import { parseCli, showHelp, subcommand, usageError } from '../command';
import type { CommandHelp } from '../help';
import { createRehearsalToken } from '../../core/token/rehearsal';
import { createNssRehearsalToken } from '../../core/token/rehearsal-nss';
import { createTpmRehearsalToken } from '../../core/token/rehearsal-tpm';
import { parseRehearsalKind } from '../../core/token/rehearsal-kinds';
import { PKCS11_INIT_ARGS_ENV } from '../../core/token/host-protocol';

const HELP: CommandHelp = {
  usage: ['rehearsal-token create --dir DIR [--kind softhsm|nss|tpm] [--label L] [--pin P] [--so-pin S] [--json]'],
  description: [
    'Makes a SoftHSM2 token for rehearsals and tests, with its own config in DIR. Several tokens may share one DIR (a recovery rehearsal needs a second token). Prints the module path, the SOFTHSM2_CONF to export so other programs (keyrite tokens, pkcs11-tool) see the token, its label and serial. A rehearsal token is never a production token: its keys live in files in DIR.',
    `--kind nss makes an NSS softokn database (certutil, package libnss3-tools) in DIR/nss-LABEL instead; its PIN is the database password, it has no SO PIN, and it is opened through libsoftokn3 with the C_Initialize parameters printed (Keyrite passes them as ${PKCS11_INIT_ARGS_ENV}).`,
    '--kind tpm makes a tpm2-pkcs11 token on a software TPM in DIR/tpm-LABEL: it starts swtpm there (on a free loopback port, pid file DIR/tpm-LABEL/swtpm.pid) and leaves it running. It prints the TPM2_PKCS11_TCTI and TPM2_PKCS11_STORE to export, and the command that stops swtpm.',
    'Exit status: 0 made, 2 unusable input.',
  ],
  options: [
    { name: '--kind K', text: 'softhsm (default), nss or tpm' },
    { name: '--dir DIR', text: 'folder for the token store and its softhsm2.conf (created if missing)' },
    { name: '--label L', text: 'token label, 1-32 characters (default keyrite-rehearsal)' },
    { name: '--pin P', text: 'user PIN (default 123456)' },
    { name: '--so-pin S', text: 'Security Officer PIN (default 12345678)' },
    { name: '--json', text: 'print one JSON document' },
  ],
};

export const command: CliCommand = {
  name: 'rehearsal-token',
  help: HELP,
  async run(argv, io) {
    const { sub, rest, bare } = subcommand('rehearsal-token', argv, ['create']);
    if (sub === 'help') return showHelp(io, HELP, bare ? 2 : 0);
    const { values } = parseCli('rehearsal-token', rest, {
      dir: { type: 'string' }, kind: { type: 'string' }, label: { type: 'string' }, pin: { type: 'string' }, 'so-pin': { type: 'string' }, json: { type: 'boolean' },
    });
    if (values.help) return showHelp(io, HELP);
    if (!values.dir) throw usageError('rehearsal-token', '--dir is required.', 'Give the folder for the token store: --dir DIR.');
    const kind = values.kind === undefined ? 'softhsm' : parseRehearsalKind(values.kind);
    if (kind === 'tpm') {
      const t = await createTpmRehearsalToken({ dir: values.dir, ...(values.label !== undefined ? { label: values.label } : {}), ...(values.pin !== undefined ? { pin: values.pin } : {}), ...(values['so-pin'] !== undefined ? { soPin: values['so-pin'] } : {}) });
      t.swtpm.detach();
      const exports = `export ${Object.entries(t.env).map(([k, v]) => `${k}='${v}'`).join(' ')}`, stop = `kill $(cat '${t.swtpm.pidFile}')`;
      io.stdout.write(values.json
        ? `${JSON.stringify({ kind: 'tpm', modulePath: t.modulePath, env: t.env, label: t.label, serial: t.serial, swtpmPid: t.swtpm.pid, pidFile: t.swtpm.pidFile, stop, rehearsal: true }, null, 2)}\n`
        : `Rehearsal token created (tpm2-pkcs11 on swtpm; not for production keys).\n  module:  ${t.modulePath}\n  label:   ${t.label}\n  swtpm:   pid ${t.swtpm.pid}, port ${t.swtpm.port}, in ${t.tokenDir}\n\nExport this so other programs see the token:\n  ${exports}\n\nswtpm keeps running until stopped:\n  ${stop}\n`);
      return 0;
    }
    if (kind === 'nss') {
      if (values['so-pin'] !== undefined) throw usageError('rehearsal-token', 'An NSS token has no SO PIN.', 'Drop --so-pin with --kind nss.');
      const n = await createNssRehearsalToken({ dir: values.dir, ...(values.label !== undefined ? { label: values.label } : {}), ...(values.pin !== undefined ? { pin: values.pin } : {}) });
      const initArgs = n.env[PKCS11_INIT_ARGS_ENV]!;
      io.stdout.write(values.json
        ? `${JSON.stringify({ kind: 'nss', modulePath: n.modulePath, nssDb: n.tokenDir, initArgs, label: n.label, serial: n.serial, rehearsal: true }, null, 2)}\n`
        : `Rehearsal token created (NSS softokn; not for production keys).\n  module:  ${n.modulePath}\n  label:   ${n.label}\n  db:      ${n.tokenDir}\n\nC_Initialize library parameters:\n  ${initArgs}\n`);
      return 0;
    }
    const t = await createRehearsalToken({
      dir: values.dir,
      ...(values.label !== undefined ? { label: values.label } : {}),
      ...(values.pin !== undefined ? { pin: values.pin } : {}),
      ...(values['so-pin'] !== undefined ? { soPin: values['so-pin'] } : {}),
    });
    if (values.json) {
      io.stdout.write(`${JSON.stringify({ modulePath: t.modulePath, softhsm2Conf: t.confPath, tokenDir: t.tokenDir, label: t.label, serial: t.serial, rehearsal: true }, null, 2)}\n`);
    } else {
      io.stdout.write(
        `Rehearsal token created (SoftHSM2; not for production keys).\n` +
          `  module:  ${t.modulePath}\n  label:   ${t.label}\n  serial:  ${t.serial}\n\n` +
          `Export this so other programs see the token:\n  export SOFTHSM2_CONF=${t.confPath}\n`,
      );
    }
    return 0;
  },
};
