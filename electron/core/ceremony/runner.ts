/**
 * The ceremony runner: drives the engine over the script's steps, asks for exactly the input the
 * current step needs, journals every transition (fsynced) before the view moves on, and resumes an
 * interrupted run from its journal. Serves the headless CLI and the UI alike.
 */
import { randomBytes } from 'node:crypto';
import { KeyriteError, toErrorData, type ErrorData } from '../util/errors';
import type { Journal } from '../transcript/journal';
import { ENTRY_KINDS, type AppendInput, type EntryKind, type JournalEntry } from '../transcript/entry-kinds';
import { proofNoteName, writeRunCheckpoint } from './checkpoint-signers';
import { openRunJournal } from './run-journal';
import { initialState, pendingAttesters, reduce, type EngineState } from './engine';
import { applyFact, engineEventOf, type RunFacts } from './run-facts';
import { runView } from './run-view';
import { assertScriptWithinPolicy } from './load';
import { loadPriorRun, type PriorRun } from './prior-run';
import { HANDLERS } from './actions';
import { handlerNeedsSession, type StepOutcome } from './step-context';
import { stepCapabilities } from './step-capabilities';
import type { CeremonyRun, OpenRunOptions, RevealedShare, RunEvents, RunInput, RunNeed, RunView } from './run-types';
import { RunTokens } from './run-token';
import { assertPriorGiven, assertWitnessCosigner, checkInputMatchesNeed, needAfterTokenError } from './run-checks';
import { advanceSeal, type SealRun } from './run-seal';
import { assertSameScript, journalRunStart } from './run-start';
import { actorOf, administratorOf, pinNeed, SYSTEM } from './run-people';

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
  private readonly tokens: RunTokens;
  private busy = false;
  private readonly sealChanged = { since: false }; // since the exports were last written
  readonly timing = { tokenMs: 0 };
  private readonly runId = randomBytes(8).toString('hex');

  constructor(private readonly opts: OpenRunOptions) {
    this.engine = initialState(opts.script.script.steps);
    this.prior = opts.from ? loadPriorRun(opts.from) : undefined;
    this.tokens = new RunTokens(opts);
  }

  private get script() { return this.opts.script.script; }

  async open(): Promise<void> {
    const opened = await openRunJournal(this.opts.outDir, this.script.id);
    this.journal = opened.journal;
    if (opened.resumed) {
      assertSameScript(this.journal.entries(), this.opts);
      for (const e of this.journal.entries()) this.replay(e);
    } else {
      await journalRunStart(this.journal, this.opts, this.prior, this.facts, () => this.tokens.api());
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
    await writeRunCheckpoint(this.opts.outDir, this.journal, this.tokens.ownApi, this.tokens.session, this.facts, this.script.id);
  }

  private currentStep() {
    return this.engine.current === null ? undefined : { es: this.engine.steps[this.engine.current]!, ss: this.script.steps[this.engine.current]! };
  }

  /** Moves the run as far as it can go without input; `input` goes to the current need. */
  private async advance(input: RunInput | undefined): Promise<void> {
    let pending = input;
    const admin = administratorOf(this.script);
    for (;;) {
      const cur = this.currentStep();
      if (!cur) return advanceSeal(this.sealRun(), pending);
      const { es, ss } = cur;
      const handler = HANDLERS[ss.action];
      const needsSession = handlerNeedsSession(handler, this.script);
      if (es.status === 'pending' || es.status === 'failed') {
        // A login step starts with the PIN; every other step with the administrator's "go".
        const startKind = ss.action === 'login' ? 'pin' : 'confirm';
        if (pending?.kind !== startKind) { this.need = startKind === 'pin' ? this.pinNeed() : { kind: 'confirm', who: admin }; return; }
        const by = pending.kind === 'confirm' ? pending.who : admin;
        await this.append({ kind: 'step.start', step: ss.id, actor: actorOf(this.script, by), data: { title: ss.instruction, confirmedBy: by } });
        this.scratch.clear();
        if (pending.kind === 'confirm') pending = undefined;
      }
      if (this.currentStep()!.es.status === 'active') {
        if (needsSession && !this.tokens.session) {
          if (pending?.kind !== 'pin') { this.need = this.pinNeed(); return; }
          await this.login(pending.pin); // opens the token API too: a session implies it
          pending = undefined;
        }
        // On failure the step keeps waiting for what it waited for: that input retries it.
        const before = this.need;
        this.need = { kind: 'running', message: ss.instruction };
        let outcome: StepOutcome;
        try {
          outcome = await handler.advance(stepCapabilities(this.capabilityHost(), ss), pending);
        } catch (e) {
          this.need = before.kind === 'running' ? { kind: 'confirm', who: admin } : before;
          throw e;
        }
        pending = undefined;
        if ('need' in outcome) { this.need = outcome.need; return; }
        await this.append({ kind: 'step.result', step: ss.id, actor: SYSTEM, data: { outcome: 'ok', facts: outcome.performed, ...(outcome.data ?? {}) } });
      }
      // Here the step is performed: a step is only ever journaled failed per operation (step.intent's
      // result), so the start above always leads to an active step, and an active one returns or is performed.
      const now = this.currentStep()!.es;
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
    }
  }

  private capabilityHost() {
    return {
      opts: this.opts, facts: this.facts, prior: this.prior, scratch: this.scratch, timing: this.timing, tokens: this.tokens,
      entries: () => this.journal.entries(), append: (input: AppendInput) => this.append(input), engineStep: () => this.currentStep()!.es,
      offer: (share: RevealedShare | null) => { this.offered = share; },
      progress: (event: { step: string; message: string; fraction: number | null }) => { for (const l of this.listeners.progress) l({ runId: this.runId, ...event }); },
    };
  }

  private sealRun(): SealRun {
    return {
      outDir: this.opts.outDir, journal: this.journal, script: this.script, tokens: this.tokens, witnessCosigner: this.opts.witnessCosigner, changed: this.sealChanged,
      proofName: proofNoteName(this.script, this.facts, handlerNeedsSession(HANDLERS.seal, this.script)),
      checkpoint: () => this.checkpoint(), login: (pin) => this.login(pin), show: (need) => { this.need = need; }, pinNeed: () => this.pinNeed(),
    };
  }

  private login(pin: string): Promise<void> {
    const actor = { role: 'administrator', name: administratorOf(this.script) };
    return this.tokens.login(pin, (kind, data) => this.append({ kind, step: this.currentStep()?.ss.id ?? '-', actor, data }));
  }

  private pinNeed(): RunNeed { return pinNeed(this.script, this.opts.rehearsal); }

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
      // A lost session (host restarted, token reset) means logging in again; a wrong PIN shows tries left.
      const r = needAfterTokenError(this.error, this.need, !this.currentStep() || this.currentStep()?.es.status === 'active', () => this.pinNeed());
      if (r.sessionLost) this.tokens.session = undefined;
      this.need = r.need;
    } finally {
      this.busy = false;
    }
    return this.changed();
  }

  private changed(): RunView {
    const v = this.view();
    for (const l of this.listeners.changed) l(v);
    return v;
  }

  async revealShare(custodian: string): Promise<RevealedShare> {
    if (this.need.kind !== 'show-share' || this.need.custodian !== custodian || !this.offered || this.offered.custodian !== custodian) {
      throw new KeyriteError('SHARE_NOT_OFFERED', `It is not ${custodian}'s turn to see a share.`, { action: 'Follow the hand-off order on screen.' });
    }
    return { ...this.offered, words: [...this.offered.words] };
  }

  async recordDeviation(who: string, why: string): Promise<RunView> {
    if (why.trim().length < 3) throw new KeyriteError('INPUT_DEVIATION_REASON', 'A deviation needs a reason.', { action: 'Say why the script is not followed.' });
    await this.append({ kind: 'deviation', step: this.currentStep()?.ss.id ?? '-', actor: actorOf(this.script, who), data: { who, why } });
    return this.changed();
  }

  on<E extends keyof RunEvents>(event: E, listener: RunEvents[E]): () => void {
    const set = this.listeners[event] as Set<RunEvents[E]>;
    set.add(listener);
    return () => set.delete(listener);
  }

  async close(): Promise<void> {
    this.offered = null;
    await this.tokens.close();
    await this.journal?.close();
  }
}
