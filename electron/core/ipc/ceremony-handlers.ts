/**
 * Handlers for the ceremony, custodian and recovery channels (electron/contract/ceremony.ts),
 * merged into the handler table (which parses each request with its zod schema first).
 * Main owns the run: the renderer only asks for transitions and gets the whole view back.
 * Never returned: a PIN, a wrapping key. A share's words only from `ceremony/reveal-share`.
 */
import { createHash } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import path from 'node:path';
import type { CeremonyEventMap, CeremonyInvokeMap, RecoveryView, ScriptSummary, WordCheck } from '../../contract/ceremony';
import type { Result } from '../../contract/index';
import { assertScriptWithinPolicy, parsePolicy, parseScript, type LoadedScript } from '../ceremony/load';
import { openCeremonyRun } from '../ceremony/runner';
import { createAirGapProbe } from '../ceremony/air-gap';
import { runPreflight } from '../ceremony/preflight';
import type { WitnessCosigner } from '../ceremony/run-seal';
import { loadWitnessSigner } from '../ceremony/witness-keys';
import type { Policy } from '../ceremony/policy-schema';
import type { AirGapProbe, CeremonyRun, OpenRunOptions, ShareFileSink, TokenFactory } from '../ceremony/run-types';
import { locateToken, moduleName, type CardModule } from '../token/card-modules';
import type { TokenApi } from '../token/types';
import { asResult, KeyriteError } from '../util/errors';
import { wordlist } from '@scure/bip39/wordlists/english.js';
import { lookupWord, openTokenShareOnToken, parseBackupFile, RecoverySession, SHARE_WORDS, verifyBackupFile } from '../shares/index';
import { enteredShareToInput } from '../shares/share-input';

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
  /** Absent where no token module is configured: the ceremony channels then say so. */
  ceremony?: CeremonyServices;
  /** Pushes an event to the renderer (webContents.send in Electron, the bridge in the harness). */
  emit?: <E extends keyof CeremonyEventMap>(channel: E, payload: CeremonyEventMap[E]) => void;
}

type CeremonyHandlers = { [C in keyof CeremonyInvokeMap]: (req: CeremonyInvokeMap[C]['req']) => Promise<Result<CeremonyInvokeMap[C]['res']>> };

const DEFAULT_POLICY_FILE = path.join('resources', 'policy', 'default.yaml');

function noRunner(): KeyriteError {
  return new KeyriteError('CEREMONY_UNAVAILABLE', 'Ceremonies cannot run here: no token module is configured.', {
    action: 'Start Keyrite with KEYRITE_PKCS11_MODULE set to your HSM vendor library, or in rehearsal mode.',
  });
}

function noRun(): KeyriteError {
  return new KeyriteError('CEREMONY_NOT_OPEN', 'No ceremony is open.', { action: 'Load the ceremony script first.' });
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

export function createCeremonyHandlers(deps: CeremonyHandlerDeps): CeremonyHandlers {
  let run: CeremonyRun | null = null;
  let unsubscribe: (() => void) | null = null;

  /** The policy and its exact text: the transcript records the text's hash, which `keyrite verify --policy FILE` compares. */
  async function policyFor(policyText: string | undefined): Promise<{ policy: Policy; text: string }> {
    if (policyText !== undefined) return { policy: parsePolicy(policyText, 'policy.yaml').policy, text: policyText };
    const text = deps.ceremony?.defaultPolicyText ?? await fsp.readFile(DEFAULT_POLICY_FILE, 'utf8').catch(() => {
      throw new KeyriteError('POLICY_MISSING', 'The default policy file was not found.', { action: 'Choose the policy file on the load screen.' });
    });
    return { policy: parsePolicy(text, 'default policy').policy, text };
  }

  async function check(req: CeremonyInvokeMap['ceremony/validate']['req']): Promise<{ loaded: LoadedScript; policy: Policy; policyText: string }> {
    const loaded = parseScript(req.text, req.fileName);
    const { policy, text } = await policyFor(req.policyText);
    assertScriptWithinPolicy(loaded, policy);
    return { loaded, policy, policyText: text };
  }

  function current(): CeremonyRun {
    if (!run) throw noRun();
    return run;
  }

  return {
    'ceremony/validate': (req) => asResult(async (): Promise<ScriptSummary> => {
      const { loaded, policy, policyText } = await check(req);
      const s = loaded.script;
      const sha = (text: string) => createHash('sha256').update(text).digest('hex');
      const token = [s.token.label ? `label ${s.token.label}` : '', s.token.serial ? `serial ${s.token.serial}` : ''].filter(Boolean).join(', ');
      return {
        ceremonyId: s.id, title: s.title, purpose: s.purpose, type: s.type, participants: s.participants, stepCount: s.steps.length,
        facts: {
          algorithm: s.key.algorithm, keyLabel: s.key.label, keyClass: s.key.class, token: `${token} (module ${s.token.module})`,
          split: s.backup ? `${s.backup.k}-of-${s.backup.n}` : null,
          witnesses: s.participants.filter((p) => p.role === 'witness').length,
          policyName: policy.name, policySha256: sha(policyText), scriptSha256: sha(loaded.text),
        },
      };
    }),
    'ceremony/load': (req) => asResult(async () => {
      const services = deps.ceremony;
      if (!services) throw noRunner();
      if (run) {
        throw new KeyriteError('CEREMONY_ALREADY_OPEN', `Ceremony ${run.view().ceremonyId} is still open.`, { action: 'Finish or close it before loading another script.' });
      }
      const { loaded, policy, policyText } = await check(req);
      // Resuming reopens the run's own folder: the runner replays its journal and refuses another script.
      const outDir = req.resume ?? path.join(deps.dataDir, runFolderName(loaded.script.id, new Date()));
      const opts: OpenRunOptions = { script: loaded, policy, policyText, outDir, tokens: services.tokens, rehearsal: services.rehearsal };
      if (services.tokenEnv) opts.tokenEnv = services.tokenEnv;
      if (services.modulePath) opts.modulePath = services.modulePath;
      if (services.airGapProbe) opts.airGapProbe = services.airGapProbe;
      if (req.from) opts.from = req.from;
      if (services.pickWitnessKeyFile) opts.witnessCosigner = appWitnessCosigner(services.pickWitnessKeyFile);
      if (services.shareFileSink) opts.shareFileSink = services.shareFileSink;
      if (services.cardModules) opts.cardModules = services.cardModules;
      const opened = await (services.openRun ?? openCeremonyRun)(opts);
      run = opened;
      const offChanged = opened.on('changed', (view) => deps.emit?.('ceremony/changed', { view }));
      const offProgress = opened.on('progress', (event) => deps.emit?.('ceremony/progress', event));
      unsubscribe = () => { offChanged(); offProgress(); };
      return opened.view();
    }),
    'ceremony/preflight': (req) => asResult(async () => {
      const services = deps.ceremony;
      if (!services) throw noRunner();
      const { loaded, policy } = await check(req);
      return runPreflight(loaded.script, {
        tokens: services.tokens, rehearsal: services.rehearsal, dataDir: deps.dataDir, policy,
        airGapProbe: services.airGapProbe ?? createAirGapProbe(),
        ...(services.modulePath ? { modulePath: services.modulePath } : {}),
        ...(services.tokenEnv ? { tokenEnv: services.tokenEnv } : {}),
        ...(services.cardModules ? { cardModules: services.cardModules } : {}),
      });
    }),
    'ceremony/view': () => asResult(async () => run?.view() ?? null),
    'ceremony/submit': (input) => asResult(() => current().submit(input)),
    'ceremony/reveal-share': ({ custodian }) => asResult(() => current().revealShare(custodian)),
    'ceremony/deviation': ({ who, why }) => asResult(() => current().recordDeviation(who, why)),
    'ceremony/close': () => asResult(async () => {
      const r = run;
      run = null;
      unsubscribe?.();
      unsubscribe = null;
      if (r) await r.close();
      return null;
    }),
    ...createRecoveryHandlers(deps.ceremony),
  };
}

/** Checks one typed word or prefix against the share word list (BIP-39 English, unique 4-letter prefixes). */
export function checkShareWord(input: string): WordCheck {
  const typed = input.trim().toLowerCase();
  if (typed === '') return { word: null, suggestions: [], unknown: false };
  const idx = lookupWord(typed);
  if (idx !== undefined) return { word: wordlist[idx] ?? null, suggestions: [], unknown: false };
  const suggestions = typed.length < 4 ? wordlist.filter((w) => w.startsWith(typed)) : [];
  return { word: null, suggestions: suggestions.slice(0, 8), unknown: suggestions.length === 0 };
}

/**
 * The client of the module holding the token with `serial`: the app's own module first, then each
 * card module. A factory's clients are started for this one share and closed after.
 */
async function withTokenApi<T>(services: CeremonyServices | undefined, serial: string, fn: (t: TokenApi) => Promise<T>): Promise<T> {
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

interface OpenRecovery {
  id: string;
  session: RecoverySession;
}

function recoveryView(r: OpenRecovery, complete: boolean): RecoveryView {
  const { backup } = r.session;
  return {
    sessionId: r.id,
    ceremonyId: backup.sealed.ceremonyId,
    keyLabel: backup.sealed.key.label,
    k: backup.split.k,
    n: backup.split.n,
    wordCount: SHARE_WORDS,
    accepted: r.session.accepted.map((s, i) => ({ ordinal: i + 1, fingerprint: s.fingerprint, custodian: s.custodian, x: s.index })),
    complete,
    facts: complete ? [
      { label: 'Wrapping key', value: 'Rebuilt from the shares and matches its commitment in the backup' },
      { label: 'Key', value: `${backup.sealed.key.label} (${backup.sealed.key.algorithm}), id ${backup.sealed.key.id}`, mono: true },
      { label: 'Shares used', value: r.session.accepted.map((s) => `${s.custodian} (#${s.index})`).join(', ') },
    ] : [],
  };
}

type RecoveryHandlers = Pick<CeremonyHandlers, 'recovery/start' | 'recovery/check-word' | 'recovery/add-share' | 'recovery/close'>;

/** Share entry against a backup file: each share checked on entry, the wrapping key rebuilt and checked at k. */
function createRecoveryHandlers(services: CeremonyServices | undefined): RecoveryHandlers {
  let open: OpenRecovery | null = null;
  let counter = 0;
  const current = (): OpenRecovery => {
    if (!open) throw new KeyriteError('RECOVERY_NOT_OPEN', 'No recovery is open.', { action: 'Choose the backup file first.' });
    return open;
  };
  return {
    'recovery/start': ({ backupText }) => asResult(async () => {
      const backup = parseBackupFile(backupText);
      verifyBackupFile(backup);
      open?.session.dispose();
      open = { id: `recovery-${++counter}`, session: new RecoverySession(backup) };
      return recoveryView(open, false);
    }),
    'recovery/check-word': ({ input }) => asResult(async () => checkShareWord(input)),
    'recovery/add-share': (input) => asResult(async () => {
      const r = current();
      r.session.add(await enteredShareToInput(input, (serial, pin, content) => withTokenApi(services, serial, (t) => openTokenShareOnToken(t, serial, pin, content))));
      if (!r.session.progress.complete) return recoveryView(r, false);
      try {
        await r.session.rebuild();
      } catch (e) {
        // A share that does not fit is taken back out, so the session stays usable with the others.
        const bad = e instanceof KeyriteError ? e.details?.bad : undefined;
        if (Array.isArray(bad)) for (const b of bad as { index: number }[]) r.session.remove(b.index);
        throw e;
      }
      return recoveryView(r, true);
    }),
    'recovery/close': () => asResult(async () => {
      open?.session.dispose();
      open = null;
      return null;
    }),
  };
}
