/**
 * A share file for a custodian's card that was cut short anywhere is refused with a typed share
 * error (never opened, never a stack trace), whatever the key type; and a card share that opens
 * fine but belongs to another split of the same ceremony is refused when it is entered for recovery.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { encryptShareForCard, openTokenShare } from '../../../electron/core/shares/token-file';
import { readShareFile } from '../../../electron/core/shares/cli-input';
import { RecoverySession } from '../../../electron/core/shares/recovery';
import { isKeyriteError } from '../../../electron/core/util/errors';
import { softBackup } from './fixtures';
import { SoftToken } from './soft-token';

const dir = mkdtempSync(join(tmpdir(), 'keyrite-card-cut-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('a card share cut short', () => {
  it.each(['rsa-3072', 'ec-p384', 'ec-p256'] as const)('%s: every prefix of the file is a typed share error', async (algorithm) => {
    const { shares } = await softBackup({ k: 2, custodians: ['alice', 'bob'] });
    const t = new SoftToken();
    const k = t.addKeyPair(algorithm, 'alice-card');
    const text = await encryptShareForCard(shares[0]!, k.spki);
    expect(await openTokenShare(t.api(), 'S', k.ref, text)).toEqual(shares[0]);
    const codes = new Set<string>();
    for (let cut = 0; cut < text.trimEnd().length; cut += 5) {
      const err = await openTokenShare(t.api(), 'S', k.ref, text.slice(0, cut)).then(() => undefined, (e: unknown) => e);
      expect(isKeyriteError(err), `cut at ${cut}: ${String(err)}`).toBe(true);
      codes.add((err as { code: string }).code);
    }
    for (const c of codes) expect(['SHARE_TOKEN_FILE_FORMAT', 'SHARE_TOKEN_DECRYPT_FAILED']).toContain(c);
  });

  it.each(['rsa-3072', 'ec-p384'] as const)('%s: a ciphertext cut short inside a well-formed file does not decrypt', async (algorithm) => {
    const { shares } = await softBackup({ k: 2, custodians: ['alice', 'bob'] });
    const t = new SoftToken();
    const k = t.addKeyPair(algorithm, 'alice-card');
    const f = JSON.parse(await encryptShareForCard(shares[0]!, k.spki)) as { ciphertext: string };
    const ct = Buffer.from(f.ciphertext, 'base64');
    for (let n = 0; n < ct.length; n += 9) {
      await expect(openTokenShare(t.api(), 'S', k.ref, JSON.stringify({ ...f, ciphertext: ct.subarray(0, n).toString('base64') })), `${n} of ${ct.length} bytes`)
        .rejects.toMatchObject({ code: 'SHARE_TOKEN_DECRYPT_FAILED' });
    }
  });
});

describe('a card share of another split', () => {
  it('opens on the card, and is refused on entry as SHARE_WRONG_SPLIT naming both splits', async () => {
    const custodians = ['alice', 'bob', 'carol'];
    const old = await softBackup({ k: 2, custodians });
    const current = await softBackup({ k: 2, custodians });
    const t = new SoftToken();
    const k = t.addKeyPair('ec-p384', 'alice-card');
    const file = join(dir, 'alice-old.json');
    writeFileSync(file, await encryptShareForCard(old.shares[0]!, k.spki));
    const envelope = await readShareFile(file, undefined, (text) => openTokenShare(t.api(), 'S', k.ref, text));
    expect(envelope).toEqual(old.shares[0]);
    const s = new RecoverySession(current.backup);
    expect(() => s.add({ envelope })).toThrow(expect.objectContaining({
      code: 'SHARE_WRONG_SPLIT', message: `This share is from split ${old.backup.split.id}, not from this backup's split ${current.backup.split.id}.`,
    }));
    expect(s.progress.have).toBe(0);
  });
});
