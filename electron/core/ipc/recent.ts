/**
 * Lists the ceremonies kept on this machine for the home screen, newest first. It reads only the
 * first and last journal lines of each folder: a quick listing, not a verification (the audit screen
 * verifies). A folder whose journal cannot be read is listed by nothing rather than failing the list.
 */
import { promises as fsp } from 'node:fs';
import path from 'node:path';
import type { CeremonySummary } from '../../contract/views';

const TRANSCRIPT = 'transcript.jsonl';
const MAX_DEPTH = 2;
const MAX_LISTED = 50;

interface EntryHead {
  seq?: number;
  time?: string;
  ceremony?: string;
  kind?: string;
  data?: { script?: { title?: string; type?: string }; rehearsal?: boolean; outcome?: string };
}

async function findTranscriptDirs(dir: string, depth: number, out: string[]): Promise<void> {
  let names: import('node:fs').Dirent[];
  try {
    names = await fsp.readdir(dir, { withFileTypes: true });
  } catch {
    return;
  }
  if (names.some((d) => d.isFile() && d.name === TRANSCRIPT)) {
    out.push(dir);
    return;
  }
  if (depth >= MAX_DEPTH) return;
  for (const d of names) {
    if (d.isDirectory() && !d.name.startsWith('.')) await findTranscriptDirs(path.join(dir, d.name), depth + 1, out);
  }
}

function parseLine(line: string | undefined): EntryHead | null {
  if (!line) return null;
  try {
    const v: unknown = JSON.parse(line);
    return v && typeof v === 'object' ? (v as EntryHead) : null;
  } catch {
    return null;
  }
}

export async function summariseCeremony(dir: string): Promise<CeremonySummary | null> {
  let text: string;
  try {
    text = await fsp.readFile(path.join(dir, TRANSCRIPT), 'utf8');
  } catch {
    return null;
  }
  const lines = text.split('\n').filter((l) => l.trim().length > 0);
  const first = parseLine(lines[0]);
  if (!first || first.kind !== 'ceremony.start' || typeof first.ceremony !== 'string') return null;
  const last = parseLine(lines[lines.length - 1]);
  const sealed = last?.kind === 'ceremony.sealed';
  return {
    dir,
    id: first.ceremony,
    title: first.data?.script?.title ?? first.ceremony,
    type: first.data?.script?.type ?? 'ceremony',
    startedAt: first.time ?? '',
    entries: lines.length,
    state: sealed ? (last?.data?.outcome === 'aborted' ? 'aborted' : 'completed') : 'in-progress',
    rehearsal: first.data?.rehearsal === true,
  };
}

export async function listRecentCeremonies(dataDir: string): Promise<CeremonySummary[]> {
  const dirs: string[] = [];
  await findTranscriptDirs(dataDir, 0, dirs);
  const all = await Promise.all(dirs.map((d) => summariseCeremony(d)));
  return all
    .filter((c): c is CeremonySummary => c !== null)
    .sort((a, b) => b.startedAt.localeCompare(a.startedAt))
    .slice(0, MAX_LISTED);
}
