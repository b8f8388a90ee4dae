/**
 * State shared by the adapter's parts inside the token host: the loaded module, open sessions, and
 * the one place where pkcs11js errors become KeyriteErrors.
 */
import { KeyriteError } from '../../util/errors';
import { keyNotFound, tokenError, type PinTriesFlags } from '../errors';
import { ckrName } from '../pkcs11-names';
import { pkcs11, type Handle, type PKCS11, type Template } from '../pkcs11js';
import type { KeyClass, KeyRef, SessionId } from '../types';

export interface OpenSession {
  handle: Handle;
  slot: Handle;
}

export const CLASS_CODES: Record<KeyClass, number> = {
  private: pkcs11.CKO_PRIVATE_KEY,
  public: pkcs11.CKO_PUBLIC_KEY,
  secret: pkcs11.CKO_SECRET_KEY,
};

export function isPkcs11Error(e: unknown): e is Error & { code: number; method?: string } {
  return e instanceof pkcs11.Pkcs11Error || (e instanceof Error && e.name === 'Pkcs11Error' && typeof (e as { code?: unknown }).code === 'number');
}

/**
 * pkcs11js 2.x overrides C_SetAttributeValue, C_CreateObject and C_CopyObject without its error
 * wrapper, so their CKR failures arrive as a plain Error reading "CKR_NAME:code": read the code back.
 */
function pkcs11ErrorOf(e: unknown): { code: number; method?: string } | undefined {
  if (isPkcs11Error(e)) return e;
  const m = e instanceof Error ? /(CKR_[^:\s]+):(\d+)/.exec(e.message) : null;
  return m ? { code: Number(m[2]) } : undefined;
}

export class AdapterContext {
  private readonly sessions = new Map<SessionId, OpenSession>();
  /**
   * Object handles found by (session, class, id, label). A ceremony signs many checkpoints with one key;
   * looking it up each time would cost three extra PKCS#11 calls per signature. Entries are dropped
   * when Keyrite destroys the object or closes the session, and re-looked-up if the token says stale.
   */
  private readonly handles = new Map<string, Handle>();
  /**
   * Each key object's CKA_KEY_TYPE, by session and handle. A type never changes while its object
   * lives, but a module may hand the handle out again once the object is destroyed or its session
   * closed (SoftHSM2 does after all of an application's sessions close): forgetSession and
   * forgetHandle drop the entries.
   */
  private readonly keyTypes = new Map<string, number>();
  private nextSession = 1;

  /** hostTag makes session ids from an earlier (stopped) host fail clearly instead of hitting a reused handle. */
  constructor(readonly p: PKCS11, readonly modulePath: string, private readonly hostTag: string, private readonly restart?: () => void) {}

  /**
   * Has the module read its slots and token store afresh when no session is open in this host:
   * SoftHSM2 and NSS softokn read their store only at C_Initialize, so a token initialised after
   * the host started would never be listed or found. With a session open, re-initialising would
   * close it, so the view is kept until the sessions close.
   */
  rescanIfIdle(): void {
    // Skipped when the module was (re)initialised during this very call: its view is already fresh.
    if (this.sessions.size > 0 || !this.stale) return;
    this.restart?.();
    this.stale = false;
  }

  /** Called by the host after each call: the module's view may be out of date from now on. */
  callEnded(): void {
    this.stale = true;
  }

  private stale = false;

  /** Runs one PKCS#11 step, turning a CKR failure into its typed error. */
  call<T>(fn: string, f: () => T, extra: { pinFlags?: () => PinTriesFlags | undefined } = {}): T {
    try {
      return f();
    } catch (e) {
      if (e instanceof KeyriteError) throw e;
      const p11 = pkcs11ErrorOf(e);
      if (p11) {
        const pinFlags = extra.pinFlags?.();
        // pkcs11js names the exact function (C_SignInit rather than the step's C_Sign) when it can.
        throw tokenError(ckrName(p11.code), p11.method || fn, pinFlags ? { pinFlags } : {});
      }
      throw new KeyriteError('TOKEN_MODULE_FAILED', `The PKCS#11 module failed in ${fn}: ${(e as Error).message}`, {
        action: 'Check that the module matches this token and is installed correctly.',
        details: { function: fn },
      });
    }
  }

  addSession(s: OpenSession): SessionId {
    const id = `${this.hostTag}:${this.nextSession++}`;
    this.sessions.set(id, s);
    return id;
  }

  removeSession(id: SessionId): OpenSession {
    const s = this.session(id);
    this.sessions.delete(id);
    return s;
  }

  session(id: SessionId): OpenSession {
    const s = this.sessions.get(id);
    if (!s) {
      throw new KeyriteError('SESSION_INVALID', 'This token session is not open (it was closed, or the token host restarted).', {
        action: 'Open a new session (log in again), then check the token\'s state before continuing.',
        details: { session: id },
      });
    }
    return s;
  }

  openSessions(): OpenSession[] {
    return [...this.sessions.values()];
  }

  findObjects(session: Handle, template: Template): Handle[] {
    return this.call('C_FindObjects', () => {
      this.p.C_FindObjectsInit(session, template);
      try {
        const found: Handle[] = [];
        for (;;) {
          const batch = this.p.C_FindObjects(session, 64);
          found.push(...batch);
          if (batch.length < 64) return found;
        }
      } finally {
        this.p.C_FindObjectsFinal(session);
      }
    });
  }

  /** The one object of this class with this CKA_ID and label, or KEY_NOT_FOUND. */
  findKey(session: Handle, key: KeyRef, keyClass: KeyClass): Handle {
    const found = this.findObjects(session, keyTemplate(key, keyClass));
    if (found.length === 0 || found[0] === undefined) throw keyNotFound(key, `${keyClass} key`);
    if (found.length > 1) {
      throw new KeyriteError('KEY_AMBIGUOUS', `${found.length} ${keyClass} keys have id ${key.id} and label "${key.label}".`, {
        action: 'Remove the duplicates with the custodians\' agreement, or choose the key by another id.',
      });
    }
    return found[0];
  }

  forgetKey(session: Handle, key: KeyRef, keyClass: KeyClass): void {
    this.handles.delete(handleKey(session, key, keyClass));
  }

  forgetSession(session: Handle): void {
    const prefix = `${session.toString('hex')}|`;
    for (const k of this.handles.keys()) if (k.startsWith(prefix)) this.handles.delete(k);
    for (const k of this.keyTypes.keys()) if (k.startsWith(prefix)) this.keyTypes.delete(k);
  }

  /** Drops what is known of the object behind this handle (it was destroyed; the handle may come back). */
  forgetHandle(session: Handle, h: Handle): void {
    this.keyTypes.delete(`${session.toString('hex')}|${h.toString('hex')}`);
  }

  /** The key's CKA_KEY_TYPE, read once per session and handle. */
  keyType(session: Handle, h: Handle): number {
    const k = `${session.toString('hex')}|${h.toString('hex')}`;
    let t = this.keyTypes.get(k);
    if (t === undefined) {
      t = ulong(this.readAttributes(session, h, [pkcs11.CKA_KEY_TYPE]).get(pkcs11.CKA_KEY_TYPE));
      this.keyTypes.set(k, t);
    }
    return t;
  }

  /** Runs f with the key's cached handle; if that handle went stale (object gone), looks the key up once more. */
  withKey<T>(session: Handle, key: KeyRef, keyClass: KeyClass, f: (h: Handle) => T): T {
    const cacheKey = handleKey(session, key, keyClass);
    const cached = this.handles.get(cacheKey);
    if (cached) {
      try {
        return f(cached);
      } catch (e) {
        if (!(e instanceof KeyriteError) || e.code !== 'KEY_NOT_FOUND') throw e;
        this.handles.delete(cacheKey);
      }
    }
    const h = this.findKey(session, key, keyClass);
    this.handles.set(cacheKey, h);
    return f(h);
  }

  /**
   * Reads attributes in one call. With `lenient`, an attribute the token does not have or will not
   * reveal is left out instead of failing the whole read: tokens differ in which proof attributes
   * (CKA_KEY_GEN_MECHANISM, CKA_ALWAYS_SENSITIVE...) they keep.
   */
  readAttributes(session: Handle, object: Handle, types: number[], opts: { lenient?: boolean } = {}): Map<number, Buffer> {
    const read = (ts: number[]): Map<number, Buffer> => {
      const got = this.call('C_GetAttributeValue', () => this.p.C_GetAttributeValue(session, object, ts.map((type) => ({ type }))));
      return new Map(got.map((a) => [a.type, a.value]));
    };
    try {
      return read(types);
    } catch (e) {
      const ckr = e instanceof KeyriteError ? e.details?.ckr : undefined;
      if (!opts.lenient || (ckr !== 'CKR_ATTRIBUTE_TYPE_INVALID' && ckr !== 'CKR_ATTRIBUTE_SENSITIVE')) throw e;
      const out = new Map<number, Buffer>();
      for (const t of types) {
        try {
          for (const [k, v] of read([t])) out.set(k, v);
        } catch {
          // This attribute is unavailable on this token; the others still count.
        }
      }
      return out;
    }
  }
}

function handleKey(session: Handle, key: KeyRef, keyClass: KeyClass): string {
  return `${session.toString('hex')}|${keyClass}|${key.id}|${key.label}`;
}

export function keyTemplate(key: Partial<KeyRef>, keyClass?: KeyClass): Template {
  const t: Template = [];
  if (keyClass) t.push({ type: pkcs11.CKA_CLASS, value: CLASS_CODES[keyClass] });
  if (key.id !== undefined) t.push({ type: pkcs11.CKA_ID, value: Buffer.from(key.id, 'hex') });
  if (key.label !== undefined) t.push({ type: pkcs11.CKA_LABEL, value: key.label });
  return t;
}

export function bool(buf: Buffer | undefined): boolean {
  return buf !== undefined && buf.length > 0 && buf[0] !== 0;
}

/** CK_ULONG in the module's native byte order (little-endian on every platform Keyrite runs on). */
export function ulong(buf: Buffer | undefined): number {
  if (!buf || buf.length === 0) return -1;
  return buf.length >= 8 ? Number(buf.readBigUInt64LE(0)) : buf.readUIntLE(0, Math.min(buf.length, 6));
}

export function copyBytes(buf: Buffer): Uint8Array {
  return new Uint8Array(buf);
}

export function trimPadded(s: string): string {
  return s.replace(/[\s\0]+$/, '');
}

export function validHexId(id: string): void {
  if (!/^([0-9a-f]{2})+$/.test(id)) {
    throw new KeyriteError('KEY_ID_INVALID', `Key id "${id}" must be lowercase hex, whole bytes.`, { action: 'Pass the CKA_ID as lowercase hex.' });
  }
}
