/**
 * What the ceremony and recovery channels need from the app (or the e2e harness), and the small
 * services built on it: the witness cosigner main uses, run folder names, and the token client for
 * a custodian's own token.
 */
import type { CeremonyEventMap } from '../../contract/index';
import type { WitnessCosigner } from '../ceremony/run-seal';
import { loadWitnessSigner } from '../ceremony/witness-keys';
import type { AirGapProbe, CeremonyRun, OpenRunOptions, ShareFileSink, TokenFactory } from '../ceremony/run-types';
import { locateToken, moduleName, type CardModule } from '../token/card-modules';
import type { TokenApi } from '../token/types';
import { KeyriteError } from '../util/errors';

/** What the ceremony runner needs from the app (or the e2e harness). */
export interface CeremonyServices {
  tokens: TokenApi | TokenFactory;
  tokenEnv?: Record<string, string>;
  modulePath?: string;
  rehearsal: boolean;
  airGapProbe?: AirGapProbe;
  /** Text of the policy used when the administrator gives none; else resources/policy/default.yaml. */
  defaultPolicyText?: string;
  /**
   * Asks for a witness's signer key file (Electron: main's own open dialog; the e2e harness: a path
   * the test set). The key is read in main and never crosses IPC. Without it, a script with a witness
   * whose recorded key is Ed25519 (possibly a key file) is refused (WITNESS_COSIGNER_MISSING); ECDSA/RSA
   * witness keys live on tokens and need no picker. null = the person cancelled
   * (WITNESS_KEY_NOT_CHOSEN; the witness-cosign need stays).
   */
  pickWitnessKeyFile?: (witness: string) => Promise<string | null>;
  /** Where `file`/`token` share deliveries are written (Electron: a save dialog); see OpenRunOptions.shareFileSink. */
  shareFileSink?: ShareFileSink;
  /** PKCS#11 modules of people's own cards besides modulePath (KEYRITE_CARD_MODULES); see OpenRunOptions.cardModules. */
  cardModules?: CardModule[];
  /** The runner; openCeremonyRun (electron/core/ceremony/runner) unless a test gives another. */
  openRun?: (opts: OpenRunOptions) => Promise<CeremonyRun>;
}

export interface CeremonyHandlerDeps {
  /** Folder where ceremony runs are kept. */
  dataDir: string;
  /** Folder of the bundled ceremony script templates (default resources/ceremonies). */
  templatesDir?: string;
  /** Absent where no token module is configured: the ceremony channels then say so. */
  ceremony?: CeremonyServices;
  /** Pushes an event to the renderer (webContents.send in Electron, the bridge in the harness). */
  emit?: <E extends keyof CeremonyEventMap>(channel: E, payload: CeremonyEventMap[E]) => void;
}

/**
 * The app's witness cosigner: main asks for the witness's signer key file (its own dialog), reads it
 * and checks it against the key the script records (loadWitnessSigner). The key stays in main, for
 * this one cosignature; the renderer only ever sent the witness's name.
 */
export function appWitnessCosigner(pick: (witness: string) => Promise<string | null>): WitnessCosigner {
  return async (w) => {
    const file = await pick(w.name);
    if (file === null) {
      throw new KeyriteError('WITNESS_KEY_NOT_CHOSEN', `No key file was chosen for witness ${w.name}: the final checkpoint is not cosigned yet.`, {
        action: `${w.name}: choose your signer key file (PRIVATE+KEY+witness/...) to cosign, or close the ceremony and finish it later; it waits here.`,
        details: { witness: w.name },
      });
    }
    return loadWitnessSigner(file, w);
  };
}

/** A ceremony folder name that sorts by time and never collides with an earlier run. */
export function runFolderName(ceremonyId: string, now: Date): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  return `${ceremonyId}-${stamp}`;
}

/**
 * The client of the module holding the token with `serial`: the app's own module first, then each
 * card module. A factory's clients are started for this one share and closed after.
 */
export async function withTokenApi<T>(services: CeremonyServices | undefined, serial: string, fn: (t: TokenApi) => Promise<T>): Promise<T> {
  if (!services) {
    throw new KeyriteError('TOKEN_MODULE_UNAVAILABLE', 'Shares on a token cannot be opened here: no token module is configured.', {
      action: 'Start Keyrite with KEYRITE_PKCS11_MODULE set to the custodian token\'s PKCS#11 library, or enter the share\'s words.',
    });
  }
  const { tokens } = services;
  if (typeof tokens !== 'function') return fn(tokens);
  const client = await tokens({ modulePath: services.modulePath ?? '', env: services.tokenEnv ?? {} });
  let located: Awaited<ReturnType<typeof locateToken>> | null = null;
  try {
    located = await locateToken({ api: client, name: moduleName(services.modulePath ?? '') }, services.cardModules ?? [], tokens, { serial });
    return await fn(located.api);
  } finally {
    if (located?.module) await located.close();
    await client.close?.();
  }
}
