/**
 * VALID binds every file (issue #13, section 2), through `verifyTranscript`: each file the journal
 * names is held to the entry that bound its bytes and to the recorded facts; a changed one is INVALID
 * naming the file and the entry; a missing one is "not present, not checked" and the verdict says not
 * all files were checked; an unexpected one is listed; report.html is derived again and compared.
 */
import { mkdirSync, rmdirSync, symlinkSync, writeFileSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { verifyTranscript } from '../../../electron/core/transcript/verify';
import { writeExports } from '../../../electron/core/transcript/exports';
import { spkiToPem } from '../../../electron/core/token/verify';
import type { FileFact } from '../../../electron/core/transcript/verify-types';
import { tempDir } from '../../helpers/softhsm';
import { keyRow, p384, sha256, signedFolder, type Row } from './files-fixture';

const tmp = tempDir('keyrite-folder-files-');
afterAll(() => tmp.cleanup());

const put = (dir: string, file: string, data: string | Buffer) => {
  mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
  writeFileSync(path.join(dir, file), data);
};
const published = (file: string, data: string | Buffer): Row => ({ kind: 'file.published', data: { file, sha256: sha256(data), bytes: data.length } });
const fileOf = (files: FileFact[] | undefined, name: string) => files?.find((f) => f.file === name);

describe('a file bound by its journaled SHA-256', () => {
  it('matching bytes and content: bound, held to the file.published entry, its content to the key', async () => {
    const { spki } = p384();
    const pem = spkiToPem(spki);
    const dir = await signedFolder(tmp.dir, [keyRow(spki), published('public-key.pem', pem)]);
    put(dir, 'public-key.pem', pem);
    const r = await verifyTranscript(dir);
    expect(r.valid).toBe(true);
    expect(fileOf(r.files, 'public-key.pem')).toEqual({
      file: 'public-key.pem', status: 'bound', entry: { seq: 3, kind: 'file.published' }, sha256: sha256(pem), expected: sha256(pem),
      detail: 'SHA-256 matches entry 3 (file.published); content matches entry 2 (key.generated)',
    });
  });

  it('a file with one byte changed is INVALID (FILE_CHANGED), naming the file, the entry and both hashes', async () => {
    const text = 'artifact v1\n';
    const dir = await signedFolder(tmp.dir, [published('notes/a.txt', text)]);
    put(dir, 'notes/a.txt', 'artifact v2\n');
    const r = await verifyTranscript(dir);
    expect(r.valid).toBe(false);
    const found = sha256('artifact v2\n');
    const detail = `its SHA-256 is ${found}; entry 2 (file.published) records ${sha256(text)}`;
    expect(fileOf(r.files, 'notes/a.txt')).toEqual({ file: 'notes/a.txt', status: 'changed', entry: { seq: 2, kind: 'file.published' }, sha256: found, expected: sha256(text), detail });
    expect(r.failure).toEqual({ code: 'FILE_CHANGED', file: 'notes/a.txt', message: `notes/a.txt is not the file the ceremony wrote: ${detail}.`, expected: sha256(text), actual: found });
  });

  it('bytes matching a journaled hash are still INVALID when the content is not the recorded fact (held to the fact\'s entry)', async () => {
    const { spki } = p384();
    const other = spkiToPem(p384().spki);
    const dir = await signedFolder(tmp.dir, [keyRow(spki), published('public-key.pem', other)]);
    put(dir, 'public-key.pem', other);
    const r = await verifyTranscript(dir);
    const detail = 'it is not the public key recorded (SPKI) at key generation; held to entry 2 (key.generated)';
    expect(fileOf(r.files, 'public-key.pem')).toEqual({ file: 'public-key.pem', status: 'changed', entry: { seq: 2, kind: 'key.generated' }, sha256: sha256(other), expected: sha256(other), detail });
    expect(r.failure).toMatchObject({ code: 'FILE_CHANGED', file: 'public-key.pem', message: `public-key.pem is not the file the ceremony wrote: ${detail}.` });
  });

  it('a named file that cannot be read is INVALID, not skipped', async () => {
    const dir = await signedFolder(tmp.dir, [published('x.txt', 'x')]);
    symlinkSync(path.join(dir, 'nowhere'), path.join(dir, 'x.txt'));
    const r = await verifyTranscript(dir);
    expect(fileOf(r.files, 'x.txt')).toEqual({ file: 'x.txt', status: 'changed', detail: 'it cannot be read' });
    expect(r.failure).toEqual({ code: 'FILE_CHANGED', file: 'x.txt', message: 'x.txt is not the file the ceremony wrote: it cannot be read.' });
  });

  it('of two changed files the verdict names the first by name, and the list is sorted by name', async () => {
    const dir = await signedFolder(tmp.dir, [published('b.txt', 'b'), published('a.txt', 'a'), published('c.txt', 'c')]);
    put(dir, 'b.txt', 'B');
    put(dir, 'a.txt', 'A');
    put(dir, 'c.txt', 'c');
    const r = await verifyTranscript(dir);
    expect(r.failure).toMatchObject({ code: 'FILE_CHANGED', file: 'a.txt' });
    const names = r.files!.map((f) => f.file);
    expect(names).toEqual([...names].sort());
    expect(names).toEqual(['a.txt', 'b.txt', 'c.txt', 'checkpoint.note', 'checkpoints/', 'report.html', 'transcript.jsonl']);
  });
});

describe('files not present, and files the transcript does not name', () => {
  it('a missing file is listed "not present, not checked" with its entry and hash; the verdict stays VALID but says not all files were checked', async () => {
    const dir = await signedFolder(tmp.dir, [
      published('gone.txt', 'x'),
      { kind: 'share.delivered', data: { custodian: 'Carol', index: 1, medium: 'file', fileName: 'carol.age', sha256: sha256('share') } },
    ]);
    const r = await verifyTranscript(dir);
    expect(r.valid).toBe(true);
    expect(r.filesAllChecked).toBe(false);
    expect(fileOf(r.files, 'gone.txt')).toEqual({ file: 'gone.txt', status: 'not-present', entry: { seq: 2, kind: 'file.published' }, expected: sha256('x'), detail: 'not present, not checked: named by entry 2 (file.published)' });
    expect(fileOf(r.files, 'custody/carol.age')).toEqual({
      file: 'custody/carol.age', status: 'not-present', entry: { seq: 3, kind: 'share.delivered' }, expected: sha256('share'),
      detail: 'not present, not checked: named by entry 3 (share.delivered) (a share file may be on its custodian\'s own media instead)',
    });
    expect(fileOf(r.files, 'report.html')).toEqual({ file: 'report.html', status: 'not-present', detail: 'not present, not checked: the seal writes it (derived from the transcript)' });
  });

  it('a custody share file is bound by the hash share.delivered journaled: intact is bound, one bit flipped is INVALID naming it', async () => {
    const share = Buffer.from('age-encryption.org/v1\n-> X25519 abc\nbody');
    const dir = await signedFolder(tmp.dir, [{ kind: 'share.delivered', data: { custodian: 'Carol', index: 1, medium: 'file', fileName: 'carol.age', sha256: sha256(share) } }]);
    put(dir, 'custody/carol.age', share);
    const ok = await verifyTranscript(dir);
    expect(fileOf(ok.files, 'custody/carol.age')).toEqual({
      file: 'custody/carol.age', status: 'bound', entry: { seq: 2, kind: 'share.delivered' }, sha256: sha256(share), expected: sha256(share), detail: 'SHA-256 matches entry 2 (share.delivered)',
    });
    const flipped = Buffer.from(share);
    flipped[flipped.length - 1]! ^= 1;
    put(dir, 'custody/carol.age', flipped);
    const bad = await verifyTranscript(dir);
    expect(bad.valid).toBe(false);
    expect(bad.failure).toMatchObject({ code: 'FILE_CHANGED', file: 'custody/carol.age', message: expect.stringContaining('entry 2 (share.delivered)') });
  });

  it('an open run lists no report.html and no public-key.pem as missing, and every file present checked means all checked', async () => {
    const dir = await signedFolder(tmp.dir, [keyRow(p384().spki)], { open: true });
    const r = await verifyTranscript(dir);
    expect(r.files!.map((f) => f.file)).toEqual(['checkpoint.note', 'checkpoints/', 'transcript.jsonl']);
    expect(r.filesAllChecked).toBe(true);
  });

  it('in a transcript that binds files, a file it does not name is unexpected; in one that binds none, not bound', async () => {
    const binds = await signedFolder(tmp.dir, [published('a.txt', 'a')]);
    put(binds, 'a.txt', 'a');
    put(binds, 'extra.txt', 'mine');
    const r = await verifyTranscript(binds);
    expect(r.valid).toBe(true);
    expect(fileOf(r.files, 'extra.txt')).toEqual({ file: 'extra.txt', status: 'unexpected', detail: 'not written by this ceremony: the transcript names no such file' });
    const old = await signedFolder(tmp.dir, []);
    put(old, 'extra.txt', 'mine');
    expect(fileOf((await verifyTranscript(old)).files, 'extra.txt')).toEqual({ file: 'extra.txt', status: 'not-bound', detail: 'not bound by this transcript: it journaled no file hashes (written before Keyrite did)' });
  });

  it('the transcript, its checkpoint and the checkpoints folder are listed as checked with the transcript, the folder as one line', async () => {
    const dir = await signedFolder(tmp.dir, [published('a.txt', 'a')]);
    const r = await verifyTranscript(dir);
    expect(fileOf(r.files, 'transcript.jsonl')).toEqual({ file: 'transcript.jsonl', status: 'transcript', detail: 'checked above: entries, Merkle tree and signed checkpoints' });
    expect(fileOf(r.files, 'checkpoint.note')).toEqual({ file: 'checkpoint.note', status: 'transcript', detail: 'checked above: entries, Merkle tree and signed checkpoints' });
    expect(fileOf(r.files, 'checkpoints/')).toEqual({ file: 'checkpoints/', status: 'transcript', detail: 'signed checkpoints, checked with the transcript' });
    expect(r.files!.filter((f) => f.file.startsWith('checkpoints'))).toHaveLength(1);
  });

  it('a rehearsal\'s token store and witness keys are one working line each; in a real ceremony they are unexpected', async () => {
    const files = (dir: string) => {
      put(dir, 'token/objects/1.obj', 'x');
      put(dir, 'rehearsal-witness-keys/wendy.key', 'k');
    };
    const rehearsal = await signedFolder(tmp.dir, [published('a.txt', 'a')], { rehearsal: true });
    files(rehearsal);
    const r = await verifyTranscript(rehearsal);
    expect(fileOf(r.files, 'token/')).toEqual({ file: 'token/', status: 'working', detail: 'the rehearsal token store: not a ceremony output, not checked' });
    expect(fileOf(r.files, 'rehearsal-witness-keys/')).toEqual({ file: 'rehearsal-witness-keys/', status: 'working', detail: 'throwaway witness keys of the rehearsal: not a ceremony output, not checked' });
    expect(r.files!.some((f) => f.file.startsWith('token/objects'))).toBe(false);
    const real = await signedFolder(tmp.dir, [published('a.txt', 'a')]);
    files(real);
    const q = await verifyTranscript(real);
    expect(fileOf(q.files, 'token/')?.status).toBe('unexpected');
    expect(fileOf(q.files, 'rehearsal-witness-keys/')?.status).toBe('unexpected');
  });

  it('a file named like a listed folder, or such a folder below the top, is walked as files', async () => {
    const dir = await signedFolder(tmp.dir, [published('a.txt', 'a')], { rehearsal: true });
    put(dir, 'sub/token/x', 'x');
    put(dir, 'checkpoints.txt', 'x');
    put(dir, 'token', 'a plain file, not the token store');
    const r = await verifyTranscript(dir);
    expect(fileOf(r.files, 'sub/token/x')?.status).toBe('unexpected');
    expect(fileOf(r.files, 'sub/token/')).toBeUndefined();
    expect(fileOf(r.files, 'checkpoints.txt')?.status).toBe('unexpected');
    expect(fileOf(r.files, 'token')?.status).toBe('unexpected');
  });

  it('a folder that cannot be read is listed as one line, not passed over in silence', async () => {
    const dir = await signedFolder(tmp.dir, [published('a.txt', 'a')]);
    put(dir, 'a.txt', 'a');
    // Folders nested past PATH_MAX (made one level at a time) cannot be read by their full name, even by root.
    const name = 'd'.repeat(250);
    const depth = 18;
    const cwd = process.cwd();
    try {
      process.chdir(dir);
      for (let i = 0; i < depth; i++) {
        mkdirSync(name);
        process.chdir(name);
      }
      process.chdir(cwd);
      const r = await verifyTranscript(dir);
      const unread = r.files!.filter((f) => f.file.startsWith(`${name}/`));
      expect(unread).toHaveLength(1);
      expect(unread[0]!.file.endsWith('/')).toBe(true);
      expect(unread[0]!.file.split('/').length).toBeGreaterThan(2);
      expect(unread[0]!.status).toBe('unexpected');
    } finally {
      process.chdir(dir);
      for (let i = 0; i < depth - 1; i++) process.chdir(name);
      for (let i = 0; i < depth; i++) {
        rmdirSync(name);
        process.chdir('..');
      }
      process.chdir(cwd);
    }
  });

  it('transcript-key.secret is a working file while the run is open, unexpected once sealed', async () => {
    const open = await signedFolder(tmp.dir, [published('a.txt', 'a')], { open: true });
    put(open, 'transcript-key.secret', 'k');
    expect(fileOf((await verifyTranscript(open)).files, 'transcript-key.secret')).toEqual({ file: 'transcript-key.secret', status: 'working', detail: 'the transcript key of a run still open: destroyed at the handover or the seal' });
    const sealed = await signedFolder(tmp.dir, [published('a.txt', 'a')]);
    put(sealed, 'transcript-key.secret', 'k');
    expect(fileOf((await verifyTranscript(sealed)).files, 'transcript-key.secret')?.status).toBe('unexpected');
  });
});

describe('an empty transcript', () => {
  it('is INVALID and its folder is still listed (no crash for want of a start entry)', async () => {
    const dir = path.join(tmp.dir, 'empty');
    put(dir, 'transcript.jsonl', '');
    put(dir, 'notes.txt', 'x');
    const r = await verifyTranscript(dir);
    expect(r.valid).toBe(false);
    expect(fileOf(r.files, 'notes.txt')?.status).toBe('not-bound');
  });
});

describe('optional files: checked when present, not missed when absent', () => {
  it('a rehearsal\'s copy of its script is held to the script hash at ceremony start', async () => {
    const script = 'id: s\nsteps: []\n';
    const dir = await signedFolder(tmp.dir, [published('a.txt', 'a')], { rehearsal: true, scriptSha256: sha256(script) });
    put(dir, 'a.txt', 'a');
    const absent = await verifyTranscript(dir);
    expect(fileOf(absent.files, 'rehearsal-script.yaml')).toBeUndefined();
    expect(absent.filesAllChecked).toBe(false); // report.html only
    put(dir, 'rehearsal-script.yaml', script);
    expect(fileOf((await verifyTranscript(dir)).files, 'rehearsal-script.yaml')).toMatchObject({ status: 'bound', entry: { seq: 0, kind: 'ceremony.start' } });
    put(dir, 'rehearsal-script.yaml', `${script}# edited\n`);
    expect((await verifyTranscript(dir)).failure).toMatchObject({ code: 'FILE_CHANGED', file: 'rehearsal-script.yaml', message: expect.stringContaining('entry 0 (ceremony.start)') });
  });

  it('a real ceremony expects no rehearsal script: one in its folder is unexpected', async () => {
    const script = 'id: s\n';
    const dir = await signedFolder(tmp.dir, [published('a.txt', 'a')], { scriptSha256: sha256(script) });
    put(dir, 'rehearsal-script.yaml', script);
    expect(fileOf((await verifyTranscript(dir)).files, 'rehearsal-script.yaml')?.status).toBe('unexpected');
  });

  it('a file.published entry makes an optional file expected again: absent, it is not present', async () => {
    const script = 'id: s\n';
    const dir = await signedFolder(tmp.dir, [published('rehearsal-script.yaml', script)], { rehearsal: true, scriptSha256: sha256(script) });
    expect(fileOf((await verifyTranscript(dir)).files, 'rehearsal-script.yaml')).toMatchObject({ status: 'not-present', entry: { seq: 2, kind: 'file.published' } });
  });

  it('the issuer certificate of a prior CA: optional unless journaled, held to the recorded hash', async () => {
    const cert = 'issuer certificate bytes';
    const prior: Row = { kind: 'certificate.prior', data: { sha256: sha256(cert), subject: 'CN=Issuer' } };
    const dir = await signedFolder(tmp.dir, [prior]);
    expect(fileOf((await verifyTranscript(dir)).files, 'issuer-cert.pem')).toBeUndefined();
    put(dir, 'issuer-cert.pem', cert);
    expect(fileOf((await verifyTranscript(dir)).files, 'issuer-cert.pem')).toMatchObject({ status: 'content-checked', entry: { seq: 2, kind: 'certificate.prior' } });
    put(dir, 'issuer-cert.pem', `${cert}!`);
    expect((await verifyTranscript(dir)).failure).toMatchObject({ code: 'FILE_CHANGED', file: 'issuer-cert.pem', message: expect.stringContaining('it is not the issuing certificate recorded; held to entry 2 (certificate.prior)') });
    // Journaled before (a step that issued under it), it stays expected.
    const journaled = await signedFolder(tmp.dir, [published('issuer-cert.pem', cert), prior]);
    expect(fileOf((await verifyTranscript(journaled)).files, 'issuer-cert.pem')).toMatchObject({ status: 'not-present', entry: { seq: 2, kind: 'file.published' } });
  });
});

describe('content checked without a journaled hash (older transcripts)', () => {
  it('names the fact\'s entry and says no file.published entry binds the bytes', async () => {
    const { spki } = p384();
    const dir = await signedFolder(tmp.dir, [keyRow(spki)]);
    put(dir, 'public-key.pem', spkiToPem(spki));
    expect(fileOf((await verifyTranscript(dir)).files, 'public-key.pem')).toEqual({
      file: 'public-key.pem', status: 'content-checked', entry: { seq: 2, kind: 'key.generated' }, sha256: sha256(spkiToPem(spki)),
      detail: 'no file.published entry binds its bytes; its content matches entry 2 (key.generated)',
    });
  });

  it('a changed one names the fact and has no expected hash', async () => {
    const dir = await signedFolder(tmp.dir, [keyRow(p384().spki)]);
    const other = spkiToPem(p384().spki);
    put(dir, 'public-key.pem', other);
    const r = await verifyTranscript(dir);
    expect(r.failure).toEqual({
      code: 'FILE_CHANGED', file: 'public-key.pem', actual: sha256(other),
      message: 'public-key.pem is not the file the ceremony wrote: it is not the public key recorded (SPKI) at key generation; held to entry 2 (key.generated).',
    });
  });
});

describe('report.html, derived again from the transcript', () => {
  async function exported() {
    const { spki } = p384();
    const dir = await signedFolder(tmp.dir, [keyRow(spki)]);
    await writeExports(dir, { generatedAt: new Date('2026-03-04T05:06:07.089Z') });
    return dir;
  }

  it('the report the seal wrote matches; public-key.pem is checked; VALID with every file checked', async () => {
    const dir = await exported();
    const r = await verifyTranscript(dir);
    expect(r.valid).toBe(true);
    expect(r.filesAllChecked).toBe(true);
    expect(fileOf(r.files, 'report.html')).toEqual({ file: 'report.html', status: 'report-matches', sha256: sha256(readFileSync(path.join(dir, 'report.html'))), detail: 'matches the report derived again from the transcript' });
    expect(fileOf(r.files, 'public-key.pem')?.status).toBe('content-checked');
  });

  it('matches also when the auditor passes a trusted key (the report is derived without the auditor\'s options)', async () => {
    const dir = await exported();
    const tk = JSON.parse(readFileSync(path.join(dir, 'transcript.jsonl'), 'utf8').split('\n')[0]!).data.transcriptKey as string;
    const r = await verifyTranscript(dir, { trustedKeys: [tk] });
    expect(r.valid).toBe(true);
    expect(fileOf(r.files, 'report.html')?.status).toBe('report-matches');
  });

  it('a changed report is reported as not matching (the transcript decides the verdict)', async () => {
    const dir = await exported();
    const html = readFileSync(path.join(dir, 'report.html'), 'utf8');
    for (const changed of [html.replace('VALID', 'VALlD'), html.replace(/Report made [^.]+\./, 'Report made never.'), html.replace(/Report made [^.]+\./, 'Report made 2026-13-45T99:99:99Z.'), html.replace(/Report made [^.]+\./, '')]) {
      put(dir, 'report.html', changed);
      const r = await verifyTranscript(dir);
      expect(r.valid).toBe(true);
      expect(fileOf(r.files, 'report.html')).toEqual({
        file: 'report.html', status: 'report-differs', sha256: sha256(changed),
        detail: 'does not match the report derived again from the transcript: rely on the transcript (checked above), not on this file',
      });
    }
  });

  it('the report is derived again with the time it says it was made (a report printed later still matches)', async () => {
    const dir = await exported();
    const html = readFileSync(path.join(dir, 'report.html'), 'utf8');
    put(dir, 'report.html', html.replace('2026-03-04T05:06:07.089Z', '2026-05-06T07:08:09.010Z'));
    expect(fileOf((await verifyTranscript(dir)).files, 'report.html')?.status).toBe('report-matches');
  });
});
