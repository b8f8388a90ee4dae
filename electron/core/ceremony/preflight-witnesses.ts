/**
 * Pre-flight's witness check looks at the room, not only at the script: for each witness whose key
 * the script records, the public key objects of every token on the ceremony's module and on each
 * card module are read (a public session, no PIN) and compared with that key. A card key not seen is
 * information, not a failure: one reader may be shared, and cards often arrive only for the seal.
 */
import { createPublicKey } from 'node:crypto';
import type { PreflightCheck } from './preflight-report';
import type { CardModule, ClosableTokenApi, ModuleClientFactory } from '../token/card-modules';
import type { TokenApi } from '../token/types';
import { parseVerifierKey } from '../transcript/note-keys';
import { chop, SPKI_TYPE, strictBase64 } from '../transcript/note-key-text';
import type { CeremonyScript } from './script-schema';

const ED25519_SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

/** A recorded witness key: where it lives (an ECDSA or SPKI key is on a card; Ed25519 may be a file) and its SPKI as hex. */
interface RecordedKey {
  onCard: boolean;
  spki: string;
}

/** The SubjectPublicKeyInfo DER a key encodes, in one canonical form so two encodings of one key compare equal. */
function canonicalSpki(der: Uint8Array): string | undefined {
  try {
    return createPublicKey({ key: Buffer.from(der), format: 'der', type: 'spki' }).export({ format: 'der', type: 'spki' }).toString('hex');
  } catch {
    return undefined;
  }
}

/** The public key a signed-note verifier key (name+keyid+base64) holds. */
function recordedKey(verifierKey: string): RecordedKey | undefined {
  const type = parseVerifierKey(verifierKey).type;
  const raw = strictBase64(chop(verifierKey, 2)?.[2] ?? '');
  if (!raw) return undefined;
  if (type === 'ecdsa') return withSpki(true, raw.subarray(1));
  if (type === 'keyrite.spki/v1') return withSpki(true, raw.subarray(SPKI_TYPE.length));
  return withSpki(false, Buffer.concat([ED25519_SPKI_PREFIX, raw.subarray(1)]));
}

function withSpki(onCard: boolean, der: Uint8Array): RecordedKey | undefined {
  const spki = canonicalSpki(der);
  return spki ? { onCard, spki } : undefined;
}

/** Token label by the SPKI of each public key on the tokens `api` lists; a token that cannot be read is passed over. */
async function publicKeysOf(api: TokenApi, into: Map<string, string>): Promise<void> {
  for (const slot of await api.listSlots()) {
    const t = slot.token;
    if (!t?.flags.tokenInitialized) continue;
    try {
      const session = await api.openSession({ serial: t.serial });
      try {
        for (const k of await api.findKeys(session, { class: 'public' })) {
          const spki = canonicalSpki(await api.exportPublicKey(session, { id: k.id, label: k.label }));
          if (spki && !into.has(spki)) into.set(spki, t.label);
        }
      } finally {
        await api.closeSession(session).catch(() => undefined);
      }
    } catch {
      // A token that refuses a public session (or a key that cannot be read) holds nothing seen here.
    }
  }
}

/** Every public key on the ceremony's module and on each card module (each through its own host, stopped after). */
async function publicKeysInRoom(primary: TokenApi, cards: readonly CardModule[], factory: ModuleClientFactory | null): Promise<{ seen: Map<string, string>; unreadable: string[] }> {
  const seen = new Map<string, string>();
  const unreadable: string[] = [];
  await publicKeysOf(primary, seen);
  for (const m of factory ? cards : []) {
    let api: ClosableTokenApi | undefined;
    try {
      api = await factory!({ modulePath: m.path, env: m.env ?? {} });
      await publicKeysOf(api, seen);
    } catch (e) {
      // A card module that cannot be read shows no card: the check says which and why.
      unreadable.push(`card module ${m.path} could not be read (${e instanceof Error ? e.message : String(e)})`);
    } finally {
      await api?.close?.();
    }
  }
  return { seen, unreadable };
}

/** The witnesses check: each keyed witness's card looked for; status info while a card key is not seen. */
export async function witnessCheck(script: CeremonyScript, room: { api: TokenApi; cards: readonly CardModule[]; factory: ModuleClientFactory | null }): Promise<PreflightCheck> {
  const witnesses = script.participants.filter((p) => p.role === 'witness');
  const title = 'Witness keys and cards';
  if (witnesses.length === 0) return { id: 'witnesses', title, status: 'info', detail: 'The script has no witness.' };
  const { seen, unreadable } = witnesses.some((w) => w.key) ? await publicKeysInRoom(room.api, room.cards, room.factory) : { seen: new Map<string, string>(), unreadable: [] };
  let missing = false;
  const lines = witnesses.map((w) => {
    if (!w.key) return `${w.name}: attests by name (no key in the script)`;
    const key = recordedKey(w.key);
    const token = key && seen.get(key.spki);
    if (token !== undefined) return `${w.name}: seen on ${token}`;
    if (key?.onCard !== false) {
      missing = true;
      return `not seen: ${w.name} plugs in their card before the seal`;
    }
    return `${w.name}: key file (or own card), asked for at the seal`;
  });
  return { id: 'witnesses', title, status: missing ? 'info' : 'pass', detail: `${[...lines, ...unreadable].join('; ')}.` };
}
