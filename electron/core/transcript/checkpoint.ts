/**
 * Checkpoints: a C2SP tlog-checkpoint body (origin, tree size, base64 root hash) inside a signed
 * note, written after every step as checkpoints/<size>.note and as checkpoint.note (the latest).
 */
import { promises as fsp } from 'node:fs';
import path from 'node:path';
import { KeyriteError } from '../util/errors';
import { makePrivateDir, writeFileAtomic } from '../util/fs-durable';
import type { Journal } from './journal';
import { strictBase64, type NoteSigner } from './note-keys';
import { cosignNote, parseNote, signNote } from './note';

export const CHECKPOINT_DIR = 'checkpoints';
export const LATEST_CHECKPOINT = 'checkpoint.note';

export interface Checkpoint {
  origin: string;
  size: number;
  root: Uint8Array;
  /** Extension lines after the root (none written by Keyrite). */
  extensions: string[];
}

export function originFor(ceremonyId: string): string {
  return `keyrite.transcript/${ceremonyId}`;
}

export function checkpointBody(origin: string, size: number, root: Uint8Array): string {
  return `${origin}\n${size}\n${Buffer.from(root).toString('base64')}\n`;
}

export function checkpointFileName(size: number): string {
  return `${String(size).padStart(6, '0')}.note`;
}

/** Parses a checkpoint body (the note text). */
export function parseCheckpoint(text: string): Checkpoint {
  const bad = (what: string) => new KeyriteError('CHECKPOINT_MALFORMED', `The checkpoint is malformed: ${what}.`, {
    action: 'Use the checkpoint exactly as Keyrite wrote it.',
  });
  const lines = text.split('\n');
  if (lines.pop() !== '' || lines.length < 3) throw bad('expected origin, size and root lines');
  const [origin, sizeText, rootText, ...extensions] = lines as [string, string, string, ...string[]];
  if (origin.length === 0) throw bad('the origin is empty');
  if (!/^(0|[1-9][0-9]{0,15})$/.test(sizeText)) throw bad(`size "${sizeText}" is not a decimal number`);
  const root = strictBase64(rootText);
  if (!root || root.length !== 32) throw bad('the root hash is not 32 bytes of base64');
  if (extensions.some((e) => e.length === 0)) throw bad('empty extension line');
  return { origin, size: Number(sizeText), root: new Uint8Array(root), extensions };
}

/**
 * Signs a checkpoint of the journal as it is now and writes it atomically. Writing the same size
 * again (a retry after a crash) merges signatures into the existing note rather than failing.
 */
export async function writeCheckpoint(dir: string, journal: Journal, signers: readonly NoteSigner[]): Promise<string> {
  const body = checkpointBody(originFor(journal.ceremonyId), journal.size, journal.root());
  const cpDir = path.join(dir, CHECKPOINT_DIR);
  await makePrivateDir(cpDir);
  const file = path.join(cpDir, checkpointFileName(journal.size));
  const existing = await fsp.readFile(file, 'utf8').catch(() => undefined);
  let note: string;
  if (existing !== undefined && parseNote(existing).text === body) note = await cosignNote(existing, signers);
  else {
    if (existing !== undefined) {
      throw new KeyriteError('CHECKPOINT_CONFLICT', `A different checkpoint for tree size ${journal.size} already exists in ${cpDir}.`, {
        action: 'Stop: the transcript folder holds another ceremony\'s or an altered journal. Keep it as evidence.',
      });
    }
    note = await signNote(body, signers);
  }
  await writeFileAtomic(file, note);
  await writeFileAtomic(path.join(dir, LATEST_CHECKPOINT), note);
  return note;
}

/** Adds witnesses' cosignatures to checkpoint <size> (the latest by default) and to checkpoint.note if it is that one. */
export async function cosignCheckpoint(dir: string, signers: readonly NoteSigner[], size?: number): Promise<string> {
  const latestFile = path.join(dir, LATEST_CHECKPOINT);
  const latest = await fsp.readFile(latestFile, 'utf8').catch(() => {
    throw new KeyriteError('CHECKPOINT_MISSING', `There is no checkpoint in ${dir} to cosign.`, { action: 'Cosign after the step has written its checkpoint.' });
  });
  const latestSize = parseCheckpoint(parseNote(latest).text).size;
  const target = size ?? latestSize;
  const file = path.join(dir, CHECKPOINT_DIR, checkpointFileName(target));
  const note = await cosignNote(await fsp.readFile(file, 'utf8'), signers);
  await writeFileAtomic(file, note);
  if (target === latestSize) await writeFileAtomic(latestFile, note);
  return note;
}
