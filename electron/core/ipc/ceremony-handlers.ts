/**
 * Handlers for the ceremony channels (electron/contract/ceremony-views.ts and ceremony-inputs.ts),
 * merged into the handler table (which parses each request with its zod schema first), with the
 * recovery channels (./recovery-handlers.ts).
 * Main owns the run: the renderer only asks for transitions and gets the whole view back.
 * Never returned: a PIN, a wrapping key. A share's words only from `ceremony/reveal-share`.
 */
import { createHash } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import path from 'node:path';
import type { LoadScriptReq } from '../../contract/ceremony-inputs';
import type { HandlerTable } from '../../contract/index';
import type { ScriptSummary } from '../../contract/script-views';
import { assertScriptWithinPolicy, parsePolicy, parseScript, type LoadedScript } from '../ceremony/load';
import { openCeremonyRun } from '../ceremony/runner';
import { CEREMONY_TYPE_DEFS } from '../ceremony/types/index';
import { createAirGapProbe } from '../ceremony/air-gap';
import { runPreflight } from '../ceremony/preflight';
import type { Policy } from '../ceremony/policy-schema';
import type { CeremonyRun, OpenRunOptions } from '../ceremony/run-types';
import { KeyriteError } from '../util/errors';
import { appWitnessCosigner, runFolderName, type CeremonyHandlerDeps } from './ceremony-services';
import { bindChannels, type ChannelImpls, type ChannelsOf } from './dispatch';
import { recoveryChannels } from './recovery-handlers';
import { bundledTemplateDir, defaultTemplatesDir } from './templates';

type CeremonyChannel = ChannelsOf<'ceremony'> | ChannelsOf<'recovery'>;

const DEFAULT_POLICY_FILE = path.join('resources', 'policy', 'default.yaml');

function noRunner(): KeyriteError {
  return new KeyriteError('CEREMONY_UNAVAILABLE', 'Ceremonies cannot run here: no token module is configured.', {
    action: 'Start Keyrite with KEYRITE_PKCS11_MODULE set to your HSM vendor library, or in rehearsal mode.',
  });
}

function noRun(): KeyriteError {
  return new KeyriteError('CEREMONY_NOT_OPEN', 'No ceremony is open.', { action: 'Load the ceremony script first.' });
}

/** The ceremony and recovery channels alone, bound as in the handler table (parsed, Result-wrapped). */
export function createCeremonyHandlers(deps: CeremonyHandlerDeps): Pick<HandlerTable, CeremonyChannel> {
  return bindChannels(ceremonyChannels(deps));
}

/** The ceremony channels' implementations; main owns the run, so it lives here between calls. */
export function ceremonyChannels(deps: CeremonyHandlerDeps): ChannelImpls<CeremonyChannel> {
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

  async function check(req: LoadScriptReq): Promise<{ loaded: LoadedScript; policy: Policy; policyText: string }> {
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
    'ceremony/validate': async (req): Promise<ScriptSummary> => {
      const { loaded, policy, policyText } = await check(req);
      const s = loaded.script;
      const sha = (text: string) => createHash('sha256').update(text).digest('hex');
      const token = [s.token.label ? `label ${s.token.label}` : '', s.token.serial ? `serial ${s.token.serial}` : ''].filter(Boolean).join(', ');
      return {
        ceremonyId: s.id, title: s.title, purpose: s.purpose, type: s.type, participants: s.participants, stepCount: s.steps.length,
        needsPriorRun: CEREMONY_TYPE_DEFS[s.type].needsPriorRun,
        facts: {
          algorithm: s.key.algorithm, keyLabel: s.key.label, keyClass: s.key.class, token: `${token} (module ${s.token.module})`,
          split: s.backup ? `${s.backup.k}-of-${s.backup.n}` : null,
          witnesses: s.participants.filter((p) => p.role === 'witness').length,
          policyName: policy.name, policySha256: sha(policyText), scriptSha256: sha(loaded.text),
        },
      };
    },
    'ceremony/load': async (req) => {
      const services = deps.ceremony;
      if (!services) throw noRunner();
      if (run) {
        throw new KeyriteError('CEREMONY_ALREADY_OPEN', `Ceremony ${run.view().ceremonyId} is still open.`, { action: 'Finish or close it before loading another script.' });
      }
      const checked = await check(req);
      const { policy, policyText } = checked;
      // A template from the gallery reads its files (CSR, manifest...) from beside it, as on the command line.
      const templateDir = await bundledTemplateDir(deps.templatesDir ?? defaultTemplatesDir(), req.fileName, req.text);
      const loaded = templateDir ? { ...checked.loaded, dir: templateDir } : checked.loaded;
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
    },
    'ceremony/preflight': async (req) => {
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
    },
    'ceremony/view': async () => run?.view() ?? null,
    'ceremony/submit': async (input) => current().submit(input),
    'ceremony/reveal-share': async ({ custodian }) => current().revealShare(custodian),
    'ceremony/deviation': async ({ who, why }) => current().recordDeviation(who, why),
    'ceremony/close': async () => {
      const r = run;
      run = null;
      unsubscribe?.();
      unsubscribe = null;
      if (r) await r.close();
      return null;
    },
    ...recoveryChannels(deps.ceremony),
  };
}
