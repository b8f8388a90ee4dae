/**
 * The verifier's checkpoint pass: every checkpoints/<size>.note and checkpoint.note parsed,
 * its origin, size and root checked against the roots the streaming pass took at those sizes (so
 * every one is consistent with the entries, and with each other), and every signature checked
 * against the known keys.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { isKeyriteError } from '../util/errors';
import { CHECKPOINT_DIR, LATEST_CHECKPOINT, parseCheckpoint, type Checkpoint } from './checkpoint';
import { bytesEqual } from './merkle';
import { hashHex, type NoteVerifier } from './note-keys';
import { openNote, parseNote } from './note';
import type { CheckpointFact, VerifyFailure } from './verify-types';

export interface LoadedCheckpoint {
  file: string;
  text: string;
  note: string;
  cp: Checkpoint;
}

export async function loadCheckpoints(dir: string): Promise<{ list: LoadedCheckpoint[]; latest?: LoadedCheckpoint; failure?: VerifyFailure }> {
  const list: LoadedCheckpoint[] = [];
  const cpDir = path.join(dir, CHECKPOINT_DIR);
  const names = (existsSync(cpDir) ? readdirSync(cpDir) : []).filter((n) => n.endsWith('.note')).sort();
  const load = async (file: string): Promise<LoadedCheckpoint | VerifyFailure> => {
    // Sync reads: a verifier reads many small files, and each async read costs several thread-pool round trips.
    const note = readFileSync(file, 'utf8');
    try {
      const { text } = parseNote(note);
      return { file, text, note, cp: parseCheckpoint(text) };
    } catch (e) {
      return { code: 'CHECKPOINT_MALFORMED', checkpoint: file, message: `${path.relative(dir, file)}: ${isKeyriteError(e) ? e.message : String(e)}` };
    }
  };
  for (const n of names) {
    const r = await load(path.join(cpDir, n));
    if ('code' in r) return { list, failure: r };
    list.push(r);
  }
  list.sort((a, b) => a.cp.size - b.cp.size);
  const latestFile = path.join(dir, LATEST_CHECKPOINT);
  const hasLatest = existsSync(latestFile);
  if (!hasLatest) return { list };
  const latest = await load(latestFile);
  if ('code' in latest) return { list, failure: latest };
  return { list, latest };
}

export interface CheckpointPassInput {
  dir: string;
  list: LoadedCheckpoint[];
  latest?: LoadedCheckpoint;
  origin: string;
  /** The number of entries read. */
  size: number;
  /** The root over the first n entries, for every checkpoint size n up to `size` (verify-stream.ts). */
  roots: ReadonlyMap<number, Uint8Array>;
  /** Byte offsets by seq (sparse: at least 0, every checkpoint size and the entry before it). */
  offsets: readonly number[];
  verifiers: NoteVerifier[];
  transcriptKey?: NoteVerifier;
  /**
   * The transcript key handed over to the token at entry `seq` (transcript.key-handover): the first
   * checkpoint covering that entry must carry both keys' signatures, every later one the new key's.
   */
  handover?: { seq: number; key: NoteVerifier };
  /** Check roots and consistency only (the entries already failed; signatures would not change the verdict). */
  contentOnly?: boolean;
}

export interface CheckpointPassResult {
  facts: CheckpointFact[];
  /** Signatures verified on the latest checkpoint, by "name+keyhash". */
  latestSigners: Set<string>;
  signedCount: Map<string, number>;
  unknown: Set<string>;
  failure?: VerifyFailure;
  /** Largest checkpoint size whose root matched, before any failure. */
  goodSizes: Set<number>;
}

const sigId = (name: string, hash: number) => `${name}+${hashHex(hash)}`;

export function checkCheckpoints(input: CheckpointPassInput): CheckpointPassResult {
  const { dir, list, latest, origin, size, roots, offsets } = input;
  const facts: CheckpointFact[] = [];
  const signedCount = new Map<string, number>();
  const unknown = new Set<string>();
  const goodSizes = new Set<number>();
  let latestSigners = new Set<string>();
  const result = (failure?: VerifyFailure): CheckpointPassResult => ({ facts, latestSigners, signedCount, unknown, goodSizes, ...(failure ? { failure } : {}) });
  const rel = (f: string) => path.relative(dir, f);

  const all = [...list];
  if (latest) {
    const newest = list[list.length - 1];
    if (!newest || newest.cp.size !== latest.cp.size || newest.text !== latest.text) {
      return result({
        code: 'CHECKPOINT_LATEST_MISMATCH', checkpoint: latest.file,
        message: `checkpoint.note (size ${latest.cp.size}) is not the newest checkpoint in checkpoints/ (${newest ? `size ${newest.cp.size}` : 'none'}).`,
      });
    }
    all.push(latest);
  }
  let lastGood = 0;
  // Pass 1, content: cheap hashing only, so a changed entry is reported without any signature work.
  for (const c of all) {
    const { cp } = c;
    if (cp.origin !== origin) {
      return result({ code: 'CHECKPOINT_ORIGIN', checkpoint: c.file, expected: origin, actual: cp.origin, message: `${rel(c.file)} is for "${cp.origin}", not "${origin}".` });
    }
    if (cp.size > size) {
      return result({
        code: 'CHECKPOINT_BEYOND_END', checkpoint: c.file, seq: size,
        message: `${rel(c.file)} covers ${cp.size} entries but the transcript has ${size}: entries from seq ${size} were removed.`,
      });
    }
    const root = roots.get(cp.size);
    if (!root) throw new Error(`no root taken at checkpoint size ${cp.size}`);
    if (!bytesEqual(root, cp.root)) {
      const seq = cp.size === 0 ? 0 : Math.min(lastGood, cp.size - 1);
      const m: VerifyFailure = {
        code: 'CHECKPOINT_ROOT', checkpoint: c.file, seq,
        expected: Buffer.from(cp.root).toString('hex'), actual: Buffer.from(root).toString('hex'),
        message: `The entries do not match ${rel(c.file)} (signed root over ${cp.size} entries): entry ${seq}${cp.size - 1 > seq ? ` (or one after it, up to ${cp.size - 1})` : ''} was changed.`,
      };
      if (offsets[seq] !== undefined) m.offset = offsets[seq];
      return result(m);
    }
    // Consistency with the checkpoint before needs no proof here: both roots were just recomputed from
    // the same entries, and two trees over one sequence of leaves are consistent by construction.
    goodSizes.add(cp.size);
    lastGood = cp.size;
  }
  if (input.contentOnly) return result();
  // Pass 2, signatures.
  const ho = input.handover;
  const handoverSize = ho ? Math.min(...all.filter((c) => c.cp.size > ho.seq).map((c) => c.cp.size)) : Infinity;
  for (const c of all) {
    let opened;
    try {
      opened = openNote(c.note, input.verifiers);
    } catch (e) {
      if (isKeyriteError(e) && e.code === 'NOTE_SIGNATURE_INVALID') {
        return result({ code: 'CHECKPOINT_SIGNATURE_INVALID', checkpoint: c.file, message: `${rel(c.file)}: ${e.message}` });
      }
      if (isKeyriteError(e) && e.code === 'NOTE_UNVERIFIED') {
        return result({ code: 'CHECKPOINT_NOT_SIGNED_BY_TRANSCRIPT_KEY', checkpoint: c.file, message: `${rel(c.file)} carries no signature from any known key (not even the transcript key).` });
      }
      return result({ code: 'CHECKPOINT_MALFORMED', checkpoint: c.file, message: `${rel(c.file)}: ${isKeyriteError(e) ? e.message : String(e)}` });
    }
    const signers = new Set(opened.verified.map((s) => sigId(s.name, s.keyHash)));
    const failure = transcriptKeyFailure(input, signers, c.cp.size, handoverSize, rel(c.file));
    if (failure) return result({ ...failure, checkpoint: c.file });
    // checkpoint.note too: a signature added only there is reported, not passed over.
    for (const u of opened.unverified) unknown.add(sigId(u.name, u.keyHash));
    if (c !== latest) {
      for (const s of signers) signedCount.set(s, (signedCount.get(s) ?? 0) + 1);
      facts.push({
        file: rel(c.file), size: c.cp.size, root: Buffer.from(c.cp.root).toString('hex'),
        signedBy: [...signers], unknownSigners: opened.unverified.map((u) => sigId(u.name, u.keyHash)),
      });
    }
    if (c === all[all.length - 1]) latestSigners = signers;
  }
  return result();
}

/** Which transcript key(s) a checkpoint of this size must carry, and the failure when it does not. */
function transcriptKeyFailure(input: CheckpointPassInput, signers: Set<string>, size: number, handoverSize: number, file: string): VerifyFailure | undefined {
  const tk = input.transcriptKey;
  const ho = input.handover;
  const id = (k: NoteVerifier) => sigId(k.name, k.keyHash);
  const has = (k: NoteVerifier) => signers.has(id(k));
  if (!ho || size <= ho.seq) {
    if (tk && !has(tk)) return { code: 'CHECKPOINT_NOT_SIGNED_BY_TRANSCRIPT_KEY', message: `${file} is not signed by the transcript key ${tk.name}.` };
    return undefined;
  }
  if (size === handoverSize && tk && !has(tk)) {
    return { code: 'CHECKPOINT_HANDOVER_NOT_COSIGNED', seq: ho.seq, message: `${file} is the first checkpoint after the transcript key's handover (entry ${ho.seq}) and lacks the signature of the key recorded at ceremony start (${id(tk)}): the handover is not vouched for.` };
  }
  if (!has(ho.key)) {
    if (tk && has(tk)) {
      return { code: 'CHECKPOINT_SIGNED_BY_RETIRED_TRANSCRIPT_KEY', message: `${file} is signed by the transcript key ${id(tk)}, which was handed over to the token at entry ${ho.seq} and destroyed; it lacks the token's transcript key ${id(ho.key)}.` };
    }
    return { code: 'CHECKPOINT_NOT_SIGNED_BY_TRANSCRIPT_KEY', message: `${file} is not signed by the transcript key in force (${id(ho.key)}, handed over at entry ${ho.seq}).` };
  }
  return undefined;
}
