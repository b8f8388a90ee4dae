/**
 * The seal's exports (writeExports): public-key.pem is exactly the PEM of the recorded SPKI and is
 * never written for a key whose fingerprint does not match; the report is rendered from the
 * transcript alone; into another folder the transcript and its checkpoints are copied and nothing
 * there is ever replaced; files get explicit modes (only the public key is readable by others).
 */
import { createPublicKey } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PUBLIC_KEY_FILE, REPORT_FILE, spkiToPem, writeExports } from '../../../electron/core/transcript/exports';
import { spkiToPem as tokenSpkiToPem } from '../../../electron/core/token/verify';
import { verifyTranscript } from '../../../electron/core/transcript/verify';
import { tempDir } from '../../helpers/softhsm';
import { keyRow, p384, sha256, signedFolder } from './files-fixture';

const tmp = tempDir('keyrite-exports-');
afterAll(() => tmp.cleanup());
const mode = (f: string) => statSync(f).mode & 0o777;
let n = 0;

describe('writeExports into the ceremony folder', () => {
  it('writes public-key.pem (the recorded SPKI, readable by others) and the report (private), replacing earlier ones', async () => {
    const { spki } = p384();
    const dir = await signedFolder(tmp.dir, [keyRow(spki)]);
    // A wrong public-key.pem already there does not make the export INVALID: it renders the transcript alone, then replaces the file.
    writeFileSync(path.join(dir, PUBLIC_KEY_FILE), spkiToPem(p384().spki.toString('base64')));
    const first = await writeExports(dir, { generatedAt: new Date('2026-01-02T03:04:05.000Z') });
    expect(first.files).toEqual([PUBLIC_KEY_FILE, REPORT_FILE]);
    expect(first.report.valid).toBe(true);
    expect(first.report.files).toBeUndefined();
    const pem = readFileSync(path.join(dir, PUBLIC_KEY_FILE), 'utf8');
    expect(pem).toBe(tokenSpkiToPem(spki));
    expect(mode(path.join(dir, PUBLIC_KEY_FILE))).toBe(0o644);
    expect(mode(path.join(dir, REPORT_FILE))).toBe(0o600);
    expect(readFileSync(path.join(dir, REPORT_FILE), 'utf8')).toContain('Report made 2026-01-02T03:04:05.000Z.');
    const before = Date.now();
    await writeExports(dir);
    const made = /Report made ([^ ]+Z)\./.exec(readFileSync(path.join(dir, REPORT_FILE), 'utf8'))?.[1];
    expect(new Date(made!).getTime()).toBeGreaterThanOrEqual(before - 1000);
    expect((await verifyTranscript(dir)).valid).toBe(true);
  });

  it('refuses to write the PEM of a key whose recorded fingerprint is not its SHA-256 (and writes no PEM)', async () => {
    const { spki } = p384();
    const row = keyRow(spki);
    (row.data as Record<string, unknown>).fingerprint = sha256('another key');
    const dir = await signedFolder(tmp.dir, [row]);
    await expect(writeExports(dir)).rejects.toMatchObject({
      code: 'EXPORT_KEY_MISMATCH', message: 'The recorded public key of "k01" does not match its recorded fingerprint; no PEM was written.',
      action: 'Do not use this key. Keep the transcript as evidence and run `keyrite verify`.',
    });
    expect(existsSync(path.join(dir, PUBLIC_KEY_FILE))).toBe(false);
  });

  it('the PEM is of the last key recorded; a ceremony that recorded no key gets the report only', async () => {
    const a = p384().spki;
    const b = p384().spki;
    const two = await signedFolder(tmp.dir, [keyRow(a, '01'), keyRow(b, '02')]);
    await writeExports(two);
    expect(readFileSync(path.join(two, PUBLIC_KEY_FILE), 'utf8')).toBe(tokenSpkiToPem(b));
    const none = await signedFolder(tmp.dir, []);
    expect((await writeExports(none)).files).toEqual([REPORT_FILE]);
    expect(existsSync(path.join(none, PUBLIC_KEY_FILE))).toBe(false);
  });

  it('an INVALID transcript is still exported, its report saying INVALID', async () => {
    const dir = await signedFolder(tmp.dir, [keyRow(p384().spki)]);
    const t = path.join(dir, 'transcript.jsonl');
    writeFileSync(t, readFileSync(t, 'utf8').replace('"name":"Ada"', '"name":"Eve"'));
    const r = await writeExports(dir);
    expect(r.report.valid).toBe(false);
    expect(readFileSync(path.join(dir, REPORT_FILE), 'utf8')).toContain('INVALID: [');
  });
});

describe('writeExports into another folder', () => {
  it('copies the transcript and its checkpoint notes (nothing else from checkpoints/), privately, and never replaces a file there', async () => {
    const { spki } = p384();
    const dir = await signedFolder(tmp.dir, [keyRow(spki)]);
    writeFileSync(path.join(dir, 'checkpoints', 'README.txt'), 'not a note');
    writeFileSync(path.join(dir, 'checkpoints', '000001.note'), readFileSync(path.join(dir, 'checkpoint.note')));
    const out = path.join(tmp.dir, `out${n++}`, 'nested');
    const r = await writeExports(dir, { outDir: out });
    const notes = ['checkpoints/000001.note', 'checkpoints/000005.note'];
    expect(r.files).toEqual(['transcript.jsonl', ...notes, 'checkpoint.note', PUBLIC_KEY_FILE, REPORT_FILE]);
    expect(existsSync(path.join(out, 'checkpoints', 'README.txt'))).toBe(false);
    for (const f of ['transcript.jsonl', 'checkpoint.note', ...notes]) {
      expect(readFileSync(path.join(out, f)), f).toEqual(readFileSync(path.join(dir, f)));
      expect(mode(path.join(out, f)), f).toBe(0o600);
    }
    expect(mode(path.join(out, PUBLIC_KEY_FILE))).toBe(0o644);
    expect(statSync(out).mode & 0o077).toBe(0);
    expect(createPublicKey(readFileSync(path.join(out, PUBLIC_KEY_FILE), 'utf8')).export({ type: 'spki', format: 'der' })).toEqual(spki);
    expect((await verifyTranscript(out)).valid).toBe(true);
    // Each file is refused on its own: with the transcript gone, the public key is still not replaced.
    await expect(writeExports(dir, { outDir: out })).rejects.toMatchObject({ code: 'OUTPUT_EXISTS' });
    rmSync(path.join(out, 'transcript.jsonl'));
    for (const f of notes) rmSync(path.join(out, f));
    rmSync(path.join(out, 'checkpoint.note'));
    await expect(writeExports(dir, { outDir: out })).rejects.toMatchObject({ code: 'OUTPUT_EXISTS' });
    rmSync(path.join(out, PUBLIC_KEY_FILE));
    await expect(writeExports(dir, { outDir: out })).rejects.toMatchObject({ code: 'OUTPUT_EXISTS' });
  });

  it('a folder without checkpoints exports what it has', async () => {
    const dir = await signedFolder(tmp.dir, []);
    rmSync(path.join(dir, 'checkpoints'), { recursive: true });
    rmSync(path.join(dir, 'checkpoint.note'));
    const out = path.join(tmp.dir, `out${n++}`);
    mkdirSync(out);
    const r = await writeExports(dir, { outDir: out });
    expect(r.files).toEqual(['transcript.jsonl', REPORT_FILE]);
    expect(r.report.valid).toBe(false);
  });

  it('the same folder named otherwise is not another folder', async () => {
    const dir = await signedFolder(tmp.dir, [keyRow(p384().spki)]);
    const r = await writeExports(dir, { outDir: `${dir}/./` });
    expect(r.files).toEqual([PUBLIC_KEY_FILE, REPORT_FILE]);
  });
});

describe('spkiToPem', () => {
  it('wraps the base64 SPKI at 64 characters between the PUBLIC KEY lines, as the token layer does', () => {
    const { spki } = p384();
    const pem = spkiToPem(spki.toString('base64'));
    expect(pem).toBe(tokenSpkiToPem(spki));
    expect(pem.split('\n').slice(1, -2).every((l) => l.length <= 64)).toBe(true);
    expect(spkiToPem('')).toBe('-----BEGIN PUBLIC KEY-----\n\n-----END PUBLIC KEY-----\n');
  });
});

describe('writeExports into another folder: nothing there is replaced', () => {
  it('refuses when any one of the files it would write is already there, and leaves that file as it was', async () => {
    const dir = await signedFolder(tmp.dir, [keyRow(p384().spki)]);
    for (const name of ['transcript.jsonl', 'checkpoints/000005.note', 'checkpoint.note', PUBLIC_KEY_FILE, REPORT_FILE]) {
      const out = path.join(tmp.dir, `out${n++}`);
      mkdirSync(path.join(out, 'checkpoints'), { recursive: true });
      writeFileSync(path.join(out, name), 'mine\n');
      await expect(writeExports(dir, { outDir: out }), name).rejects.toMatchObject({ code: 'OUTPUT_EXISTS' });
      expect(readFileSync(path.join(out, name), 'utf8'), name).toBe('mine\n');
    }
  });

  it('copies the checkpoint notes in order of size, whatever order the folder lists them in', async () => {
    const dir = await signedFolder(tmp.dir, []);
    const note = readFileSync(path.join(dir, 'checkpoint.note'));
    const sizes = ['000009', '000002', '000007', '000001', '000008', '000003', '000006', '000004'];
    for (const s of sizes) writeFileSync(path.join(dir, 'checkpoints', `${s}.note`), note);
    const out = path.join(tmp.dir, `out${n++}`);
    const r = await writeExports(dir, { outDir: out });
    const notes = r.files.filter((f) => f.startsWith('checkpoints/'));
    expect(notes).toEqual([...notes].sort());
    expect(notes).toHaveLength(sizes.length);
  });
});
