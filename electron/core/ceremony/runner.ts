/**
 * The ceremony runner: drives the engine over the script's steps, asks for exactly the input the
 * current step needs, journals every transition (fsynced) before the view moves on, and resumes an
 * interrupted run from its journal. Serves the headless CLI and the UI alike.
 */
import { createHash, randomBytes } from 'node:crypto';
import path from 'node:path';
import { KeyriteError, toErrorData, type ErrorData } from '../util/errors';
import type { Journal } from '../transcript/journal';
import type { AppendInput, EntryKind, JournalEntry } from '../transcript/entry-kinds';
import { proofNoteName, writeRunCheckpoint } from './checkpoint-signers';
import { generateKeyNoteFile } from './transcript-key-file';
import { openRunJournal } from './run-journal';
import type { SessionId, TokenApi } from '../token/types';
import { initialState, intentsOf, pendingAttesters, reduce, type EngineState } from './engine';
import { applyFact, engineEventOf, type RunFacts } from './run-facts';
import { ENTRY_KINDS } from '../transcript/entry-kinds';
import { runView } from './run-view';
import { assertScriptWithinPolicy } from './load';
import { createAirGapProbe } from './air-gap';
import { loadPriorRun, type PriorRun } from './prior-run';
import { HANDLERS } from './actions';
import { handlerNeedsSession, type StepContext, type StepOutcome } from './step-context';
import type { CeremonyRun, OpenRunOptions, RevealedShare, RunEvents, RunInput, RunNeed, RunView } from './run-types';
import type { TokenSelection } from './script-schema';
import { tokenUri } from '../token/pkcs11-uri';
import { REHEARSAL_USER_PIN } from '../token/rehearsal';
import { closeOtherToken, openOtherRunToken, openRunToken, type OtherToken, type RunToken } from './run-token';
import { assertPriorGiven, assertWitnessCosigner, checkInputMatchesNeed, needAfterTokenError } from './run-checks';
import { sealFinalCheckpoint, sealNeedsProof, writeSealExports } from './run-seal';
import { cosignWitnesses } from './witness-cosign';
import { witnessTokenSigning } from './witness-keys';
import canonicalize from 'canonicalize';
import { startProvenance } from '../provenance/start';

const SYSTEM = { role: 'system', name: 'keyrite' };

export async function openCeremonyRun(opts: OpenRunOptions): Promise<CeremonyRun> {
  assertScriptWithinPolicy(opts.script, opts.policy);
  assertPriorGiven(opts);
  assertWitnessCosigner(opts);
  const run = new Run(opts);
  try {
    await run.open();
  } catch (e) {
    await run.close().catch(() => undefined); // a refused resume must not leave the journal open
    throw e;
  }
  return run;
}

class Run implements CeremonyRun {
  private journal!: Journal;
  private engine: EngineState;
  private readonly facts: RunFacts = {};
  private readonly prior: PriorRun | undefined;
  private need: RunNeed = { kind: 'running', message: 'Opening the ceremony' };
  private error: ErrorData | null = null;
  private readonly listeners: { [E in keyof RunEvents]: Set<RunEvents[E]> } = { changed: new Set(), progress: new Set() };
  private readonly scratch = new Map<string, unknown>();
  private offered: RevealedShare | null = null;
  private runToken: RunToken | undefined;
  private session: SessionId | undefined;
  private others: OtherToken[] = [];
  private busy = false;
  private sealChanged = false; // since the exports were last written
  readonly timing = { tokenMs: 0 };
  private readonly runId = randomBytes(8).toString('hex');

  constructor(private readonly opts: OpenRunOptions) {
    this.engine = initialState(opts.script.script.steps);
    this.prior = opts.from ? loadPriorRun(opts.from) : undefined;
  }

  private get script() { return this.opts.script.script; }

  async open(): Promise<void> {
    const opened = await openRunJournal(this.opts.outDir, this.script.id);
    this.journal = opened.journal;
    if (opened.resumed) {
      const journal = this.journal;
      const start = journal.entries()[0];
      const sha = (start?.data as { script?: { sha256?: string } } | undefined)?.script?.sha256;
      if (sha !== this.scriptSha()) {
        throw new KeyriteError('RESUME_SCRIPT_MISMATCH', `${this.opts.outDir} holds a run of a different script (or the script changed since).`, { action: 'Resume with the exact script the run started with, or choose a new --out folder.' });
      }
      for (const e of journal.entries()) this.replay(e);
    } else {
      const transcriptKey = await generateKeyNoteFile(this.opts.outDir, this.script.id);
      const provenance = await startProvenance(this.opts, () => this.tokenApi());
      this.facts.provenance = provenance;
      await this.journal.append({
        kind: 'ceremony.start', step: '-', actor: SYSTEM,
        data: {
          script: { id: this.script.id, title: this.script.title, type: this.script.type, version: String(this.script.version), sha256: this.scriptSha() },
          steps: this.script.steps.map((s) => s.id),
          participants: this.script.participants.map((p) => ({ role: p.role, name: p.name, ...(p.key ? { verifierKey: p.key } : {}) })),
          transcriptKey, transcriptKeySource: 'file',
          policy: { id: this.opts.policy.name, sha256: createHash('sha256').update(this.opts.policyText ?? canonicalize(this.opts.policy) ?? '').digest('hex') },
          rehearsal: this.opts.rehearsal, provenance,
          ...(this.script.successor ? { successorLabel: this.script.successor.label } : {}),
        } as AppendInput<'ceremony.start'>['data'],
      });
      const priorKey = this.prior?.keys.findLast((k) => k.label === this.script.key.label) ?? this.prior?.facts.key;
      if (this.prior && priorKey) {
        const k = priorKey;
        await this.journal.append({ kind: ENTRY_KINDS.keyPrior, step: '-', actor: SYSTEM, data: { ...k, from: this.prior.ceremonyId } });
        this.facts.key = { ...k };
      }
      if (this.prior?.facts.caCert) {
        const pem = this.prior.facts.caCert;
        await this.journal.append({ kind: ENTRY_KINDS.certPrior, step: '-', actor: SYSTEM, data: { sha256: createHash('sha256').update(pem).digest('hex'), pem, from: this.prior.ceremonyId } });
        this.facts.caCert = pem;
      }
      await this.checkpoint();
    }
    try {
      await this.advance(undefined);
    } catch (e) {
      // A resumed step that cannot go on yet (token missing...) opens with the error shown.
      this.error = toErrorData(e);
      if (e instanceof KeyriteError && e.code.startsWith('JOURNAL_')) throw e;
    }
  }

  private scriptSha(): string { return createHash('sha256').update(this.opts.script.text).digest('hex'); }

  private replay(e: JournalEntry): void {
    applyFact(this.facts, e, this.script.successor?.label);
    const ev = engineEventOf(e);
    if (ev) this.engine = reduce(this.engine, ev);
  }

  /** Appends an entry and applies it: the state never runs ahead of the transcript. */
  private async append<K extends EntryKind>(input: AppendInput<K>): Promise<JournalEntry> {
    const ev = engineEventOf({ ...input, v: 1, seq: 0, time: new Date().toISOString(), ceremony: this.script.id, prev: '' } as JournalEntry);
    if (ev) reduce(this.engine, ev); // refuse before writing, not after
    const entry = await this.journal.append(input);
    this.replay(entry);
    return entry;
  }

  private async checkpoint(): Promise<void> {
    await writeRunCheckpoint(this.opts.outDir, this.journal, this.runToken?.api, this.session, this.facts, this.script.id);
  }

  private currentStep() {
    return this.engine.current === null ? undefined : { es: this.engine.steps[this.engine.current]!, ss: this.script.steps[this.engine.current]! };
  }

  private async tokenApi(): Promise<TokenApi> {
    if (!this.runToken) this.runToken = await openRunToken(this.opts, this.script.token.module);
    return this.runToken.api;
  }

  private context(): StepContext {
    const cur = this.currentStep();
    if (!cur) throw new KeyriteError('INTERNAL', 'No current step.', {});
    const stepId = cur.ss.id;
    const administrator = this.administrator();
    const stepEntries = (): JournalEntry[] => {
      const all = this.journal.entries();
      let i = all.length - 1;
      while (i >= 0 && !(all[i]!.kind === 'step.start' && all[i]!.step === stepId)) i--;
      return all.slice(i + 1).filter((e) => e.step === stepId);
    };
    const resultOf = (opId: string, ok: boolean, data: Record<string, unknown>) =>
      this.append({ kind: 'step.result', step: stepId, actor: SYSTEM, data: { opId, outcome: ok ? 'ok' : 'failed', ...data } });
    return {
      script: this.script, scriptDir: this.opts.script.dir ?? path.dirname(path.resolve(this.opts.script.source.file)), policy: this.opts.policy, step: cur.ss,
      outDir: this.opts.outDir, rehearsal: this.opts.rehearsal, facts: this.facts, prior: this.prior,
      airGapProbe: this.opts.airGapProbe ?? createAirGapProbe(), now: this.opts.now ?? (() => new Date()),
      stepEntries,
      append: (input) => this.append({ ...input, step: stepId, actor: input.actor ?? { role: 'administrator', name: administrator } } as AppendInput),
      irreversible: async (operation, detail, op, resultData) => {
        const opId = randomBytes(6).toString('hex');
        await this.append({ kind: 'step.intent', step: stepId, actor: SYSTEM, data: { opId, operation, ...detail } });
        let value;
        try {
          const t0 = performance.now();
          value = await op();
          this.timing.tokenMs += performance.now() - t0;
        } catch (e) {
          const err = toErrorData(e);
          await resultOf(opId, false, { error: { code: err.code, message: err.message } });
          throw e;
        }
        await resultOf(opId, true, resultData ? resultData(value) : {});
        return value;
      },
      token: () => {
        if (!this.runToken) throw new KeyriteError('INTERNAL', 'Token not open.', {});
        return this.runToken.api;
      },
      session: () => {
        if (!this.session) throw new KeyriteError('TOKEN_NOT_LOGGED_IN', 'No token session is open.', { action: 'Log in to the token (enter the PIN).' });
        return this.session;
      },
      openOtherToken: (selection, pin) => this.openOtherToken(selection, pin),
      intents: (operation, outcome) => intentsOf(this.currentStep()!.es, operation, outcome),
      resolveIntent: async (opId, ok, data) => { await resultOf(opId, ok, { reconciled: true, ...(data ?? {}) }); },
      scratch: this.scratch,
      offerShare: (share) => { this.offered = share; },
      progress: (message, fraction) => {
        for (const l of this.listeners.progress) l({ runId: this.runId, step: stepId, message, fraction });
      },
      timing: this.timing,
      shareFileSink: this.opts.shareFileSink,
    };
  }

  /** Moves the run as far as it can go without input; `input` goes to the current need. */
  private async advance(input: RunInput | undefined): Promise<void> {
    let pending = input;
    for (;;) {
      const cur = this.currentStep();
      if (!cur) return this.advanceSeal(pending);
      const { es, ss } = cur;
      const handler = HANDLERS[ss.action];
      const needsSession = handlerNeedsSession(handler, this.script);
      if (es.status === 'pending' || es.status === 'failed') {
        // A login step starts with the PIN; every other step with the administrator's "go".
        const startKind = ss.action === 'login' ? 'pin' : 'confirm';
        if (pending?.kind !== startKind) { this.need = startKind === 'pin' ? this.pinNeed() : { kind: 'confirm', who: this.administrator() }; return; }
        const by = pending.kind === 'confirm' ? pending.who : this.administrator();
        await this.append({ kind: 'step.start', step: ss.id, actor: this.actorOf(by), data: { title: ss.instruction, confirmedBy: by } });
        this.scratch.clear();
        if (pending.kind === 'confirm') pending = undefined;
      }
      if (this.currentStep()!.es.status === 'active') {
        if (needsSession && !this.session) {
          if (pending?.kind !== 'pin') { this.need = this.pinNeed(); return; }
          await this.login(pending.pin);
          pending = undefined;
          if (ss.action === 'login') continue;
        }
        if (needsSession) await this.tokenApi();
        // On failure the step keeps waiting for what it waited for: that input retries it.
        const before = this.need;
        this.need = { kind: 'running', message: ss.instruction };
        let outcome: StepOutcome;
        try {
          outcome = await handler.advance(this.context(), pending);
        } catch (e) {
          this.need = before.kind === 'running' || before.kind === 'done' ? { kind: 'confirm', who: this.administrator() } : before;
          throw e;
        }
        pending = undefined;
        if ('need' in outcome) { this.need = outcome.need; return; }
        await this.append({ kind: 'step.result', step: ss.id, actor: SYSTEM, data: { outcome: 'ok', facts: outcome.performed, ...(outcome.data ?? {}) } });
      }
      const now = this.currentStep()!.es;
      if (now.status === 'performed') {
        const waiting = pendingAttesters(now);
        if (waiting.length > 0) {
          if (pending?.kind !== 'attest') { this.need = { kind: 'attest', witnesses: now.attest, attested: now.attested }; return; }
          await this.append({ kind: 'step.attest', step: ss.id, actor: { role: 'witness', name: pending.witness }, data: { witness: pending.witness, statement: `I watched step "${ss.id}" carried out as the script describes.` } });
          pending = undefined;
          continue;
        }
        await this.append({ kind: ENTRY_KINDS.stepDone, step: ss.id, actor: SYSTEM, data: {} });
        await this.checkpoint();
        this.scratch.clear();
        this.offered = null;
        continue;
      }
      return;
    }
  }

  private async login(pin: string): Promise<void> {
    if (this.session) return;
    const api = await this.tokenApi();
    const sel = this.runToken!.selector;
    this.session = await api.openSession(sel, { pin }).catch(async (e: unknown) => {
      // A wrong PIN uses up one of the token's tries: the transcript says so, never with the PIN.
      if (e instanceof KeyriteError && e.code.startsWith('PIN_')) await this.append({ kind: ENTRY_KINDS.loginFailed, step: this.currentStep()?.ss.id ?? '-', actor: { role: 'administrator', name: this.administrator() }, data: { token: { label: sel.label ?? '', serial: sel.serial ?? '' }, code: e.code, message: e.message } });
      throw e;
    });
    const slot = (await api.listSlots()).find((s) => s.token && ((sel.label && s.token.label === sel.label) || (sel.serial && s.token.serial === sel.serial)));
    const token = slot?.token ? { label: slot.token.label, serial: slot.token.serial, model: slot.token.model, manufacturer: slot.token.manufacturer, uri: tokenUri(slot.token) } : { label: sel.label ?? '', serial: sel.serial ?? '' };
    await this.append({ kind: ENTRY_KINDS.sessionOpened, step: this.currentStep()?.ss.id ?? '-', actor: { role: 'administrator', name: this.administrator() }, data: { token, rehearsal: slot?.token?.rehearsal ?? false } });
  }

  /** Idempotent: a resumed run finishes whatever stage of the seal (run-seal.ts) a crash or a refusal left. */
  private async advanceSeal(pending: RunInput | undefined): Promise<void> {
    const outDir = this.opts.outDir, proofName = proofNoteName(this.script, this.facts, handlerNeedsSession(HANDLERS.seal, this.script));
    if (!this.session && (await sealNeedsProof(outDir, this.journal, proofName))) {
      if (pending?.kind !== 'pin') { this.need = this.pinNeed(); return; }
      await this.sealLogin(pending.pin);
      pending = undefined;
    }
    try {
      if (await sealFinalCheckpoint({ outDir, journal: this.journal, script: this.script, checkpoint: () => this.checkpoint(), actor: SYSTEM, ...(proofName ? { proofName } : {}) })) this.sealChanged = true;
    } catch (e) {
      this.need = this.session ? { kind: 'confirm', who: this.administrator() } : this.pinNeed();
      throw e;
    }
    const witnesses = await cosignWitnesses(outDir, this.script, pending, this.opts.witnessCosigner, (need) => { this.need = need; }, witnessTokenSigning(this.script.token.module, (sel, pin) => this.openOtherToken(sel, pin)));
    if (witnesses.changed) this.sealChanged = true;
    if (witnesses.waiting) return;
    await writeSealExports(outDir, this.sealChanged);
    this.need = { kind: 'done' };
  }

  /** After ceremony.sealed nothing may be journaled: the session for the proof is opened silently. */
  private async sealLogin(pin: string): Promise<void> {
    if (!this.journal.entries().some((e) => e.kind === 'ceremony.sealed')) return this.login(pin);
    this.session = await (await this.tokenApi()).openSession(this.runToken!.selector, { pin });
  }

  private async openOtherToken(selection: TokenSelection, pin: string) {
    const { info, ...entry } = await openOtherRunToken(this.opts, selection, pin);
    this.others.push(entry);
    const close = async () => { this.others = this.others.filter((o) => o !== entry); await closeOtherToken(entry, this.runToken?.api); };
    return { api: entry.token.api, session: entry.session, info, close };
  }

  private administrator(): string { return this.script.participants.find((p) => p.role === 'administrator')?.name ?? 'administrator'; }

  private actorOf(name: string) { return { role: this.script.participants.find((x) => x.name === name)?.role ?? 'administrator', name }; }

  private pinNeed(): RunNeed {
    const t = this.script.token;
    return { kind: 'pin', who: this.administrator(), token: t.label ?? t.serial ?? '', userType: 'user', tries: null, ...(this.opts.rehearsal ? { rehearsalPin: REHEARSAL_USER_PIN } : {}) };
  }

  view(): RunView {
    return runView({ runId: this.runId, script: this.script, policy: this.opts.policy, rehearsal: this.opts.rehearsal, outDir: this.opts.outDir, engine: this.engine, facts: this.facts, entries: this.journal.entries(), need: this.need, error: this.error });
  }

  async submit(input: RunInput): Promise<RunView> {
    if (this.busy) throw new KeyriteError('RUN_BUSY', 'The previous input is still being processed.', { action: 'Wait for the step to finish.' });
    this.busy = true;
    try {
      checkInputMatchesNeed(this.need, input);
      this.error = null;
      await this.advance(input);
    } catch (e) {
      this.error = toErrorData(e);
      if (e instanceof KeyriteError && e.code.startsWith('JOURNAL_')) throw e;
      this.afterTokenError(this.error);
    } finally {
      this.busy = false;
    }
    const v = this.view();
    for (const l of this.listeners.changed) l(v);
    return v;
  }

  /** A lost session (host restarted, token reset) means logging in again; a wrong PIN shows tries left. */
  private afterTokenError(err: ErrorData): void {
    const r = needAfterTokenError(err, this.need, !this.currentStep() || this.currentStep()?.es.status === 'active', () => this.pinNeed());
    if (r.sessionLost) this.session = undefined;
    this.need = r.need;
  }

  async revealShare(custodian: string): Promise<RevealedShare> {
    if (this.need.kind !== 'show-share' || this.need.custodian !== custodian || !this.offered || this.offered.custodian !== custodian) {
      throw new KeyriteError('SHARE_NOT_OFFERED', `It is not ${custodian}'s turn to see a share.`, { action: 'Follow the hand-off order on screen.' });
    }
    return { ...this.offered, words: [...this.offered.words] };
  }

  async recordDeviation(who: string, why: string): Promise<RunView> {
    if (why.trim().length < 3) throw new KeyriteError('INPUT_DEVIATION_REASON', 'A deviation needs a reason.', { action: 'Say why the script is not followed.' });
    const step = this.currentStep()?.ss.id ?? '-';
    await this.append({ kind: 'deviation', step, actor: this.actorOf(who), data: { who, why } });
    const v = this.view();
    for (const l of this.listeners.changed) l(v);
    return v;
  }

  on<E extends keyof RunEvents>(event: E, listener: RunEvents[E]): () => void {
    const set = this.listeners[event] as Set<RunEvents[E]>;
    set.add(listener);
    return () => set.delete(listener);
  }

  async close(): Promise<void> {
    this.offered = null;
    if (this.session && this.runToken) await this.runToken.api.closeSession(this.session).catch(() => undefined);
    this.session = undefined;
    for (const o of this.others.splice(0)) await closeOtherToken(o, this.runToken?.api);
    await this.runToken?.close();
    await this.journal?.close();
  }
}
