/**
 * The headless runner (`keyrite ceremony run`, tests, the bench): drives a CeremonyRun without the
 * UI. Every need is answered from the inputs file, else from a TTY prompt on the caller's streams
 * (HeadlessIo); with neither, the run stops (resumable) and says what it needs. The command's
 * arguments are parsed by the CLI (electron/cli/commands/ceremony-run.ts).
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { KeyriteError } from '../util/errors';
import { locateToken, moduleName, type CardModule } from '../token/card-modules';
import { provisionRehearsalToken, type RehearsalKind } from '../token/rehearsal-kinds';
import { readPinFile, type PinSource } from '../token/pin-source';
import { assertScriptWithinPolicy, loadPolicyFile, loadScriptFile } from './load';
import { loadInputsFile, type RunInputs } from './inputs';
import { custodianFileName } from './prior-run';
import { openCeremonyRun } from './runner';
import { checkRunTokenCapabilities } from './run-capabilities';
import { defaultTokenFactory, resolveModulePath } from './run-token';
import { answerDeliveryNeed, answerWitnessNeed, type DeliveryAnswerer } from './delivery-headless';
import { answerConfirmNeed } from './confirm-headless';
import { isTty, makeAsk, type HeadlessIo } from './headless-io';
import { custodyDirSink } from './actions/delivery';
import type { AirGapProbe, CeremonyRun, RunInput, RunNeed, RunView, TokenFactory } from './run-types';
import { defaultPolicyPath } from './paths';
import { headlessCosigner, REHEARSAL_SCRIPT_FILE, rehearsalWitnessScript } from './witness-keys';

export interface HeadlessOptions {
  scriptFile: string;
  outDir: string;
  policyFile?: string;
  inputsFile?: string;
  rehearsal: boolean;
  from?: string;
  io: HeadlessIo;
  airGapProbe?: AirGapProbe;
  now?: () => Date;
  /** How to reach the token (default: a token host process per run); the bench wraps it to time token calls. */
  tokenFactory?: TokenFactory;
  /** Where `file` and `token` deliveries write share files (default OUT/custody). */
  custodyDir?: string;
  /** --card-module: libraries of custodians' and witnesses' own tokens besides the script's module. */
  cardModules?: CardModule[];
  /** --pin-source: where the ceremony token's PIN comes from (file:PATH or prompt), over the inputs file. */
  pinSource?: PinSource;
  /** --rehearsal-token: the kind of throwaway token a rehearsal makes (default softhsm). */
  rehearsalToken?: RehearsalKind;
}

export interface HeadlessResult {
  view: RunView;
  tokenMs: number;
}

const REHEARSAL_PIN = '123456';

function rehearsalInputsPath(scriptFile: string): string {
  return scriptFile.replace(/\.ya?ml$/, '') + '.rehearsal.yaml';
}

export async function runHeadless(o: HeadlessOptions): Promise<HeadlessResult> {
  const stops: (() => Promise<void>)[] = []; // what a rehearsal token needs running (tpm: swtpm), stopped however the run ends
  try { return await runHeadlessHolding(o, stops); } finally { for (const stop of stops) await stop(); }
}

async function runHeadlessHolding(o: HeadlessOptions, stops: (() => Promise<void>)[]): Promise<HeadlessResult> {
  const loaded = loadScriptFile(o.scriptFile);
  const { policy, text: policyText } = loadPolicyFile(o.policyFile ?? defaultPolicyPath());
  // Before anything is made (token, witness keys, the rehearsal copy): a refusal leaves nothing behind and names the person's own file.
  assertScriptWithinPolicy(loaded, policy);
  const inputsFile = o.inputsFile ?? (o.rehearsal && existsSync(rehearsalInputsPath(o.scriptFile)) ? rehearsalInputsPath(o.scriptFile) : undefined);
  const inputs: RunInputs = inputsFile ? loadInputsFile(inputsFile) : { attest: [] };
  if (o.pinSource) {
    // The named source wins over the inputs file for the ceremony token (a prompt: asked hidden when needed).
    const t = loaded.script.token, key = t.label ?? t.serial ?? '';
    const pins = { ...(inputs.pins ?? {}) };
    delete pins[key];
    if (o.pinSource.kind === 'file') pins[key] = await readPinFile(o.pinSource.path);
    inputs.pins = pins;
    delete inputs.pin;
  }
  let from = o.from;
  if (!from && o.rehearsal && inputs.prior && inputsFile) {
    // A rehearsal that needs an existing key first rehearses the ceremony that makes it.
    from = path.join(o.outDir, 'prior');
    const priorScript = path.resolve(path.dirname(inputsFile), inputs.prior);
    if (!existsSync(path.join(from, 'transcript.jsonl')) || !existsSync(path.join(from, 'report.html'))) {
      o.io.stdout.write(`Rehearsing ${path.basename(priorScript)} first into ${from} (this ceremony needs its key).\n`);
      // On SoftHSM2 whatever this run's kind: a recovery on another kind then recovers a SoftHSM2 backup (cross-vendor).
      await runHeadless({ ...o, scriptFile: priorScript, outDir: from, inputsFile: undefined, from: undefined, rehearsalToken: undefined });
    }
  }
  let script = loaded;
  const witnessKeyFiles: Record<string, string> = { ...(inputs.witnessKeys ?? {}) };
  // A run resumed in a folder started without the rehearsal copy (e.g. from the app) keeps its script.
  const startedPlain = existsSync(path.join(o.outDir, 'transcript.jsonl')) && !existsSync(path.join(o.outDir, REHEARSAL_SCRIPT_FILE));
  if (inputs.rehearsalWitnessKeys && !startedPlain) {
    if (!o.rehearsal) throw new KeyriteError('INPUT_FILE_INVALID', 'rehearsalWitnessKeys makes throwaway witness keys: it is for rehearsals only.', { action: 'Remove it from the inputs file, or run with --rehearsal.' });
    const made = await rehearsalWitnessScript(loaded, o.outDir, inputs.rehearsalWitnessKeys);
    script = made.script;
    Object.assign(witnessKeyFiles, made.keyFiles);
  }
  if (inputs.sharePassphrases && !o.rehearsal) {
    throw new KeyriteError('INPUT_FILE_INVALID', 'sharePassphrases puts custodians\' passphrases in a file: it is for rehearsals only.', { action: 'Remove it from the inputs file; each custodian types their passphrase when asked. Or run with --rehearsal.' });
  }
  const witnessCosigner = await headlessCosigner(script, witnessKeyFiles, makeAsk(o.io));
  const s = script.script;
  const label = s.token.label ?? 'keyrite-rehearsal';
  const pin = inputs.pins?.[label] ?? inputs.pin ?? REHEARSAL_PIN;
  let tokenEnv: Record<string, string> = {}, rehearsalModule: string | undefined;
  if (o.rehearsal) {
    // A recovery rebuilds the key into a fresh token; other ceremonies continue on the prior run's copy.
    const fresh = s.steps.some((x) => x.action === 'recover');
    const kind = o.rehearsalToken ?? 'softhsm';
    const t = await provisionRehearsalToken({ kind, dir: path.join(o.outDir, 'token'), label, pin, ...(from && !fresh ? { fromDir: path.join(from, 'token') } : {}) });
    tokenEnv = t.env;
    if (t.stop) stops.push(t.stop);
    if (kind !== 'softhsm') rehearsalModule = t.modulePath;
  }
  const tokens = o.tokenFactory ?? defaultTokenFactory;
  const cardModules = o.cardModules ?? [];
  // A person's token by its label: on the script's module, else on a card module.
  const serialOfLabel = async (wanted: string): Promise<string> => {
    const modulePath = resolveModulePath(s.token.module, rehearsalModule);
    const api = await tokens({ modulePath, env: tokenEnv });
    try {
      const found = await locateToken({ api, name: moduleName(modulePath) }, cardModules, tokens, { label: wanted });
      await found.close();
      return found.slot.token!.serial;
    } finally {
      await api.close?.();
    }
  };
  // Before any step: a token that cannot do what the script asks is refused now, not half-way through.
  const checkApi = await tokens({ modulePath: resolveModulePath(s.token.module, rehearsalModule), env: tokenEnv });
  try {
    await checkRunTokenCapabilities(s, checkApi, { ...(s.token.label ? { label: s.token.label } : {}), ...(s.token.serial ? { serial: s.token.serial } : {}) });
  } finally {
    await checkApi.close?.();
  }
  const run = await openCeremonyRun({
    script, policy, policyText, ...(witnessCosigner ? { witnessCosigner } : {}), ...(o.custodyDir ? { shareFileSink: custodyDirSink(o.custodyDir) } : {}), outDir: o.outDir, tokens: o.tokenFactory ?? defaultTokenFactory, tokenEnv, ...(rehearsalModule ? { modulePath: rehearsalModule } : {}), rehearsal: o.rehearsal, ...(cardModules.length > 0 ? { cardModules } : {}),
    ...(from ? { from } : {}), ...(o.airGapProbe ? { airGapProbe: o.airGapProbe } : {}), ...(o.now ? { now: o.now } : {}),
  });
  try {
    const view = await drive(run, inputs, { ...o, from, serialOfLabel });
    return { view, tokenMs: (run as unknown as { timing: { tokenMs: number } }).timing.tokenMs };
  } finally {
    await run.close();
  }
}

/** Answers the run's needs from the inputs (or a TTY) until it is sealed. */
export async function drive(run: CeremonyRun, inputs: RunInputs, o: Pick<HeadlessOptions, 'io' | 'from'> & Pick<DeliveryAnswerer, 'serialOfLabel'>): Promise<RunView> {
  let view = run.view();
  let lastError = '';
  let shown: string[] = [];
  const tty = isTty(o.io);
  const ask = makeAsk(o.io);
  const sharesGiven = [...(inputs.shares?.custodians ?? [])];
  // Every step gets its header once, whatever it asks first (login asks for a PIN, not a go).
  let headed: number | null = null;
  while (view.need.kind !== 'done') {
    const need: RunNeed = view.need;
    const step = view.current === null ? undefined : view.steps[view.current];
    if (step && view.current !== headed) {
      headed = view.current;
      o.io.stdout.write(`[${step.index + 1}/${view.steps.length}] ${step.id}: ${step.instruction}\n`);
    }
    let input: RunInput;
    switch (need.kind) {
      case 'confirm':
      case 'review':
        input = await answerConfirmNeed(need, inputs.administrator, o.io, ask);
        break;
      case 'pin':
        input = { kind: 'pin', pin: inputs.pins?.[need.token] ?? inputs.pin ?? (await ask(`PIN for token ${need.token}:`)) };
        break;
      case 'attest': {
        const next = need.witnesses.find((w) => !need.attested.includes(w))!;
        const yes = inputs.attest === 'all' || inputs.attest.includes(next) || /^y/i.test(await ask(`${next}: do you attest step "${step?.id}"? [y/N]`));
        if (!yes) throw new KeyriteError('ATTESTATION_REFUSED', `${next} did not attest step "${step?.id}".`, { action: 'Resolve the witness\'s concern, record a deviation if needed, and resume.' });
        input = { kind: 'attest', witness: next };
        break;
      }
      case 'air-gap-override': {
        if (!need.overrideAllowed) throw new KeyriteError('AIR_GAP_NOT_MET', `The machine is not air-gapped: ${need.findings.join('; ')}. Policy allows no override.`, { action: 'Disconnect every network and radio, then resume the run.' });
        const reason = inputs.airGapOverride?.reason ?? (await ask(`Not air-gapped (${need.findings.join('; ')}). Reason to override:`));
        input = { kind: 'air-gap-override', who: inputs.airGapOverride?.who ?? inputs.administrator ?? view.participants.find((p) => p.role === 'administrator')!.name, reason };
        break;
      }
      case 'show-share': {
        const share = await run.revealShare(need.custodian);
        shown = share.words;
        if (inputs.shareVerification !== 'echo') {
          o.io.stdout.write(`\nShare for ${need.custodian} (${share.fingerprint}) — only ${need.custodian} may look:\n${share.words.map((w, i) => `${i + 1}. ${w}`).join('  ')}\n`);
          await ask('Press Enter when the share is written down, then clear the screen.');
        } else {
          o.io.stdout.write(`Share ${need.position}/${need.total} handed to ${need.custodian} (${share.fingerprint}).\n`);
        }
        input = { kind: 'share-shown', custodian: need.custodian };
        break;
      }
      case 'verify-share': {
        const words = inputs.shareVerification === 'echo'
          ? need.positions.map((p) => shown[p - 1] ?? '')
          : (await ask(`${need.custodian}: type words ${need.positions.join(', ')} of your share, separated by spaces:`)).split(/\s+/);
        input = { kind: 'verify-share', custodian: need.custodian, words };
        break;
      }
      case 'share-input': {
        const who = sharesGiven.shift();
        let text: string;
        if (who && o.from) {
          const { readFileSync } = await import('node:fs');
          text = readFileSync(path.join(o.from, inputs.shares?.dir ?? 'shares', `${custodianFileName(who)}.txt`), 'utf8');
        } else text = await ask(`Share ${need.received + 1} of ${need.needed}: type its words separated by spaces:`);
        const { wordsFromText } = await import('../shares');
        input = { kind: 'share-input', share: { kind: 'words', words: wordsFromText(text) } };
        break;
      }
      case 'witness-cosign':
        input = await answerWitnessNeed(need, inputs, { io: o.io, ask, ...(o.serialOfLabel ? { serialOfLabel: o.serialOfLabel } : {}) });
        break;
      case 'share-file':
      case 'verify-share-file':
      case 'share-token':
      case 'verify-share-token':
        input = await answerDeliveryNeed(need, { io: o.io, inputs, ask, ...(o.serialOfLabel ? { serialOfLabel: o.serialOfLabel } : {}) });
        break;
      case 'running':
        throw new KeyriteError('INTERNAL', 'The run stopped while a step was running.', { action: 'Resume the run.' });
    }
    view = await run.submit(input);
    if (view.error) {
      const sig = `${view.error.code}:${view.current}`;
      // A refusal that stops the run is said once, by the command's error output; one the run goes on
      // from (asked again on a TTY, a share check tried again) is said here.
      if (!tty && (sig === lastError || view.error.code !== 'SHARE_VERIFY_FAILED')) throw KeyriteError.fromData(view.error);
      o.io.stderr.write(`  ${view.error.code}: ${view.error.message}\n`);
      lastError = sig;
    }
    const cur = view.current === null ? undefined : view.steps[view.current];
    if (cur && step && cur.id !== step.id) {
      const done = view.steps[step.index];
      for (const f of done?.facts ?? []) o.io.stdout.write(`    ${f.label}: ${f.value}\n`);
    }
  }
  o.io.stdout.write(`Ceremony ${view.ceremonyId} sealed in ${view.outDir}. Verify it with: keyrite verify ${view.outDir}\n`);
  return view;
}
