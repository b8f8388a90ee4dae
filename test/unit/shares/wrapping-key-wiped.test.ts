/**
 * createBackup reads the wrapping key's value from the token once and wipes those bytes when the
 * backup is made (or fails). recoverInto hands the rebuilt wrapping key to the token once, as a session object, and wipes the
 * bytes it handed over as soon as the token has them, whether the restore succeeds or fails; a token
 * that refuses the import is asked nothing more (nothing was made, so nothing is unwrapped or
 * destroyed). A share typed with one wrong word is named by the word's position only: the right
 * word is in neither the error's text nor its details.
 */
import { describe, expect, it } from 'vitest';
import { KeyriteError } from '../../../electron/core/util/errors';
import { RecoverySession, withRebuiltKey } from '../../../electron/core/shares/recovery';
import { createBackup } from '../../../electron/core/shares/backup';
import { encodeShareWords } from '../../../electron/core/shares/words';
import type { TokenApi } from '../../../electron/core/token/types';
import { SoftToken } from './soft-token';

async function twoShareSession() {
  const t = new SoftToken();
  const root = t.addKeyPair('ec-p256');
  const { backup, shares } = await createBackup(t.api(), 'S', { ceremonyId: 'c-9', rootKey: root.ref, algorithm: 'ec-p256', spki: root.spki, k: 2, custodians: ['ana', 'ben', 'cy'] });
  const s = new RecoverySession(backup);
  s.add({ envelope: shares[0]! });
  s.add({ envelope: shares[2]! });
  return { s, backup, shares, key: await withRebuiltKey(s, async (k) => Buffer.from(k).toString('hex')) };
}

/** The token API, keeping the bytes the share code gives importSecretKey and gets from readSecretValue; `refuse` makes the import fail. */
function keepingImports(api: TokenApi, refuse = false) {
  const given: Uint8Array[] = [];
  const read: Uint8Array[] = [];
  const seen: string[] = [];
  const w = new Proxy(api, {
    get: (target, p) => {
      const f = target[p as keyof TokenApi] as (...a: unknown[]) => Promise<unknown>;
      return async (...a: unknown[]) => {
        seen.push(String(p));
        if (p === 'importSecretKey') {
          given.push(a[2] as Uint8Array);
          if (refuse) throw new KeyriteError('TOKEN_READ_ONLY', 'soft token: read-only session');
        }
        const r = await f(...a);
        if (p === 'readSecretValue') read.push(r as Uint8Array);
        return r;
      };
    },
  });
  return { api: w, given, read, seen };
}

describe('the wrapping key read from the token at backup', () => {
  it.each([32, 16])('is read once and its bytes are wiped after (a %i-byte key)', async (bytes) => {
    const t = new SoftToken();
    t.faults = { secretBytes: bytes };
    const root = t.addKeyPair('ec-p256');
    const w = keepingImports(t.api());
    const made = createBackup(w.api, 'S', { ceremonyId: 'c-8', rootKey: root.ref, algorithm: 'ec-p256', spki: root.spki, k: 2, custodians: ['ana', 'ben'] });
    if (bytes === 32) await made;
    else await expect(made).rejects.toMatchObject({ code: 'BACKUP_WRAPPING_KEY_INVALID' });
    expect(w.read).toHaveLength(1);
    expect(w.read[0]).toHaveLength(bytes);
    expect(w.read[0]?.every((b) => b === 0)).toBe(true);
  });
});

describe('the wrapping key given to the token', () => {
  it('is the rebuilt key, imported once, and its bytes are wiped once the restore is done', async () => {
    const { s, key } = await twoShareSession();
    const t = new SoftToken();
    const w = keepingImports(t.api());
    await s.recoverInto(w.api, 'S', { label: 'restored', id: '0a', extractable: false });
    expect(w.given).toHaveLength(1);
    expect(w.given[0]?.every((b) => b === 0)).toBe(true);
    expect(t.destroyed.filter((o) => o.class === 'secret').map((o) => Buffer.from(o.value as Uint8Array).toString('hex'))).toEqual([key]);
  });

  it('is wiped also when the restore fails', async () => {
    const { s } = await twoShareSession();
    s.backup.sealed.wrapping.wrappedKey = Buffer.alloc(40, 3).toString('base64');
    const w = keepingImports(new SoftToken().api());
    await expect(s.recoverInto(w.api, 'S', { label: 'r', id: '01', extractable: false })).rejects.toThrow();
    expect(w.given).toHaveLength(1);
    expect(w.given[0]?.every((b) => b === 0)).toBe(true);
  });

  it('a token that refuses the import: its error comes back and nothing more is asked of it', async () => {
    const { s } = await twoShareSession();
    const w = keepingImports(new SoftToken().api(), true);
    await expect(s.recoverInto(w.api, 'S', { label: 'r', id: '01', extractable: false })).rejects.toMatchObject({ code: 'TOKEN_READ_ONLY' });
    expect(w.seen).toEqual(['importSecretKey']);
    expect(w.given[0]?.every((b) => b === 0)).toBe(true);
  });
});

describe('a typed share with one wrong word', () => {
  it('names the position; the right word is in neither the message, the action nor the details', async () => {
    const { backup, shares } = await twoShareSession();
    const words = encodeShareWords(shares[1]!);
    // A position whose word is not one the error's own wording uses (so finding it would mean it leaked).
    const wording = new Set('word looks wrong every other checks out check against the share sheet code message action details'.split(' '));
    const at = words.findIndex((w, i) => i >= 11 && !wording.has(w));
    const right = words[at]!;
    const typed = [...words];
    typed[at] = right === 'zoo' ? 'abandon' : 'zoo';
    const s = new RecoverySession(backup);
    let err: KeyriteError | undefined;
    try {
      s.add({ words: typed });
    } catch (e) {
      err = e as KeyriteError;
    }
    expect(err).toMatchObject({ code: 'SHARE_CHECKSUM', message: `Word ${at + 1} looks wrong; every other word checks out.`, action: `Check word ${at + 1} against the share sheet.` });
    expect(err?.details).toEqual({ wordIndex: at + 1 });
    expect(JSON.stringify(err?.toData()).toLowerCase()).not.toMatch(new RegExp(`\\b${right}\\b`));
    expect(s.progress.have).toBe(0);
  });
});
