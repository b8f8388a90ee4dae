/**
 * Builds the handler table's dependencies for the app. Electron objects come in through `shell`
 * so this file stays testable; everything else is core code.
 */
import type { HandlerDeps } from '../core/ipc/deps';
import { createTokenClient, type TokenClient } from '../core/token/client';
import type { HostSpawner } from '../core/token/host-protocol';
import { findSoftHsmModule } from '../core/token/rehearsal';
import { KeyriteError } from '../core/util/errors';

export interface ShellServices {
  version: string;
  platform: string;
  dataDir: string;
  rehearsal: boolean;
  /** KEYRITE_PKCS11_MODULE: the vendor PKCS#11 library to load. */
  modulePath: string | undefined;
  spawnTokenHost: HostSpawner;
  pickFolder(): Promise<string | null>;
}

/** The PKCS#11 module: the one configured, or SoftHSM2 in a rehearsal. */
export function chooseModulePath(configured: string | undefined, rehearsal: boolean): string | undefined {
  if (configured !== undefined && configured !== '') return configured;
  return rehearsal ? findSoftHsmModule() : undefined;
}

function noModule(): KeyriteError {
  return new KeyriteError('TOKEN_MODULE_NOT_SET', 'No PKCS#11 module is configured.', {
    action: 'Start Keyrite with KEYRITE_PKCS11_MODULE set to the path of your HSM vendor library, or in rehearsal mode.',
  });
}

export function buildHandlerDeps(shell: ShellServices): { deps: HandlerDeps; tokens: TokenClient | undefined } {
  const modulePath = chooseModulePath(shell.modulePath, shell.rehearsal);
  const tokens = modulePath === undefined ? undefined : createTokenClient({ modulePath, spawner: shell.spawnTokenHost });
  const deps: HandlerDeps = {
    dataDir: shell.dataDir,
    app: { version: shell.version, platform: shell.platform, rehearsal: shell.rehearsal },
    tokens: tokens ?? {
      listSlots: async () => {
        throw noModule();
      },
    },
    pickFolder: shell.pickFolder,
  };
  return { deps, tokens };
}
