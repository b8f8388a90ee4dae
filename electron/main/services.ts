/**
 * Builds the handler table's dependencies for the app, the same way the e2e harness does, with
 * the token host in a utilityProcess. Electron objects come in through `shell`, so this file is
 * tested in plain Node.
 */
import type { CeremonyEventMap } from '../contract/index';
import { createAirGapProbe } from '../core/ceremony/air-gap';
import { openCeremonyRun } from '../core/ceremony/runner';
import type { ShareFileSink, TokenFactory } from '../core/ceremony/run-types';
import type { HandlerDeps } from '../core/ipc/handlers';
import type { PrintService } from '../core/ipc/print-handlers';
import { createCoreServices } from '../core/ipc/services';
import { listAcrossModules, moduleName, type CardModule } from '../core/token/card-modules';
import { createTokenClient, type TokenClient } from '../core/token/client';
import type { HostSpawner } from '../core/token/host-protocol';
import { findSoftHsmModule } from '../core/token/rehearsal';
import { isKeyriteError, KeyriteError } from '../core/util/errors';
import { isAbsolute, join } from 'node:path';

export interface ShellServices {
  version: string;
  platform: string;
  dataDir: string;
  rehearsal: boolean;
  /** KEYRITE_PKCS11_MODULE: the vendor PKCS#11 library to load. */
  modulePath: string | undefined;
  /** KEYRITE_CARD_MODULES (parseCardModules): the libraries of people's own cards, when not that one. */
  cardModules?: CardModule[];
  spawnTokenHost: HostSpawner;
  pickFolder(): Promise<string | null>;
  /** Pushes an event to the main window (webContents.send). */
  emit<E extends keyof CeremonyEventMap>(channel: E, payload: CeremonyEventMap[E]): void;
  /** Printing and PDF export (printing.ts createPrintService); absent, the print channels say so. */
  print?: PrintService;
  /** A witness's signer key file, chosen in main's open dialog (ceremony-dialogs.ts); null = cancelled. */
  pickWitnessKeyFile?: (witness: string) => Promise<string | null>;
  /** Where a custodian's encrypted share file is saved (ceremony-dialogs.ts createShareFileSink). */
  shareFileSink?: ShareFileSink;
}

/**
 * Where ceremonies are kept: KEYRITE_DATA_DIR when set (an absolute path; the e2e 'electron'
 * project gives each test its own), else <userData>/ceremonies.
 */
export function chooseDataDir(override: string | undefined, userData: string): string {
  if (override === undefined || override === '') return join(userData, 'ceremonies');
  if (!isAbsolute(override)) {
    throw new KeyriteError('DATA_DIR_INVALID', `KEYRITE_DATA_DIR must be an absolute path, not ${override}.`, {
      action: 'Set KEYRITE_DATA_DIR to the full path of the data folder, or unset it to use the default.',
    });
  }
  return override;
}

/** The PKCS#11 module: the one configured, or SoftHSM2 in a rehearsal. */
export function chooseModulePath(configured: string | undefined, rehearsal: boolean, findSoftHsm: () => string | undefined = findSoftHsmModule): string | undefined {
  if (configured !== undefined && configured !== '') return configured;
  return rehearsal ? findSoftHsm() : undefined;
}

export function noModuleError(): KeyriteError {
  return new KeyriteError('TOKEN_MODULE_NOT_SET', 'No PKCS#11 module is configured.', {
    action: 'Start Keyrite with KEYRITE_PKCS11_MODULE set to the path of your HSM vendor library, or in rehearsal mode.',
  });
}

/** Logs a card module that cannot list its slots, once per module and error (the list is polled). */
function cardErrorLogger(): (m: CardModule, e: unknown) => void {
  const last = new Map<string, string>();
  return (m, e) => {
    const line = `tokens: card module ${m.name} (${m.path}) could not list its slots: ${e instanceof Error ? e.message : String(e)}`;
    if (last.get(m.path) === line) return;
    last.set(m.path, line);
    console.warn(line);
  };
}

export function buildHandlerDeps(shell: ShellServices): { deps: HandlerDeps; tokens: TokenClient | undefined; closeTokens(): Promise<void> } {
  const modulePath = chooseModulePath(shell.modulePath, shell.rehearsal);
  const tokens = modulePath === undefined ? undefined : createTokenClient({ modulePath, spawner: shell.spawnTokenHost });
  // Each ceremony gets its own host (a rehearsal brings its own SOFTHSM2_CONF), also in a utilityProcess.
  const tokenFactory: TokenFactory = async ({ modulePath: path, env }) => createTokenClient({ modulePath: path, env, spawner: shell.spawnTokenHost });
  // A card module that is the token module itself would list every token twice.
  const cardModules = (shell.cardModules ?? []).filter((m) => m.path !== modulePath);
  // Card modules' hosts start on first use, like the token module's.
  const cards = tokens ? cardModules.map((m) => ({ module: m, api: createTokenClient({ modulePath: m.path, spawner: shell.spawnTokenHost }) })) : [];
  const airGapProbe = createAirGapProbe();
  const logCardError = cardErrorLogger();
  const deps: HandlerDeps = {
    dataDir: shell.dataDir,
    app: { version: shell.version, platform: shell.platform, rehearsal: shell.rehearsal },
    tokens: tokens && modulePath !== undefined
      ? { listSlots: async () => (cards.length === 0 ? tokens.listSlots() : listAcrossModules({ api: tokens, name: moduleName(modulePath) }, cards, logCardError)) }
      : {
          listSlots: async () => {
            throw noModuleError();
          },
        },
    ...createCoreServices({ dataDir: shell.dataDir }),
    pickFolder: shell.pickFolder,
    emit: shell.emit,
    airGapProbe,
  };
  if (shell.print) deps.print = shell.print;
  if (modulePath !== undefined) {
    deps.ceremony = { tokens: tokenFactory, modulePath, rehearsal: shell.rehearsal, airGapProbe, openRun: openCeremonyRun };
    if (cardModules.length > 0) deps.ceremony.cardModules = cardModules;
    if (shell.pickWitnessKeyFile) deps.ceremony.pickWitnessKeyFile = shell.pickWitnessKeyFile;
    if (shell.shareFileSink) deps.ceremony.shareFileSink = shell.shareFileSink;
  }
  const closeTokens = async () => {
    await Promise.all([tokens?.close(), ...cards.map((c) => c.api.close())]);
  };
  return { deps, tokens, closeTokens };
}

/**
 * What the person who started Keyrite is told when it cannot start (a bad KEYRITE_DATA_DIR or
 * KEYRITE_CARD_MODULES, a module that will not load): the error and what to do, in an error box,
 * since a desktop start has no terminal to print to.
 */
export function startupErrorText(e: unknown): { title: string; content: string } {
  const message = e instanceof Error ? e.message : String(e);
  const action = isKeyriteError(e) && e.action ? `\n\n${e.action}` : '';
  return { title: 'Keyrite could not start', content: `${message}${action}` };
}
