/**
 * Witness keys for the headless runner: each witness whose key the script records cosigns the final
 * checkpoint with a signer key file (its path comes from the inputs file or the prompt; the key text
 * itself never goes into a shared inputs file). Rehearsals can make throwaway witness keys and run
 * a copy of the template that records them, so the template itself is never edited.
 */
import { existsSync, promises as fsp, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseDocument } from 'yaml';
import { KeyriteError, isKeyriteError } from '../util/errors';
import { writeFileAtomic } from '../util/fs-durable';
import { generateNoteKey, keyFileSigner, type NoteSigner } from '../transcript/note-keys';
import { parseScript, type LoadedScript } from './load';
import { custodianFileName } from './prior-run';
import { assertWitnessSigner, keyedWitnesses, type KeyedWitness, type WitnessCosigner } from './run-seal';

export const REHEARSAL_WITNESS_KEY_DIR = 'rehearsal-witness-keys';
export const REHEARSAL_SCRIPT_FILE = 'rehearsal-script.yaml';

/** The signed-note key name for a witness: `witness/<name>` with spaces and plus signs made dashes. */
export function witnessKeyName(name: string): string {
  return `witness/${name.replace(/[\s+\u2014]+/g, '-')}`;
}

/** Reads a witness's signer key file and checks it is the key the script records for them. */
export async function loadWitnessSigner(file: string, w: KeyedWitness): Promise<NoteSigner> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new KeyriteError('WITNESS_KEY_UNREADABLE', `Cannot read the key file given for witness ${w.name} (${file}): ${(e as Error).message}`, { action: `Give the path of ${w.name}'s signer key file.`, details: { witness: w.name } });
  }
  let signer: NoteSigner;
  try {
    signer = keyFileSigner(text);
  } catch (e) {
    throw new KeyriteError('WITNESS_KEY_INVALID', `The key file given for witness ${w.name} (${file}) is not a signer key: ${isKeyriteError(e) ? e.message : String(e)}`, { action: `Give ${w.name}'s signer key file (PRIVATE+KEY+...), not the verifier key.`, details: { witness: w.name } });
  }
  await assertWitnessSigner(w, signer, '');
  return signer;
}

/**
 * Headless cosigner: the key file named in the inputs file, else asked on the TTY. Files the inputs
 * name are checked now, so a wrong key is refused before the ceremony does anything irreversible.
 */
export async function headlessCosigner(script: LoadedScript, files: Record<string, string>, ask: (q: string) => Promise<string>): Promise<WitnessCosigner | undefined> {
  const keyed = keyedWitnesses(script.script);
  if (keyed.length === 0) return undefined;
  for (const w of keyed) if (files[w.name]) await loadWitnessSigner(files[w.name]!, w);
  return async (w) => loadWitnessSigner(files[w.name] ?? (await ask(`${w.name}: path of your witness signer key file, to cosign the final checkpoint:`)), w);
}

/**
 * Rehearsals: makes (or, on resume, reuses) a throwaway key for each named witness in
 * OUT/rehearsal-witness-keys and writes OUT/rehearsal-script.yaml, the template with those keys
 * recorded. Relative paths in the script still resolve against the template's folder.
 */
export async function rehearsalWitnessScript(loaded: LoadedScript, outDir: string, names: 'all' | string[]): Promise<{ script: LoadedScript; keyFiles: Record<string, string> }> {
  const witnesses = loaded.script.participants.filter((p) => p.role === 'witness');
  const chosen = names === 'all' ? witnesses : names.map((n) => {
    const w = witnesses.find((p) => p.name === n);
    if (!w) throw new KeyriteError('INPUT_FILE_INVALID', `rehearsalWitnessKeys names "${n}", who is not a witness in the script.`, { action: 'List witnesses of the script only.' });
    return w;
  });
  const keyDir = path.join(outDir, REHEARSAL_WITNESS_KEY_DIR);
  await fsp.mkdir(keyDir, { recursive: true });
  const doc = parseDocument(loaded.text);
  const keyFiles: Record<string, string> = {};
  for (const w of chosen) {
    const file = path.join(keyDir, `${custodianFileName(w.name)}.REHEARSAL-ONLY.key`);
    if (!existsSync(file)) {
      const { signerKey } = generateNoteKey(witnessKeyName(w.name));
      await writeFileAtomic(file, `${signerKey}\n`, { overwrite: false, mode: 0o600 });
    }
    const signer = keyFileSigner(readFileSync(file, 'utf8'));
    doc.setIn(['participants', loaded.script.participants.indexOf(w), 'key'], signer.verifierKey);
    keyFiles[w.name] = file;
  }
  const text = `# REHEARSAL COPY of ${path.basename(loaded.source.file)}: throwaway witness keys (${REHEARSAL_WITNESS_KEY_DIR}/) added. Never use for a real ceremony.\n${doc.toString({ lineWidth: 0 })}`;
  const copy = path.join(outDir, REHEARSAL_SCRIPT_FILE);
  const existing = existsSync(copy) ? readFileSync(copy, 'utf8') : undefined;
  if (existing !== text) await writeFileAtomic(copy, text);
  return { script: { ...parseScript(text, copy), dir: loaded.dir ?? path.dirname(path.resolve(loaded.source.file)) }, keyFiles };
}
