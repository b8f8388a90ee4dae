/**
 * The public-key re-check at export: the export step asks the token for the key's public key again
 * and writes public-key.pem only when it is the one recorded at generation; a token that answers with
 * another key (another token connected, a key replaced) stops the step with PUBLIC_KEY_MISMATCH,
 * nothing written and nothing journaled. The handler is driven with the capabilities the runner gives it.
 */
import { generateKeyPairSync } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { exportPublicKey } from '../../../electron/core/ceremony/actions/keygen';
import { publicKeyFingerprint, spkiToPem } from '../../../electron/core/token/verify';
import { tempDir } from '../../helpers/softhsm';

const tmp = tempDir('keyrite-export-recheck-');
afterAll(() => tmp.cleanup());
const spkiOf = () => new Uint8Array(generateKeyPairSync('ec', { namedCurve: 'P-384' }).publicKey.export({ type: 'spki', format: 'der' }));

function ctx(name: string, recorded: Uint8Array, onToken: Uint8Array) {
  const appended: { kind: string; data: Record<string, unknown> }[] = [];
  const asked: unknown[] = [];
  const c = {
    outDir: path.join(tmp.dir, name),
    facts: { key: { id: 'ab01', label: 'root', algorithm: 'ec-p384', spki: Buffer.from(recorded).toString('base64'), fingerprint: publicKeyFingerprint(recorded).sha256Hex } },
    token: () => ({ exportPublicKey: async (_s: unknown, ref: unknown) => { asked.push(ref); return onToken; } }),
    session: () => 'session-1',
    append: async (e: { kind: string; data: Record<string, unknown> }) => { appended.push(e); return e; },
  };
  mkdirSync(c.outDir, { recursive: true });
  return { c: c as unknown as Parameters<typeof exportPublicKey.advance>[0], appended, asked, outDir: c.outDir };
}

describe('the public key at export', () => {
  it('is written when the token gives the key recorded at generation, its fingerprint read aloud', async () => {
    const spki = spkiOf();
    const { c, appended, asked, outDir } = ctx('same', spki, spki);
    const r = await exportPublicKey.advance(c, undefined);
    expect(asked).toEqual([{ id: 'ab01', label: 'root' }]);
    expect(readFileSync(path.join(outDir, 'public-key.pem'), 'utf8')).toBe(spkiToPem(spki));
    expect(appended.map((e) => e.kind)).toEqual(['file.published']);
    expect(r).toMatchObject({ data: { file: 'public-key.pem', fingerprint: publicKeyFingerprint(spki).sha256Hex } });
  });

  it('is refused when the token gives another key: PUBLIC_KEY_MISMATCH, no file, nothing journaled', async () => {
    const { c, appended, outDir } = ctx('other', spkiOf(), spkiOf());
    await expect(exportPublicKey.advance(c, undefined)).rejects.toMatchObject({ code: 'PUBLIC_KEY_MISMATCH' });
    expect(existsSync(path.join(outDir, 'public-key.pem'))).toBe(false);
    expect(readdirSync(outDir)).toEqual([]);
    expect(appended).toEqual([]);
  });
});
