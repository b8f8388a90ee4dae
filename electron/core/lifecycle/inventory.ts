/**
 * The key inventory, derived from transcripts alone (no separate database that could drift): every
 * transcript under a folder is verified, and only valid ones are folded, oldest first, into each
 * key's NIST SP 800-57 state history, custodians, backups, certificates and rotation dates.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { verifyTranscript } from '../transcript/verify';
import type { JournalEntry } from '../transcript/entry-kinds';
import { readJournalEntries } from '../ceremony/prior-run';
import type { KeyLifecycleData } from '../ceremony/run-facts';

export type KeyState = KeyLifecycleData['state'];

export interface StateChange {
  state: KeyState;
  date: string;
  ceremony: string;
  reason: string;
}

export interface BackupRecord {
  splitId: string;
  k: number;
  n: number;
  custodians: string[];
  ceremony: string;
  date: string;
  status: 'current' | 'void' | 'destroyed';
}

export interface CertificateRecord {
  subject: string;
  serial: string;
  sha256: string;
  notAfter?: string;
  role: string;
  ceremony: string;
  date: string;
}

export interface KeyRecord {
  fingerprint: string;
  label: string;
  id: string;
  algorithm: string;
  class: string;
  state: KeyState;
  history: StateChange[];
  tokens: { label: string; serial: string; ceremony: string }[];
  custodians: string[];
  backups: BackupRecord[];
  certificates: CertificateRecord[];
  /** Issued by this key (intermediates, CRLs are not certificates of the key itself). */
  signed: { what: string; ceremony: string; date: string }[];
  rotationPeriodDays?: number;
  rotationDue?: string;
  rotationOverdue: boolean;
  successor?: string;
  ceremonies: string[];
  /** CRLs this key signed, oldest first (the last one's nextUpdate is when the next must be signed). */
  crls: CrlRecord[];
  /** Share check-ups of this key's custodians, in order (check-up ceremonies). */
  checkUps: CheckUpRecord[];
}

export interface CheckUpRecord {
  custodian: string;
  ok: boolean;
  splitId: string;
  date: string;
  ceremony: string;
  error?: string;
}

export interface CrlRecord {
  crlNumber: number;
  thisUpdate: string;
  nextUpdate: string;
  ceremony: string;
}

export interface TranscriptRecord {
  dir: string;
  ceremonyId?: string;
  type?: string;
  valid: boolean;
  failure?: string;
  started?: string;
}

export interface Inventory {
  generatedAt: string;
  keys: KeyRecord[];
  transcripts: TranscriptRecord[];
}

/** Ceremony folders under `root` (a folder holding transcript.jsonl), skipping token stores. */
export function findCeremonyFolders(root: string, depth = 4): string[] {
  const out: string[] = [];
  const walk = (dir: string, d: number) => {
    if (existsSync(path.join(dir, 'transcript.jsonl'))) out.push(dir);
    if (d === 0) return;
    for (const name of readdirSync(dir)) {
      if (name === 'token' || name === 'checkpoints' || name === 'shares' || name.startsWith('.')) continue;
      const p = path.join(dir, name);
      if (statSync(p).isDirectory()) walk(p, d - 1);
    }
  };
  walk(path.resolve(root), depth);
  return out;
}

export async function buildInventory(root: string, opts: { now?: Date } = {}): Promise<Inventory> {
  const now = opts.now ?? new Date();
  const transcripts: TranscriptRecord[] = [];
  const valid: { dir: string; entries: JournalEntry[] }[] = [];
  const seen = new Set<string>();
  for (const dir of findCeremonyFolders(root)) {
    const report = await verifyTranscript(dir).catch((e: Error) => ({ valid: false, failure: { code: 'UNREADABLE', message: e.message }, ceremonyId: undefined, script: undefined, root: undefined }));
    const rec: TranscriptRecord = { dir, valid: report.valid, ...(report.ceremonyId ? { ceremonyId: report.ceremonyId } : {}), ...(report.script ? { type: report.script.type } : {}) };
    if (!report.valid) {
      rec.failure = `${report.failure?.code}: ${report.failure?.message}`;
      transcripts.push(rec);
      continue;
    }
    // The same transcript copied into two folders (e.g. a --from copy) counts once.
    const key = `${report.ceremonyId}/${report.root}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const entries = readJournalEntries(path.join(dir, 'transcript.jsonl'));
    rec.started = entries[0]?.time;
    transcripts.push(rec);
    valid.push({ dir, entries });
  }
  valid.sort((a, b) => (a.entries[0]?.time ?? '').localeCompare(b.entries[0]?.time ?? ''));
  const keys = new Map<string, KeyRecord>();
  for (const t of valid) foldTranscript(keys, t.entries);
  for (const k of keys.values()) finish(k, now);
  return { generatedAt: now.toISOString(), keys: [...keys.values()], transcripts };
}

function record(keys: Map<string, KeyRecord>, fp: string, init: { label: string; id: string; algorithm: string }): KeyRecord {
  let k = keys.get(fp);
  if (!k) {
    k = { fingerprint: fp, ...init, class: 'unknown', state: 'pre-activation', history: [], tokens: [], custodians: [], backups: [], certificates: [], signed: [], rotationOverdue: false, ceremonies: [], crls: [], checkUps: [] };
    keys.set(fp, k);
  }
  return k;
}

function foldTranscript(keys: Map<string, KeyRecord>, entries: JournalEntry[]): void {
  const ceremony = entries[0]?.ceremony ?? '?';
  let subject: KeyRecord | undefined;
  let made: KeyRecord | undefined;
  const touch = (k: KeyRecord) => { if (!k.ceremonies.includes(ceremony)) k.ceremonies.push(ceremony); };
  for (const e of entries) {
    const d = (e.data ?? {}) as Record<string, unknown>;
    const str = (x: unknown) => (typeof x === 'string' ? x : '');
    switch (e.kind) {
      case 'key.generated': case 'key.prior': {
        const k = record(keys, str(d.fingerprint), { label: str(d.label), id: str(d.id), algorithm: str(d.algorithm) });
        touch(k);
        if (e.kind === 'key.generated') made = k; else subject = k;
        const tok = d.token as { label?: string; serial?: string } | undefined;
        if (tok?.label) k.tokens.push({ label: tok.label, serial: tok.serial ?? '', ceremony });
        break;
      }
      case 'key.restored': {
        const k = keys.get(str(d.fingerprint));
        const tok = d.token as { label?: string; serial?: string } | undefined;
        if (k && tok?.label) k.tokens.push({ label: tok.label, serial: tok.serial ?? '', ceremony });
        break;
      }
      case 'key.lifecycle': {
        const l = d as unknown as KeyLifecycleData;
        const k = record(keys, l.fingerprint, { label: l.label, id: l.keyId, algorithm: l.algorithm });
        touch(k);
        k.class = l.class;
        k.history.push({ state: l.state, date: e.time, ceremony, reason: l.reason });
        if (l.rotationPeriodDays) k.rotationPeriodDays = l.rotationPeriodDays;
        if (l.custodians && l.state !== 'destroyed' && k.custodians.length === 0) k.custodians = l.custodians;
        if (l.successorOf) { const old = keys.get(l.successorOf); if (old) old.successor = k.fingerprint; }
        break;
      }
      case 'backup.created': {
        const k = keys.get(str(d.keyFingerprint)) ?? made ?? subject;
        if (!k) break;
        for (const b of k.backups) if (b.status === 'current') b.status = 'void';
        const custodians = ((d.shares ?? []) as { custodian: string }[]).map((s) => s.custodian);
        k.backups.push({ splitId: str(d.splitId), k: Number(d.k), n: Number(d.n), custodians, ceremony, date: e.time, status: 'current' });
        k.custodians = custodians;
        break;
      }
      case 'backup.destroyed': {
        const k = keys.get(str(d.keyFingerprint)) ?? subject;
        if (!k) break;
        for (const b of k.backups) b.status = 'destroyed';
        k.custodians = [];
        break;
      }
      case 'certificate.issued': {
        const role = str(d.role);
        const cert: CertificateRecord = { subject: str(d.subject), serial: str(d.serial), sha256: str(d.sha256), role, ceremony, date: e.time, ...(d.notAfter ? { notAfter: str(d.notAfter) } : {}) };
        if (role === 'root' || role === 'successor-root') (made ?? subject)?.certificates.push(cert);
        else if (role === 'cross-old-signs-new' && made) made.certificates.push(cert);
        else if (role === 'cross-new-signs-old' && subject) subject.certificates.push(cert);
        else if (subject) subject.signed.push({ what: `certificate ${cert.subject} (${cert.serial})`, ceremony, date: e.time });
        break;
      }
      case 'crl.issued':
        subject?.signed.push({ what: `CRL number ${String(d.crlNumber)}`, ceremony, date: e.time });
        if (typeof d.nextUpdate === 'string') subject?.crls.push({ crlNumber: Number(d.crlNumber), thisUpdate: str(d.thisUpdate), nextUpdate: d.nextUpdate, ceremony });
        break;
      case 'share.checked-up':
        subject?.checkUps.push({ custodian: str(d.custodian), ok: d.ok === true, splitId: str(d.splitId), date: e.time, ceremony, ...(d.error ? { error: str((d.error as { message?: unknown }).message) } : {}) });
        break;
      case 'dnskey.signed': subject?.signed.push({ what: `DNSKEY RRset of ${str(d.owner)} (SHA-256 ${str(d.rrsetSha256)}), key tag ${String(d.keyTag)}, ${Array.isArray(d.windows) ? d.windows.length : 0} RRSIG window(s)`, ceremony, date: e.time }); break;
      case 'artifact.signed': subject?.signed.push({ what: `artifact ${str(d.artifact)} (${str(d.digest)} ${str(d.hash)})`, ceremony, date: e.time }); break;
      default: break;
    }
  }
}

function finish(k: KeyRecord, now: Date): void {
  k.state = k.history[k.history.length - 1]?.state ?? 'pre-activation';
  const activated = [...k.history].reverse().find((h) => h.state === 'active');
  if (activated && k.rotationPeriodDays && (k.state === 'active' || k.state === 'suspended')) {
    const due = new Date(new Date(activated.date).getTime() + k.rotationPeriodDays * 86_400_000);
    k.rotationDue = due.toISOString();
    k.rotationOverdue = now.getTime() > due.getTime();
  }
}
