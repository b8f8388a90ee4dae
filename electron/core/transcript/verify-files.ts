/**
 * The files beside the transcript: each one the transcript names is checked against the entry
 * that bound it (SHA-256) and against the recorded facts (verify-file-facts.ts); a changed one makes
 * the verdict INVALID, naming the file and the entry. A named file that is missing is listed as not
 * checked, a file the transcript does not name is listed as unexpected, and report.html is derived
 * again from the transcript and compared.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { ENTRY_KINDS, type JournalEntry } from './entry-kinds';
import { expectedFiles, type FileExpectation } from './verify-file-facts';
import type { FileFact, VerifyFailure } from './verify-types';

export const REPORT_HTML = 'report.html';
const TRANSCRIPT_FILES = new Set(['transcript.jsonl', 'checkpoint.note']);
/** Folders listed as one line each: what they hold is not a ceremony output. */
const FOLDERS: Record<string, { status: FileFact['status']; detail: string; rehearsalOnly: boolean }> = {
  checkpoints: { status: 'transcript', detail: 'signed checkpoints, checked with the transcript', rehearsalOnly: false },
  token: { status: 'working', detail: 'the rehearsal token store: not a ceremony output, not checked', rehearsalOnly: true },
  'rehearsal-witness-keys': { status: 'working', detail: 'throwaway witness keys of the rehearsal: not a ceremony output, not checked', rehearsalOnly: true },
};

/** Every file under dir, relative with '/' separators; the folders above (and any folder that cannot be read) as one 'name/' each. */
function listFolder(dir: string): string[] {
  const out: string[] = [];
  const walk = (rel: string) => {
    let list;
    try {
      list = readdirSync(path.join(dir, rel), { withFileTypes: true });
    } catch {
      if (rel) out.push(`${rel}/`);
      return;
    }
    for (const d of list) {
      const child = rel ? `${rel}/${d.name}` : d.name;
      if (!d.isDirectory()) out.push(child);
      else if (!rel && FOLDERS[d.name]) out.push(`${child}/`);
      else walk(child);
    }
  };
  walk('');
  return out.sort();
}

const sha256 = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');
const entryName = (e: { seq: number; kind: string }) => `entry ${e.seq} (${e.kind})`;

async function checkOne(file: string, bytes: Buffer, x: FileExpectation, read: (f: string) => Buffer | undefined): Promise<FileFact> {
  const found = sha256(bytes);
  if (x.hash && x.hash.sha256 !== found) {
    return { file, status: 'changed', entry: x.hash.entry, sha256: found, expected: x.hash.sha256, detail: `its SHA-256 is ${found}; ${entryName(x.hash.entry)} records ${x.hash.sha256}` };
  }
  for (const c of x.content) {
    const why = await c.check(bytes, read);
    if (why) return { file, status: 'changed', entry: c.entry, sha256: found, ...(x.hash ? { expected: x.hash.sha256 } : {}), detail: `${why}; held to ${entryName(c.entry)}` };
  }
  const facts = x.content.map((c) => entryName(c.entry));
  if (x.hash) {
    return { file, status: 'bound', entry: x.hash.entry, sha256: found, expected: x.hash.sha256, detail: `SHA-256 matches ${entryName(x.hash.entry)}${facts.length ? `; content matches ${facts.join(', ')}` : ''}` };
  }
  return { file, status: 'content-checked', entry: x.content[0]!.entry, sha256: found, detail: `no ${ENTRY_KINDS.filePublished} entry binds its bytes; its content matches ${facts.join(', ')}` };
}

/** report.html against the report rendered again from the transcript, with the time the file says it was made. */
async function checkReport(bytes: Buffer, derive: (generatedAt: Date) => Promise<string>): Promise<FileFact> {
  const found = sha256(bytes);
  const made = /Report made ([0-9T:.Z-]+)\./.exec(bytes.toString('utf8'))?.[1];
  const at = made ? new Date(made) : undefined;
  if (at && !Number.isNaN(at.getTime()) && (await derive(at)) === bytes.toString('utf8')) {
    return { file: REPORT_HTML, status: 'report-matches', sha256: found, detail: 'matches the report derived again from the transcript' };
  }
  return { file: REPORT_HTML, status: 'report-differs', sha256: found, detail: 'does not match the report derived again from the transcript: rely on the transcript (checked above), not on this file' };
}

export interface FolderFiles {
  files: FileFact[];
  /** The first changed file, as the verdict's failure. */
  failure?: VerifyFailure;
}

export async function checkFolderFiles(dir: string, entries: readonly JournalEntry[], derive: (generatedAt: Date) => Promise<string>): Promise<FolderFiles> {
  const expected = expectedFiles(entries);
  const start = entries[0]?.data as { rehearsal?: unknown } | undefined;
  const rehearsal = start?.rehearsal === true;
  const sealed = entries.some((e) => e.kind === 'ceremony.sealed');
  const bindsFiles = entries.some((e) => e.kind === ENTRY_KINDS.filePublished);
  const read = (f: string): Buffer | undefined => {
    try {
      return readFileSync(path.join(dir, f));
    } catch {
      return undefined;
    }
  };
  const files: FileFact[] = [];
  const present = listFolder(dir);
  for (const file of present) {
    const x = expected.get(file);
    const folder = FOLDERS[file.replace(/\/$/, '')];
    if (x) {
      const bytes = read(file);
      files.push(bytes ? await checkOne(file, bytes, x, read) : { file, status: 'changed', detail: 'it cannot be read' });
    } else if (TRANSCRIPT_FILES.has(file)) {
      files.push({ file, status: 'transcript', detail: 'checked above: entries, Merkle tree and signed checkpoints' });
    } else if (folder && file.endsWith('/') && (rehearsal || !folder.rehearsalOnly)) {
      files.push({ file, status: folder.status, detail: folder.detail });
    } else if (file === REPORT_HTML) {
      files.push(await checkReport(read(file) ?? Buffer.alloc(0), derive));
    } else if (file === 'transcript-key.secret' && !sealed) {
      files.push({ file, status: 'working', detail: 'the transcript key of a run still open: destroyed at the handover or the seal' });
    } else if (!bindsFiles) {
      files.push({ file, status: 'not-bound', detail: 'not bound by this transcript: it journaled no file hashes (written before Keyrite did)' });
    } else {
      files.push({ file, status: 'unexpected', detail: 'not written by this ceremony: the transcript names no such file' });
    }
  }
  const here = new Set(present);
  for (const [file, x] of expected) {
    if (here.has(file) || x.optional) continue;
    const entry = x.hash?.entry ?? x.content[0]?.entry;
    const where = file.startsWith('custody/') ? ' (a share file may be on its custodian\'s own media instead)' : '';
    files.push({ file, status: 'not-present', ...(entry ? { entry } : {}), ...(x.hash ? { expected: x.hash.sha256 } : {}), detail: `not present, not checked: named by ${entry ? entryName(entry) : 'the transcript'}${where}` });
  }
  if (sealed && !here.has(REPORT_HTML)) files.push({ file: REPORT_HTML, status: 'not-present', detail: 'not present, not checked: the seal writes it (derived from the transcript)' });
  files.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  const changed = files.find((f) => f.status === 'changed');
  if (!changed) return { files };
  const failure: VerifyFailure = {
    code: 'FILE_CHANGED', file: changed.file,
    message: `${changed.file} is not the file the ceremony wrote: ${changed.detail}.`,
    ...(changed.expected ? { expected: changed.expected } : {}), ...(changed.sha256 ? { actual: changed.sha256 } : {}),
  };
  return { files, failure };
}
