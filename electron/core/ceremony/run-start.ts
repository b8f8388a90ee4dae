/**
 * The start of a run: a fresh run journals `ceremony.start` (script and policy hashes, participants,
 * the transcript key, provenance) and the key and certificate taken over from an earlier run; a
 * resumed run must be a run of the very same script.
 */
import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';
import { KeyriteError } from '../util/errors';
import { ENTRY_KINDS, type AppendInput, type JournalEntry } from '../transcript/entry-kinds';
import type { Journal } from '../transcript/journal';
import type { TokenApi } from '../token/types';
import { startProvenance } from '../provenance/start';
import { generateKeyNoteFile } from './transcript-key-file';
import type { PriorRun } from './prior-run';
import type { RunFacts } from './run-facts';
import type { OpenRunOptions } from './run-types';
import { SYSTEM } from './run-people';
import { CEREMONY_TYPE_DEFS } from './types/index';

export function scriptSha(opts: OpenRunOptions): string {
  return createHash('sha256').update(opts.script.text).digest('hex');
}

/** A resumed folder must hold a run of this exact script. */
export function assertSameScript(entries: readonly JournalEntry[], opts: OpenRunOptions): void {
  const sha = (entries[0]?.data as { script?: { sha256?: string } } | undefined)?.script?.sha256;
  if (sha !== scriptSha(opts)) {
    throw new KeyriteError('RESUME_SCRIPT_MISMATCH', `${opts.outDir} holds a run of a different script (or the script changed since).`, { action: 'Resume with the exact script the run started with, or choose a new --out folder.' });
  }
}

/** Journals the start of a fresh run and records in `facts` what it takes over. */
export async function journalRunStart(journal: Journal, opts: OpenRunOptions, prior: PriorRun | undefined, facts: RunFacts, tokenApi: () => Promise<TokenApi>): Promise<void> {
  const script = opts.script.script;
  const transcriptKey = await generateKeyNoteFile(opts.outDir, script.id);
  const provenance = await startProvenance(opts, tokenApi);
  facts.provenance = provenance;
  await journal.append({
    kind: 'ceremony.start', step: '-', actor: SYSTEM,
    data: {
      script: { id: script.id, title: script.title, type: script.type, version: String(script.version), sha256: scriptSha(opts) },
      steps: script.steps.map((s) => s.id),
      participants: script.participants.map((p) => ({ role: p.role, name: p.name, ...(p.key ? { verifierKey: p.key } : {}) })),
      transcriptKey, transcriptKeySource: 'file',
      policy: { id: opts.policy.name, sha256: createHash('sha256').update(opts.policyText ?? canonicalize(opts.policy) ?? '').digest('hex') },
      rehearsal: opts.rehearsal, provenance,
      // The key this type makes or restores ends locked (actions/lock.ts); keyrite verify holds the transcript to it.
      ...(CEREMONY_TYPE_DEFS[script.type].newKey ? { promises: ['key-locked'] } : {}),
      ...(script.successor ? { successorLabel: script.successor.label } : {}),
    } as AppendInput<'ceremony.start'>['data'],
  });
  const priorKey = prior?.keys.findLast((k) => k.label === script.key.label) ?? prior?.facts.key;
  if (prior && priorKey) {
    await journal.append({ kind: ENTRY_KINDS.keyPrior, step: '-', actor: SYSTEM, data: { ...priorKey, from: prior.ceremonyId } });
    facts.key = { ...priorKey };
  }
  if (prior?.facts.caCert) {
    const pem = prior.facts.caCert;
    await journal.append({ kind: ENTRY_KINDS.certPrior, step: '-', actor: SYSTEM, data: { sha256: createHash('sha256').update(pem).digest('hex'), pem, from: prior.ceremonyId } });
    facts.caCert = pem;
  }
}
