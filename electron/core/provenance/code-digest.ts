/**
 * The SHA-256 of Keyrite's own code as it runs, in a form anyone can recompute without Keyrite:
 * the digest of a sha256sum listing of every file under the code folder, sorted by path (bytes),
 * paths relative to the folder's parent. From a checkout (the CLI runs the TypeScript sources)
 * the folder is electron/; from a build it is out/ (main, preload and renderer bundles). Recompute:
 *   cd PARENT && find FOLDER -type f -print0 | LC_ALL=C sort -z | xargs -0 sha256sum | sha256sum
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { toPgpWords } from '../util/pgp-words';

export interface CodeDigest {
  /** 'electron' (sources, run through tsx) or 'out' (the built bundles). */
  folder: string;
  files: number;
  /** SHA-256 of the sha256sum listing, hex. */
  sha256: string;
  /** The same digest as PGP words, read aloud in the room. */
  words: string[];
  /** How to recompute it. */
  recompute: string;
}

function filesUnder(root: string, rel: string): string[] {
  const out: string[] = [];
  for (const d of readdirSync(path.join(root, rel), { withFileTypes: true })) {
    const r = `${rel}/${d.name}`;
    if (d.isDirectory()) out.push(...filesUnder(root, r));
    else if (d.isFile()) out.push(r);
  }
  return out;
}

/** Digest of the folder `folder` under `parent`, as the sha256sum pipeline above computes it. */
export function digestCodeFolder(parent: string, folder: string): CodeDigest {
  const files = filesUnder(parent, folder).sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
  const listing = files.map((f) => `${createHash('sha256').update(readFileSync(path.join(parent, f))).digest('hex')}  ${f}\n`).join('');
  const digest = createHash('sha256').update(listing).digest();
  return {
    folder, files: files.length, sha256: digest.toString('hex'), words: toPgpWords(digest),
    recompute: `cd <Keyrite folder> && find ${folder} -type f -print0 | LC_ALL=C sort -z | xargs -0 sha256sum | sha256sum`,
  };
}

/** Where the running code lives: the built out/ when this module was bundled there, else the sources. */
export function runningCodeFolder(moduleUrl: string = import.meta.url): { parent: string; folder: string } {
  const here = path.dirname(fileURLToPath(moduleUrl));
  const parts = here.split(path.sep);
  const outAt = parts.lastIndexOf('out');
  // The app runs out/main; the keyrite command and its token host run out/cli and out/main.
  if (outAt >= 0 && (parts[outAt + 1] === 'main' || parts[outAt + 1] === 'cli')) return { parent: parts.slice(0, outAt).join(path.sep) || path.sep, folder: 'out' };
  return { parent: path.resolve(here, '../../..'), folder: 'electron' };
}
