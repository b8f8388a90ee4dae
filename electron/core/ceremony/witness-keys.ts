/**
 * Witness keys for the headless runner: each witness whose key the script records cosigns the final
 * checkpoint with a signer key file (its path comes from the inputs file or the prompt; the key text
 * itself never goes into a shared inputs file). Rehearsals can make throwaway witness keys and run
 * a copy of the template that records them, so the template itself is never edited. A witness may
 * instead keep the key on their own token: made by `keyrite ceremony witness-key --token`, found
 * and used at the seal by the recorded verifier key.
 */
import { createPublicKey, randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseDocument } from 'yaml';
import { KeyriteError, isKeyriteError } from '../util/errors';
import { makePrivateDir, writeFileAtomic } from '../util/fs-durable';
import { generateNoteKey, hashHex, keyFileSigner, parseVerifierKey, type NoteKeyType, type NoteSigner } from '../transcript/note-keys';
import { defaultNoteType, tokenNoteSigner, type TokenNoteSigner } from '../transcript/note-token';
import type { KeyAlgorithm, KeyRef, SessionId, TokenApi } from '../token/types';
import type { OtherTokens } from './step-context';
import { parseScript, type LoadedScript } from './load';
import { custodianFileName } from './prior-run';
import { assertWitnessSigner, keyedWitnesses } from './witness-cosign';
import type { KeyedWitness, WitnessCosigner, WitnessTokenSigning } from './run-types';

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
    signer = keyFileSigner(text, parseVerifierKey(w.verifierKey).type === 'cosignature/v1' ? 'cosignature/v1' : 'ed25519');
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
  await makePrivateDir(keyDir);
  const doc = parseDocument(loaded.text);
  const keyFiles: Record<string, string> = {};
  for (const w of chosen) {
    const file = path.join(keyDir, `${custodianFileName(w.name)}.REHEARSAL-ONLY.key`);
    if (!existsSync(file)) {
      const { signerKey } = generateNoteKey(witnessKeyName(w.name));
      await writeFileAtomic(file, `${signerKey}\n`, { overwrite: false, mode: 0o600 });
    }
    // Witnesses cosign as tlog-cosignature/v1 (0x04).
    const signer = keyFileSigner(readFileSync(file, 'utf8'), 'cosignature/v1');
    doc.setIn(['participants', loaded.script.participants.indexOf(w), 'key'], signer.verifierKey);
    keyFiles[w.name] = file;
  }
  const text = `# REHEARSAL COPY of ${path.basename(loaded.source.file)}: throwaway witness keys (${REHEARSAL_WITNESS_KEY_DIR}/) added. Never use for a real ceremony.\n${doc.toString({ lineWidth: 0 })}`;
  const copy = path.join(outDir, REHEARSAL_SCRIPT_FILE);
  const existing = existsSync(copy) ? readFileSync(copy, 'utf8') : undefined;
  if (existing !== text) await writeFileAtomic(copy, text);
  return { script: { ...parseScript(text, copy), dir: loaded.dir ?? path.dirname(path.resolve(loaded.source.file)) }, keyFiles };
}

/** New witness keys: Ed25519 cosigns as tlog-cosignature/v1 (0x04); an EC key (no cosignature type) signs as ECDSA 0x02. */
function witnessNoteType(algorithm: KeyAlgorithm): NoteKeyType {
  return algorithm === 'ed25519' ? 'cosignature/v1' : defaultNoteType(algorithm);
}

/** The CKA_LABEL of a witness's cosigning key on their own token: `keyrite-witness-<name>` (name as in the key name). */
export function witnessTokenKeyLabel(name: string): string {
  return `keyrite-${witnessKeyName(name).replace('/', '-')}`;
}

/** What tokenNoteSigner needs to know of a key, read from its SPKI (an ECDSA key's hash follows from its curve there). */
function algorithmOfSpki(spki: Uint8Array): KeyAlgorithm | undefined {
  const k = createPublicKey({ key: Buffer.from(spki), format: 'der', type: 'spki' });
  if (k.asymmetricKeyType === 'ed25519') return 'ed25519';
  if (k.asymmetricKeyType === 'rsa') return (k.asymmetricKeyDetails?.modulusLength ?? 0) >= 4096 ? 'rsa-4096' : 'rsa-3072';
  if (k.asymmetricKeyType === 'ec') return ({ 'prime256v1': 'ec-p256', 'secp384r1': 'ec-p384', 'secp521r1': 'ec-p521' } as const)[k.asymmetricKeyDetails?.namedCurve as 'prime256v1'];
  return undefined;
}

async function signerOf(api: TokenApi, session: SessionId, key: KeyRef, name: string, type: NoteKeyType): Promise<TokenNoteSigner | undefined> {
  try {
    const algorithm = algorithmOfSpki(await api.exportPublicKey(session, key));
    // Signs the way the recorded key says (a key of another type simply does not match it).
    return algorithm ? await tokenNoteSigner(api, session, key, algorithm, name, type) : undefined;
  } catch (e) {
    // A lost session or token is not "this key does not fit": it must reach the person.
    if (isKeyriteError(e) && /^(SESSION_|TOKEN_NOT_PRESENT|TOKEN_HOST_STOPPED|DEVICE_REMOVED)/.test(e.code)) throw e;
    return undefined;
  }
}

/**
 * On a witness's logged-in token: the private key whose note verifier key is the one the script
 * records for them (the key labelled for them is tried first), as a signer that signs on the token.
 */
export async function findWitnessTokenSigner(api: TokenApi, session: SessionId, w: KeyedWitness, token: { label: string; serial: string }): Promise<TokenNoteSigner> {
  const recorded = parseVerifierKey(w.verifierKey);
  const label = witnessTokenKeyLabel(w.name);
  const keys = (await api.findKeys(session, { class: 'private' })).sort((a, b) => Number(b.label === label) - Number(a.label === label));
  for (const k of keys) {
    const signer = await signerOf(api, session, { id: k.id, label: k.label }, recorded.name, recorded.type);
    if (signer?.verifierKey === w.verifierKey) return signer;
  }
  const tokenName = `${token.label || 'token'} (serial ${token.serial})`;
  throw new KeyriteError('WITNESS_KEY_NOT_ON_TOKEN', `Token ${tokenName} holds no key matching the one the script records for witness ${w.name} (${recorded.name}+${hashHex(recorded.keyHash)}).`, {
    action: `${w.name}: connect your own token (the one whose key \`keyrite ceremony witness-key --token\` printed for the script) and cosign again.`,
    details: { witness: w.name, tokenSerial: token.serial, tokenLabel: token.label },
  });
}

/**
 * A witness cosigning on their own token: one login through `open` (the run's token module and
 * factory), the recorded key found, `use` given its signer, the session closed whatever happens.
 */
export function witnessTokenSigning(module: string, open: OtherTokens['openOtherToken']): WitnessTokenSigning {
  return async (w, t, use) => {
    const { api, session, info, close } = await open({ module, serial: t.tokenSerial }, t.pin);
    try {
      await use(await findWitnessTokenSigner(api, session, w, info));
    } finally {
      await close();
    }
  };
}

/**
 * Makes (or reuses, when one labelled for the witness is there) a sign-only, non-extractable
 * cosigning key on a logged-in token: Ed25519 when the token lists it, else EC P-256.
 */
export async function ensureWitnessTokenKey(api: TokenApi, session: SessionId, name: string, algorithms: readonly KeyAlgorithm[], algorithm?: KeyAlgorithm): Promise<{ verifierKey: string; label: string; algorithm: KeyAlgorithm; created: boolean }> {
  const label = witnessTokenKeyLabel(name);
  const [existing] = await api.findKeys(session, { label, class: 'private' });
  if (existing) {
    const ref = { id: existing.id, label: existing.label };
    const alg = algorithmOfSpki(await api.exportPublicKey(session, ref));
    if (!alg) throw new KeyriteError('WITNESS_KEY_UNSUITABLE', `The key labelled ${label} on this token cannot sign checkpoints.`, { action: `Remove or relabel that key, then run the command again.` });
    return { verifierKey: (await tokenNoteSigner(api, session, ref, alg, witnessKeyName(name), witnessNoteType(alg))).verifierKey, label, algorithm: alg, created: false };
  }
  const alg = algorithm ?? (algorithms.includes('ed25519') ? 'ed25519' : 'ec-p256');
  const key = await api.generateKeyPair(session, { algorithm: alg, label, id: randomBytes(8).toString('hex'), extractableForBackup: false, usage: 'sign' });
  return { verifierKey: (await tokenNoteSigner(api, session, { id: key.id, label: key.label }, alg, witnessKeyName(name), witnessNoteType(alg))).verifierKey, label, algorithm: alg, created: true };
}
