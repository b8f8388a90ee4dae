/**
 * A backup made by createBackup and two printed words sheets are enough to rebuild the root key
 * without Keyrite: resources/tools/combine-shares.py (Python, standard library) reads the sheets and
 * checks the rebuilt key against backup.json's commitment, and OpenSSL unwraps the private key with
 * it. The sheet's layout is pinned too, since that script and people read it.
 */
import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createBackup } from '../../../electron/core/shares/backup';
import { serializeBackupFile } from '../../../electron/core/shares/backup-file';
import { formatShareSheet } from '../../../electron/core/shares/sheet';
import { encodeShareWords } from '../../../electron/core/shares/words';
import { shareFingerprint, type ShareEnvelope } from '../../../electron/core/shares/envelope';
import { decodeShareInput } from '../../../electron/core/shares/share-input';
import { SoftToken } from './soft-token';

const SCRIPT = join(__dirname, '../../../resources/tools/combine-shares.py');

describe('recovery without Keyrite', () => {
  it('combine-shares.py rebuilds the wrapping key from two sheets and OpenSSL unwraps the root key with it', async () => {
    const t = new SoftToken();
    const root = t.addKeyPair('ec-p384');
    const { backup, shares } = await createBackup(t.api(), 'S', { ceremonyId: 'outside-1', rootKey: root.ref, algorithm: 'ec-p384', spki: root.spki, k: 2, custodians: ['ann', 'ben', 'cat'] });
    const dir = mkdtempSync(join(tmpdir(), 'keyrite-sheets-'));
    try {
      writeFileSync(join(dir, 'backup.json'), serializeBackupFile(backup));
      for (const i of [0, 2]) writeFileSync(join(dir, `s${i}.txt`), formatShareSheet(shares[i]!, { custodian: backup.split.shares[i]!.custodian, ceremonyId: 'outside-1', index: i + 1 }));
      const key = execFileSync('python3', [SCRIPT, '--backup', join(dir, 'backup.json'), '--write-wrapped', join(dir, 'wrapped.bin'), '--write-spki', join(dir, 'spki.der'), join(dir, 's2.txt'), join(dir, 's0.txt')], { encoding: 'utf8' }).trim();
      expect(key).toMatch(/^[0-9a-f]{64}$/);
      expect(readFileSync(join(dir, 'spki.der'))).toEqual(Buffer.from(root.spki));
      const pkcs8 = execFileSync('openssl', ['enc', '-d', '-id-aes256-wrap-pad', '-K', key, '-iv', 'A65959A6', '-in', join(dir, 'wrapped.bin')]);
      expect(pkcs8).toEqual(root.privateKey.export({ type: 'pkcs8', format: 'der' }));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('the words sheet', () => {
  it('has the notes, then the 37 words numbered four to a line', async () => {
    const t = new SoftToken();
    const root = t.addKeyPair('ec-p256');
    const { backup, shares } = await createBackup(t.api(), 'S', { ceremonyId: 'sheet-1', rootKey: root.ref, algorithm: 'ec-p256', spki: root.spki, k: 2, custodians: ['ann', 'ben', 'cat'] });
    const e = shares[1] as ShareEnvelope;
    const sheet = formatShareSheet(e, { custodian: 'ben', ceremonyId: 'sheet-1', index: 2 });
    const words = encodeShareWords(e);
    const lines = sheet.split('\n');
    expect(lines.slice(0, 6)).toEqual([
      '# Keyrite backup share. SECRET: keep it where only you can reach it.',
      '# custodian: ben',
      '# ceremony: sheet-1',
      `# share 2 of 3; 2 shares rebuild the key; split ${backup.split.id}`,
      `# fingerprint: ${shareFingerprint(e)}`,
      '# 37 words; typing the first 4 letters of each is enough.',
    ]);
    expect(lines[6]).toBe(` 1. ${words[0]!.padEnd(9)}  2. ${words[1]!.padEnd(9)}  3. ${words[2]!.padEnd(9)}  4. ${words[3]}`);
    expect(lines[15]).toBe(`37. ${words[36]}`);
    expect(lines).toHaveLength(17);
    expect(lines[16]).toBe('');
    expect(sheet.endsWith('\n')).toBe(true);
    expect(decodeShareInput({ text: sheet })).toEqual(e);
  });
});
