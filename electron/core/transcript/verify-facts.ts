/**
 * What the entries say: the script's steps ran completely and in order, every intent has its
 * result, and the key facts an auditor reports (keys, shares, certificates, witnesses, deviations).
 */
import { createHash } from 'node:crypto';
import type {
  BackupCreatedData, CeremonyStartData, CertificateIssuedData, DeviationData, JournalEntry, KeyGeneratedData,
  ShareVerifiedData, StepAttestData, StepIntentData, StepResultData,
} from './entry-kinds';
import { CEREMONY_STEP } from './entry-kinds';
import type { VerificationReport, VerifyFailure } from './verify-types';

type Facts = Pick<VerificationReport, 'steps' | 'keys' | 'shares' | 'certificates' | 'signedRecords' | 'signedMetadata' | 'witnesses' | 'deviations' | 'exceptions' | 'sealed' | 'warnings'>;

const obj = (v: unknown): Record<string, unknown> => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {});
const str = (v: unknown): string => (typeof v === 'string' ? v : v === undefined ? '' : JSON.stringify(v));

export function collectFacts(entries: readonly JournalEntry[], offsets: readonly number[]): { facts: Facts; failure?: VerifyFailure } {
  const c = new FactCollector();
  for (const e of entries) c.add(e, offsets[e.seq] as number);
  return c.finish();
}

/** The same, one entry at a time: the streaming verifier feeds it every entry and keeps none. */
export class FactCollector {
  private readonly facts: Facts = { steps: { expected: [], completed: [] }, keys: [], shares: [], certificates: [], witnesses: [], deviations: [], exceptions: [], sealed: false, warnings: [] };
  private steps: string[] = [];
  /** Each step's first position in the script (indexOf, without a scan per entry). */
  private readonly stepIndex = new Map<string, number>();
  private done = 0;
  private failure: VerifyFailure | undefined;
  private started: 'not-yet' | 'yes' | 'missing' = 'not-yet';
  private lastSeq = -1;
  private readonly openIntents = new Map<string, { e: JournalEntry; offset: number }>();
  private readonly listedWitnesses = new Set<string>();

  /** The byte offset of the entry add() is looking at. */
  private offset = 0;

  // Intents are checked after the walk, so keep the earliest failure by seq, not the first found.
  private fail(e: JournalEntry, f: Omit<VerifyFailure, 'seq' | 'offset'>, offset = this.offset): void {
    if (!this.failure || e.seq < (this.failure.seq ?? Infinity)) this.failure = { ...f, seq: e.seq, offset };
  }

  private witness(name: string) {
    let w = this.facts.witnesses.find((x) => x.name === name);
    if (!w) {
      w = { name, attestations: [], checkpointsCosigned: 0 };
      this.facts.witnesses.push(w);
    }
    return w;
  }

  private start(start: JournalEntry): void {
    if (start.kind !== 'ceremony.start') {
      this.started = 'missing';
      return;
    }
    this.started = 'yes';
    const startData = obj(start.data) as unknown as CeremonyStartData;
    this.steps = Array.isArray(startData.steps) ? startData.steps.filter((s): s is string => typeof s === 'string') : [];
    this.facts.steps.expected = this.steps;
    this.steps.forEach((step, i) => { if (!this.stepIndex.has(step)) this.stepIndex.set(step, i); });
    for (const p of startData.participants ?? []) {
      if (p.role !== 'witness') continue;
      this.witness(p.name);
      this.listedWitnesses.add(p.name);
    }
  }

  add(e: JournalEntry, offset: number): void {
    if (this.started === 'not-yet') this.start(e);
    if (this.started === 'missing') return;
    this.lastSeq = e.seq;
    this.offset = offset;
    const { facts, steps, listedWitnesses } = this;
    const d = obj(e.data);
    if (facts.sealed) this.fail(e, { code: 'ENTRY_AFTER_SEAL', actual: e.kind, message: `Entry ${e.seq} (${e.kind}) was written after the ceremony was sealed.` });
    if (e.step !== CEREMONY_STEP && e.seq > 0) {
      const idx = this.stepIndex.get(e.step) ?? -1;
      if (idx < 0) this.fail(e, { code: 'STEP_UNKNOWN', actual: e.step, message: `Entry ${e.seq} is for step "${e.step}", which is not in the script.` });
      else if (e.kind === 'step.start' || e.kind === 'step.intent' || e.kind === 'step.result') {
        if (idx !== this.done) {
          this.fail(e, {
            code: 'STEP_OUT_OF_ORDER', expected: steps[this.done] ?? '(none: all steps were done)', actual: e.step,
            message: `Entry ${e.seq} (${e.kind}) is for step "${e.step}" but the script's next step was "${steps[this.done] ?? '(none)'}".`,
          });
        }
      } else if (idx > this.done) {
        this.fail(e, { code: 'STEP_OUT_OF_ORDER', expected: steps[this.done] ?? '', actual: e.step, message: `Entry ${e.seq} (${e.kind}) is for step "${e.step}", which had not started yet.` });
      }
    }
    switch (e.kind) {
      case 'step.intent': {
        const op = str((d as StepIntentData).opId);
        this.openIntents.set(op, { e, offset });
        break;
      }
      case 'step.result': {
        const r = d as StepResultData;
        if (r.opId !== undefined) {
          // The result of one irreversible operation inside the step, not of the step itself.
          this.openIntents.delete(str(r.opId));
          if (r.outcome !== 'ok') facts.exceptions.push({ seq: e.seq, step: e.step, kind: 'operation-failed', detail: `${r.error?.code ?? 'FAILED'}: ${r.error?.message ?? 'operation failed'}` });
        } else if (r.outcome === 'ok' || r.outcome === 'skipped') {
          if (steps[this.done] === e.step) {
            facts.steps.completed.push(e.step);
            this.done++;
          }
          if (r.outcome === 'skipped') facts.exceptions.push({ seq: e.seq, step: e.step, kind: 'skipped', detail: `Step "${e.step}" was skipped.` });
        } else {
          facts.exceptions.push({ seq: e.seq, step: e.step, kind: 'failed', detail: `${r.error?.code ?? 'FAILED'}: ${r.error?.message ?? 'step failed'}` });
        }
        break;
      }
      case 'step.attest': {
        const a = d as unknown as StepAttestData;
        const who = str(a.witness) || e.actor.name;
        // Only a witness the script names (recorded at ceremony start) can attest; anyone else's word proves nothing.
        if (!listedWitnesses.has(who)) this.fail(e, { code: 'ATTESTER_NOT_IN_SCRIPT', actual: who, expected: [...listedWitnesses].join(', '), message: `Entry ${e.seq} is an attestation by "${who}", who is not a witness in the script.` });
        else this.witness(who).attestations.push({ seq: e.seq, step: e.step, statement: str(a.statement) });
        break;
      }
      case 'deviation': {
        const v = d as unknown as DeviationData;
        const dev: Facts['deviations'][number] = { seq: e.seq, step: e.step, who: str(v.who), why: str(v.why) };
        if (v.action !== undefined) dev.action = str(v.action);
        facts.deviations.push(dev);
        facts.exceptions.push({ seq: e.seq, step: e.step, kind: 'deviation', detail: `${str(v.who)}: ${str(v.why)}` });
        break;
      }
      case 'key.generated': {
        const k = d as unknown as KeyGeneratedData;
        const spki = str(k.spki);
        const actual = createHash('sha256').update(Buffer.from(spki, 'base64')).digest('hex');
        const fact: Facts['keys'][number] = {
          seq: e.seq, label: str(k.label), id: str(k.id), algorithm: str(k.algorithm), fingerprint: str(k.fingerprint),
          fingerprintWords: Array.isArray(k.fingerprintWords) ? k.fingerprintWords.map(str) : [],
          fingerprintMatches: actual === str(k.fingerprint).toLowerCase(), proof: obj(k.proof) as Record<string, boolean | string>, spki,
        };
        if (k.token) fact.token = { label: str(k.token.label), serial: str(k.token.serial) };
        // The fingerprint is what the room read aloud: if it is not this key's, the room vouched for another key.
        if (!fact.fingerprintMatches) this.fail(e, { code: 'KEY_FINGERPRINT_MISMATCH', expected: actual, actual: str(k.fingerprint), message: `Entry ${e.seq}: the recorded fingerprint of key "${fact.label}" is not the SHA-256 of its recorded public key (${actual}).` });
        facts.keys.push(fact);
        break;
      }
      case 'key.locked': {
        const k = facts.keys.findLast((x) => x.id === str(d.id));
        if (k) k.locked = { seq: e.seq, proof: obj(d.proof) as Record<string, boolean | string> };
        break;
      }
      case 'backup.created': {
        const b = d as unknown as BackupCreatedData;
        facts.shares.push({ seq: e.seq, splitId: str(b.splitId), k: Number(b.k), n: Number(b.n), shares: Array.isArray(b.shares) ? b.shares : [], verified: [], delivered: [] });
        break;
      }
      case 'share.verified': {
        const s = d as unknown as ShareVerifiedData;
        facts.shares[facts.shares.length - 1]?.verified.push({ custodian: str(s.custodian), index: Number(s.index), ok: s.ok === true, ...(s.method ? { method: str(s.method) } : {}) });
        if (s.ok !== true) facts.exceptions.push({ seq: e.seq, step: e.step, kind: 'share-rejected', detail: `Share ${s.index} of ${str(s.custodian)} did not verify.` });
        break;
      }
      case 'share.delivered': {
        const f = obj(d);
        facts.shares[facts.shares.length - 1]?.delivered.push({ custodian: str(f.custodian), index: Number(f.index), medium: str(f.medium), fileName: str(f.fileName), sha256: str(f.sha256) });
        break;
      }
      case 'certificate.issued': {
        const c = d as unknown as CertificateIssuedData;
        facts.certificates.push({ seq: e.seq, subject: str(c.subject), serial: str(c.serial), sha256: str(c.sha256) });
        break;
      }
      case 'dnskey.signed': {
        const windows = Array.isArray(d.windows) ? (d.windows as { inception?: unknown; expiration?: unknown }[]).map((w) => ({ inception: str(w.inception), expiration: str(w.expiration) })) : [];
        (facts.signedRecords ??= []).push({ seq: e.seq, owner: str(d.owner), rrsetSha256: str(d.rrsetSha256), keyTag: Number(d.keyTag), algorithm: Number(d.algorithm), windows });
        break;
      }
      case 'tuf.root-signed': {
        const t = obj(d.threshold);
        const thresholds = [obj(t.previous), obj(t.new)].filter((r) => r.root !== undefined).map((r) => ({ root: str(r.root), version: Number(r.version), threshold: Number(r.threshold), needed: Number(r.needed), met: r.met === true }));
        (facts.signedMetadata ??= []).push({ seq: e.seq, type: 'tuf-root', version: Number(d.version), signedSha256: str(d.signedSha256), signatures: Array.isArray(d.signatures) ? d.signatures.length : 0, thresholds, met: t.met === true });
        break;
      }
      case 'ceremony.sealed':
        facts.sealed = true;
        if (this.done < steps.length) {
          this.fail(e, { code: 'STEPS_INCOMPLETE', expected: steps[this.done], actual: '(sealed)', message: `The ceremony was sealed at entry ${e.seq} before step "${steps[this.done]}" (and ${steps.length - this.done - 1} after it) completed.` });
        }
        break;
      default:
        break;
    }
  }

  finish(): { facts: Facts; failure?: VerifyFailure } {
    const { facts, steps, done } = this;
    if (this.started !== 'yes') {
      return { facts, failure: { code: 'START_MISSING', seq: 0, offset: 0, message: 'The transcript does not begin with a ceremony.start entry.' } };
    }
    for (const { e: intent, offset } of this.openIntents.values()) {
      this.fail(intent, { code: 'INTENT_WITHOUT_RESULT', message: `Entry ${intent.seq} announced an irreversible operation (${str(obj(intent.data).operation)}) with no result recorded after it.` }, offset);
    }
    if (!facts.sealed && done < steps.length) {
      this.failure ??= {
        code: 'STEPS_INCOMPLETE', seq: this.lastSeq + 1, expected: steps[done],
        message: `The transcript ends after entry ${this.lastSeq} with step "${steps[done]}" not done (${steps.length - done} of ${steps.length} steps missing).`,
      };
    }
    if (!facts.sealed) facts.warnings.push('The ceremony was not sealed (no ceremony.sealed entry).');
    return this.failure ? { facts, failure: this.failure } : { facts };
  }
}
