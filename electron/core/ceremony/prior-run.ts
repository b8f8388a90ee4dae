/**
 * A previous run's folder (--from DIR): the key it made or restored, its certificate, its backup.
 * Read from the files it left; the transcript itself is verified by the inventory and `keyrite verify`.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { KeyriteError } from '../util/errors';
import type { JournalEntry } from '../transcript/entry-kinds';
import { applyFact, type KeyInfo, type RunFacts } from './run-facts';

export interface PriorRun {
  dir: string;
  ceremonyId: string;
  facts: RunFacts;
  /** Every key the run generated or took over, oldest first. */
  keys: KeyInfo[];
  backupText?: string;
  /** Share files left by a rehearsal (shares/<custodian>.txt), custodian -> text. */
  shareFiles: Map<string, string>;
}

export function readJournalEntries(file: string): JournalEntry[] {
  return readFileSync(file, 'utf8').split('\n').filter((l) => l.length > 0).map((l) => JSON.parse(l) as JournalEntry);
}

export function loadPriorRun(dir: string): PriorRun {
  const transcript = path.join(dir, 'transcript.jsonl');
  if (!existsSync(transcript)) {
    throw new KeyriteError('PRIOR_RUN_MISSING', `${dir} holds no transcript.jsonl, so it is not a ceremony folder.`, { action: 'Give --from the --out folder of the ceremony that made or last used the key.' });
  }
  const entries = readJournalEntries(transcript);
  const facts: RunFacts = {};
  const keys: KeyInfo[] = [];
  let successorLabel: string | undefined;
  for (const e of entries) {
    if (e.kind === 'ceremony.start') successorLabel = (e.data as { successorLabel?: string }).successorLabel;
    applyFact(facts, e, successorLabel);
    const k = (e.kind === 'key.generated' || e.kind === 'key.prior') ? (e.data as KeyInfo) : undefined;
    if (k) keys.push({ id: k.id, label: k.label, algorithm: k.algorithm, spki: k.spki, fingerprint: k.fingerprint });
  }
  // After a rotation, the successor is the key later ceremonies use.
  if (facts.successor) {
    facts.key = facts.successor;
    if (facts.successorCert) facts.caCert = facts.successorCert;
    delete facts.successor;
    delete facts.successorCert;
  }
  const certFile = path.join(dir, 'root-cert.pem');
  if (!facts.caCert && existsSync(certFile)) facts.caCert = readFileSync(certFile, 'utf8');
  const backupFile = path.join(dir, 'backup.json');
  const shareFiles = new Map<string, string>();
  const sharesDir = path.join(dir, 'shares');
  if (existsSync(sharesDir)) {
    for (const f of readdirSync(sharesDir).filter((n) => n.endsWith('.txt'))) shareFiles.set(f.replace(/\.txt$/, ''), readFileSync(path.join(sharesDir, f), 'utf8'));
  }
  const ceremonyId = entries[0]?.ceremony ?? path.basename(dir);
  return { dir, ceremonyId, facts, keys, ...(existsSync(backupFile) ? { backupText: readFileSync(backupFile, 'utf8') } : {}), shareFiles };
}

/** File name for a custodian's share file: their name, made safe for any file system. */
export function custodianFileName(name: string): string {
  return name.replace(/[^A-Za-z0-9._-]+/g, '_');
}
