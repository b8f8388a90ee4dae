/**
 * A file's content against the facts the transcript records (issue #13, section 2), through
 * `verifyTranscript`: public-key.pem is the recorded SPKI; a certificate is the recorded one, for a
 * recorded key, signed by a recorded key; a CRL is the recorded one, signed by a recorded key;
 * backup.json is the recorded split (wrapped key, split id, commitments) of the recorded key; a
 * detached signature verifies over its artifact with the recorded key. Each changed file is INVALID
 * naming the file and the entry that records the fact.
 */
import { createHash, randomBytes, sign, type KeyObject } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { verifyTranscript } from '../../../electron/core/transcript/verify';
import { spkiToPem } from '../../../electron/core/token/verify';
import { sealedSigningBytes, serializeBackupFile, type BackupFile } from '../../../electron/core/shares/backup-file';
import type { FileFact } from '../../../electron/core/transcript/verify-types';
import { tempDir } from '../../helpers/softhsm';
import { softBackup } from '../shares/fixtures';
import { keyRow, p384, sha256, signedFolder, type Row } from './files-fixture';

const tmp = tempDir('keyrite-file-content-');
afterAll(() => tmp.cleanup());

const put = (dir: string, file: string, data: string | Buffer) => {
  mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
  writeFileSync(path.join(dir, file), data);
};
const fileOf = (files: FileFact[] | undefined, name: string) => files?.find((f) => f.file === name);

/** Verifies a folder with `rows` after the key entries and the files given; returns the file's fact and the failure. */
async function check(rows: Row[], files: Record<string, string | Buffer>, name: string, opts: { open?: boolean } = {}) {
  const dir = await signedFolder(tmp.dir, rows, opts);
  for (const [f, data] of Object.entries(files)) put(dir, f, data);
  const r = await verifyTranscript(dir);
  return { fact: fileOf(r.files, name), failure: r.failure, files: r.files, valid: r.valid };
}

describe('public-key.pem and successor-public-key.pem', () => {
  it('is the PEM of the last key generated (a key generated again replaces the first)', async () => {
    const first = p384().spki;
    const last = p384().spki;
    const rows = [keyRow(first, '01'), keyRow(last, '02')];
    const ok = await check(rows, { 'public-key.pem': spkiToPem(last) }, 'public-key.pem');
    expect(ok.fact).toMatchObject({ status: 'content-checked', entry: { seq: 3, kind: 'key.generated' } });
    // A successor's PEM is expected only where a rotation journaled one.
    expect(fileOf(ok.files, 'successor-public-key.pem')).toBeUndefined();
    expect((await check(rows, { 'public-key.pem': spkiToPem(first) }, 'public-key.pem')).failure).toMatchObject({ code: 'FILE_CHANGED', file: 'public-key.pem', message: expect.stringContaining('held to entry 3 (key.generated)') });
  });

  it('a prior key (not made in this ceremony) gives no public-key.pem to expect', async () => {
    const { spki } = p384();
    const r = await check([keyRow(spki, '01', 'key.prior')], {}, 'public-key.pem');
    expect(r.fact).toBeUndefined();
    expect(r.valid).toBe(true);
  });

  it('in an open run public-key.pem is expected only once journaled, and then held to the key too', async () => {
    const { spki } = p384();
    const other = spkiToPem(p384().spki);
    expect((await check([keyRow(spki)], { 'public-key.pem': other }, 'public-key.pem', { open: true })).fact?.status).toBe('not-bound');
    const pub: Row = { kind: 'file.published', data: { file: 'public-key.pem', sha256: sha256(other) } };
    expect((await check([keyRow(spki), pub], { 'public-key.pem': other }, 'public-key.pem', { open: true })).failure).toMatchObject({ code: 'FILE_CHANGED', file: 'public-key.pem' });
  });

  it('successor-public-key.pem, when journaled, is the PEM of the key generated', async () => {
    const { spki } = p384();
    const right = spkiToPem(spki);
    const wrong = spkiToPem(p384().spki);
    const pub = (t: string): Row => ({ kind: 'file.published', data: { file: 'successor-public-key.pem', sha256: sha256(t) } });
    expect((await check([keyRow(spki), pub(right)], { 'successor-public-key.pem': right, 'public-key.pem': right }, 'successor-public-key.pem')).fact).toMatchObject({
      status: 'bound', detail: 'SHA-256 matches entry 3 (file.published); content matches entry 2 (key.generated)',
    });
    expect((await check([keyRow(spki), pub(wrong)], { 'successor-public-key.pem': wrong, 'public-key.pem': right }, 'successor-public-key.pem')).failure).toMatchObject({
      code: 'FILE_CHANGED', file: 'successor-public-key.pem', message: expect.stringContaining('it is not the public key recorded (SPKI) at key generation'),
    });
  });
});

describe('certificates', () => {
  const alg = { name: 'ECDSA', namedCurve: 'P-384', hash: 'SHA-384' } as const;
  const pair = () => crypto.subtle.generateKey(alg, true, ['sign', 'verify']) as Promise<CryptoKeyPair>;
  const spkiOf = async (p: CryptoKeyPair) => Buffer.from(await crypto.subtle.exportKey('spki', p.publicKey));
  async function cert(subject: CryptoKeyPair, signer: CryptoKeyPair = subject, serial = '01'): Promise<{ pem: string; der: Buffer }> {
    const x509 = await import('../../../electron/core/x509/lib');
    const c = await x509.X509CertificateGenerator.create({
      serialNumber: serial, subject: 'CN=Example', issuer: 'CN=Example', notBefore: new Date('2026-01-01'), notAfter: new Date('2036-01-01'),
      signingAlgorithm: alg, publicKey: subject.publicKey, signingKey: signer.privateKey,
    });
    return { pem: c.toString('pem') + '\n', der: Buffer.from(c.rawData) };
  }
  const issued = (c: { der: Buffer; pem?: string }, more: Record<string, unknown> = {}): Row => ({ kind: 'certificate.issued', data: { subject: 'CN=Example', serial: '01', sha256: sha256(c.der), role: 'root', file: 'cert.pem', ...more } });

  it('a file that is not a certificate is INVALID, held to certificate.issued', async () => {
    const k = await pair();
    const c = await cert(k);
    const r = await check([keyRow(await spkiOf(k)), issued(c)], { 'cert.pem': 'hello\n' }, 'cert.pem');
    expect(r.failure).toMatchObject({ code: 'FILE_CHANGED', file: 'cert.pem', message: 'cert.pem is not the file the ceremony wrote: it is not a PEM certificate; held to entry 3 (certificate.issued).' });
  });

  it('another certificate is INVALID with both hashes named', async () => {
    const k = await pair();
    const c = await cert(k);
    const other = await cert(k, k, '02');
    const r = await check([keyRow(await spkiOf(k)), issued(c)], { 'cert.pem': other.pem }, 'cert.pem');
    expect(r.fact?.detail).toBe(`its certificate's SHA-256 is ${sha256(other.der)}, not the recorded ${sha256(c.der)}; held to entry 3 (certificate.issued)`);
  });

  it('where the PEM text was recorded, the file must be that text (the same certificate written otherwise is INVALID)', async () => {
    const k = await pair();
    const c = await cert(k);
    const rows = [keyRow(await spkiOf(k)), issued(c, { pem: c.pem })];
    expect((await check(rows, { 'cert.pem': c.pem }, 'cert.pem')).fact?.status).toBe('content-checked');
    expect((await check(rows, { 'cert.pem': c.pem.replace(/\n/g, '\r\n') }, 'cert.pem')).fact).toMatchObject({ status: 'changed', detail: 'its text differs from the recorded PEM; held to entry 3 (certificate.issued)' });
  });

  it('an intermediate certificate certifies a key the transcript need not record, but must be signed by a recorded key', async () => {
    const root = await pair();
    const sub = await pair();
    const good = await cert(sub, root);
    expect((await check([keyRow(await spkiOf(root)), issued(good, { role: 'intermediate' })], { 'cert.pem': good.pem }, 'cert.pem')).fact?.status).toBe('content-checked');
    // The same certificate as a root is for a key the transcript does not record.
    expect((await check([keyRow(await spkiOf(root)), issued(good)], { 'cert.pem': good.pem }, 'cert.pem')).fact?.detail).toMatch(/^its public key is not a key this transcript records/);
    const self = await cert(sub);
    expect((await check([keyRow(await spkiOf(root)), issued(self, { role: 'intermediate' })], { 'cert.pem': self.pem }, 'cert.pem')).fact?.detail).toMatch(/^its signature does not verify with any key this transcript records/);
  });

  it('a recorded key that cannot be read verifies nothing (and does not stop the check)', async () => {
    const good = await pair();
    const c = await cert(await pair());
    const rows = [keyRow(Buffer.from('not an SPKI'), '0a', 'key.prior'), keyRow(await spkiOf(good)), issued(c, { role: 'intermediate' })];
    expect((await check(rows, { 'cert.pem': c.pem }, 'cert.pem')).fact?.detail).toMatch(/^its signature does not verify with any key this transcript records/);
  });

  it('a certificate signed by a prior key (the issuer) and for the key generated verifies with the recorded keys', async () => {
    const issuer = await pair();
    const subject = await pair();
    const c = await cert(subject, issuer);
    const rows = [keyRow(await spkiOf(issuer), '0a', 'key.prior'), keyRow(await spkiOf(subject), '01'), issued(c, { role: 'subordinate' })];
    expect((await check(rows, { 'cert.pem': c.pem }, 'cert.pem')).fact).toMatchObject({ status: 'content-checked', entry: { seq: 4, kind: 'certificate.issued' } });
  });

  it('a certificate.issued without a file names none; a later entry for the same file replaces the earlier', async () => {
    const k = await pair();
    const a = await cert(k);
    const b = await cert(k, k, '02');
    const unnamed = await check([keyRow(await spkiOf(k)), issued(a, { file: undefined })], { 'cert.pem': a.pem }, 'cert.pem');
    expect(unnamed.fact?.status).toBe('not-bound');
    expect(unnamed.files!.filter((f) => f.status === 'not-present').map((f) => f.file)).toEqual(['public-key.pem', 'report.html']);
    const rows = [keyRow(await spkiOf(k)), issued(a), issued(b)];
    expect((await check(rows, { 'cert.pem': b.pem }, 'cert.pem')).fact).toMatchObject({ status: 'content-checked', entry: { seq: 4 } });
    expect((await check(rows, { 'cert.pem': a.pem }, 'cert.pem')).fact).toMatchObject({ status: 'changed', entry: { seq: 4 } });
  });
});

describe('CRLs', () => {
  const alg = { name: 'ECDSA', namedCurve: 'P-384', hash: 'SHA-384' } as const;
  const pair = () => crypto.subtle.generateKey(alg, true, ['sign', 'verify']) as Promise<CryptoKeyPair>;
  const spkiOf = async (p: CryptoKeyPair) => Buffer.from(await crypto.subtle.exportKey('spki', p.publicKey));
  async function crl(signer: CryptoKeyPair): Promise<{ der: Buffer; pem: string }> {
    const x509 = await import('../../../electron/core/x509/lib');
    const c = await x509.X509CrlGenerator.create({ issuer: 'CN=Example', thisUpdate: new Date('2026-01-01'), nextUpdate: new Date('2026-01-08'), signingKey: signer.privateKey, signingAlgorithm: alg, entries: [] });
    const der = Buffer.from(c.rawData);
    return { der, pem: x509.PemConverter.encode(new Uint8Array(der).buffer, 'X509 CRL') + '\n' };
  }
  const issued = (der: Buffer, file?: string): Row => ({ kind: 'crl.issued', data: { sha256: sha256(der), crlNumber: '1', ...(file ? { file } : {}) } });
  const pemOf = (der: Buffer, label = 'X509 CRL') => `-----BEGIN ${label}-----\n${der.toString('base64').replace(/(.{64})/g, '$1\n')}\n-----END ${label}-----\n`;

  it('the recorded CRL signed by a recorded key is checked (crl.pem unless the entry names the file)', async () => {
    const k = await pair();
    const c = await crl(k);
    expect((await check([keyRow(await spkiOf(k)), issued(c.der)], { 'crl.pem': c.pem }, 'crl.pem')).fact).toMatchObject({ status: 'content-checked', entry: { seq: 3, kind: 'crl.issued' } });
    const named = await check([keyRow(await spkiOf(k)), issued(c.der, 'ca-2.crl')], { 'ca-2.crl': c.pem }, 'ca-2.crl');
    expect(named.fact?.status).toBe('content-checked');
    expect(named.valid).toBe(true);
  });

  it('a file name that is not text is no name: the CRL is crl.pem', async () => {
    const k = await pair();
    const c = await crl(k);
    expect((await check([keyRow(await spkiOf(k)), { kind: 'crl.issued', data: { sha256: sha256(c.der), file: 7 } }], { 'crl.pem': c.pem }, 'crl.pem')).fact?.status).toBe('content-checked');
  });

  it('a recorded key of another algorithm verifies no CRL', async () => {
    const { generateKeyPairSync } = await import('node:crypto');
    const ed = generateKeyPairSync('ed25519').publicKey.export({ type: 'spki', format: 'der' });
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey.export({ type: 'spki', format: 'der' });
    const c = await crl(await pair());
    const rows = [keyRow(ed, '0a', 'key.prior'), keyRow(rsa, '0b', 'key.prior'), issued(c.der)];
    expect((await check(rows, { 'crl.pem': c.pem }, 'crl.pem')).fact?.detail).toBe('its signature does not verify with any key this transcript records; held to entry 4 (crl.issued)');
  });

  it('signed by the second of two recorded keys, it verifies', async () => {
    const k = await pair();
    const c = await crl(k);
    const rows = [keyRow(p384().spki, '0a', 'key.prior'), keyRow(await spkiOf(k)), issued(c.der)];
    expect((await check(rows, { 'crl.pem': c.pem }, 'crl.pem')).fact?.status).toBe('content-checked');
  });

  it('not PEM with the label OpenSSL reads, another CRL, one not signed by a recorded key, or not a CRL at all: INVALID, saying which', async () => {
    const k = await pair();
    const c = await crl(k);
    const rows = [keyRow(await spkiOf(k)), issued(c.der)];
    const detail = async (text: string, r = rows) => (await check(r, { 'crl.pem': text }, 'crl.pem')).fact?.detail;
    expect(await detail('hello\n')).toBe('it is not a PEM CRL; held to entry 3 (crl.issued)');
    expect(await detail(pemOf(c.der, 'CRL'))).toBe('it is not a PEM CRL; held to entry 3 (crl.issued)');
    // The same CRL written as PEM by hand (64-character lines) is the recorded one.
    expect((await check(rows, { 'crl.pem': pemOf(c.der) }, 'crl.pem')).fact?.status).toBe('content-checked');
    const other = await crl(await pair());
    expect(await detail(other.pem)).toBe(`its CRL's SHA-256 is ${sha256(other.der)}, not the recorded ${sha256(c.der)}; held to entry 3 (crl.issued)`);
    expect(await detail(other.pem, [keyRow(await spkiOf(k)), issued(other.der)])).toBe('its signature does not verify with any key this transcript records; held to entry 3 (crl.issued)');
    const junk = Buffer.from('not a certificate list');
    expect(await detail(pemOf(junk), [keyRow(await spkiOf(k)), issued(junk)])).toBe('it cannot be read as a CRL; held to entry 3 (crl.issued)');
  });
});

describe('backup.json: bound by its content (wrapped key, split id, commitments) to the recorded key', () => {
  const root = p384();
  async function backupOf(): Promise<BackupFile> {
    const { backup } = await softBackup({ k: 2, custodians: ['carol', 'dan', 'erin'] });
    backup.sealed.wrapping.wrappedKey = randomBytes(40).toString('base64');
    return resign(backup, root.privateKey, root.spki);
  }
  function resign(b: BackupFile, key: KeyObject, spki: Buffer): BackupFile {
    b.sealed.key.spki = spki.toString('base64');
    b.signature = { scheme: 'ecdsa-sha384', value: sign('sha384', sealedSigningBytes(b.sealed), { key, dsaEncoding: 'der' }).toString('base64') };
    return b;
  }
  const created = (b: BackupFile, over: Record<string, unknown> = {}): Row => ({
    kind: 'backup.created', data: {
      splitId: b.split.id, k: b.split.k, n: b.split.n, commitments: Object.fromEntries(b.split.shares.map((s) => [s.custodian, s.commitment])),
      wrappingKeyCommitment: b.sealed.wrapping.keyCommitment, wrappedKeySha256: createHash('sha256').update(Buffer.from(b.sealed.wrapping.wrappedKey, 'base64')).digest('hex'), ...over,
    },
  });
  const run = async (b: BackupFile, rec: Row, text = serializeBackupFile(b)) => check([keyRow(root.spki), rec], { 'backup.json': text }, 'backup.json');
  const held = (why: string) => `backup.json is not the file the ceremony wrote: ${why}; held to entry 3 (backup.created).`;

  it('the backup the ceremony wrote is checked by content, held to backup.created', async () => {
    const b = await backupOf();
    const r = await run(b, created(b));
    expect(r.valid).toBe(true);
    expect(r.fact).toMatchObject({ status: 'content-checked', entry: { seq: 3, kind: 'backup.created' } });
    // Older entries recorded neither the wrapped key's hash nor the wrapping-key commitment: not held to them.
    expect((await run(b, created(b, { wrappedKeySha256: undefined, wrappingKeyCommitment: undefined }))).valid).toBe(true);
  });

  it('bound by its bytes too: one byte more is INVALID when file.published journaled it', async () => {
    const b = await backupOf();
    const text = serializeBackupFile(b);
    const rows = [keyRow(root.spki), created(b), { kind: 'file.published', data: { file: 'backup.json', sha256: sha256(text) } }];
    expect((await check(rows, { 'backup.json': text }, 'backup.json')).fact).toMatchObject({ status: 'bound', entry: { seq: 4, kind: 'file.published' } });
    expect((await check(rows, { 'backup.json': `${text} ` }, 'backup.json')).failure).toMatchObject({ code: 'FILE_CHANGED', file: 'backup.json', expected: sha256(text) });
  });

  it('one flipped bit in the wrapped key is INVALID (its signature no longer verifies)', async () => {
    const b = await backupOf();
    const rec = created(b);
    const w = Buffer.from(b.sealed.wrapping.wrappedKey, 'base64');
    w[5]! ^= 1;
    b.sealed.wrapping.wrappedKey = w.toString('base64');
    const r = await run(b, rec);
    expect(r.valid).toBe(false);
    expect(r.failure).toMatchObject({ code: 'FILE_CHANGED', file: 'backup.json', message: expect.stringMatching(/signature does not verify.*held to entry 3 \(backup\.created\)/) });
  });

  it('not JSON, or not a backup: INVALID with the parser\'s reason', async () => {
    const b = await backupOf();
    expect((await run(b, created(b), '{')).failure?.message).toBe(held('The backup file is not valid JSON.'));
  });

  it('another wrapped key, even signed by the recorded key, is INVALID: its hash is not the recorded one', async () => {
    const b = await backupOf();
    const rec = created(b);
    b.sealed.wrapping.wrappedKey = randomBytes(40).toString('base64');
    resign(b, root.privateKey, root.spki);
    const wrapped = sha256(Buffer.from(b.sealed.wrapping.wrappedKey, 'base64'));
    expect((await run(b, rec)).failure?.message).toBe(held(`its wrapped key's SHA-256 is ${wrapped}, the transcript's is ${String((rec.data as Record<string, unknown>).wrappedKeySha256)}`));
  });

  it('another wrapping-key commitment is INVALID', async () => {
    const b = await backupOf();
    expect((await run(b, created(b, { wrappingKeyCommitment: 'ee'.repeat(32) }))).failure?.message).toBe(held('its wrapping-key commitment differs from the recorded one'));
  });

  it('the backup of a key the transcript does not record (other id, or other public key) is INVALID', async () => {
    const b = await backupOf();
    const rec = created(b);
    b.sealed.key.id = '02';
    resign(b, root.privateKey, root.spki);
    expect((await run(b, rec)).failure?.message).toBe(held('it is the backup of a key this transcript does not record'));
    const c = await backupOf();
    const other = p384();
    resign(c, other.privateKey, other.spki);
    expect((await run(c, created(c))).failure?.message).toBe(held('it is the backup of a key this transcript does not record'));
  });

  it('another split, another k or n, another commitment or other custodians: INVALID, saying which', async () => {
    const b = await backupOf();
    const msg = async (over: Record<string, unknown>) => (await run(b, created(b, over))).failure?.message;
    expect(await msg({ splitId: 'abcd0123' })).toBe(held(`its split is ${b.split.id}, the transcript's is abcd0123`));
    expect(await msg({ k: 3 })).toBe(held('it is a 2-of-3 split, the transcript\'s is 3-of-3'));
    expect(await msg({ n: 4 })).toBe(held('it is a 2-of-3 split, the transcript\'s is 2-of-4'));
    const commitments = Object.fromEntries(b.split.shares.map((s) => [s.custodian, s.commitment]));
    expect(await msg({ commitments: { ...commitments, dan: 'aa'.repeat(32) } })).toBe(held('the commitment to dan\'s share differs from the recorded one'));
    expect(await msg({ commitments: { ...commitments, frank: 'aa'.repeat(32) } })).toBe(held('it lists other custodians than the transcript'));
    for (const none of [null, undefined, ['x']]) expect(await msg({ commitments: none })).toBe(held('the commitment to carol\'s share differs from the recorded one'));
  });
});

describe('detached signatures over artifacts', () => {
  const signer = p384();
  const data = Buffer.from('firmware image v1\n');
  const sig = sign('sha384', data, { key: signer.privateKey, dsaEncoding: 'der' });
  const signed = (over: Record<string, unknown> = {}): Row => ({
    kind: 'artifact.signed', data: { artifact: 'fw.bin', digest: 'sha384', hash: createHash('sha384').update(data).digest('hex'), scheme: 'ecdsa-sha384', signatureFile: 'fw.bin.sig', keyFingerprint: sha256(signer.spki), ...over },
  });
  const rows = (over?: Record<string, unknown>) => [keyRow(signer.spki), signed(over)];
  const files = { 'fw.bin': data, 'fw.bin.sig': sig, 'signing-key.pem': spkiToPem(signer.spki), 'public-key.pem': spkiToPem(signer.spki) };

  it('the artifact, its signature and the signing key as written are checked, each held to artifact.signed', async () => {
    const r = await check(rows(), files, 'fw.bin');
    expect(r.valid).toBe(true);
    for (const f of ['fw.bin', 'fw.bin.sig', 'signing-key.pem']) expect(fileOf(r.files, f), f).toMatchObject({ status: 'content-checked', entry: { seq: 3, kind: 'artifact.signed' } });
  });

  it('a changed artifact is INVALID (its digest is not the one signed); a signature over other bytes is INVALID', async () => {
    expect((await check(rows(), { ...files, 'fw.bin': Buffer.from('firmware image v2\n') }, 'fw.bin')).failure).toMatchObject({
      code: 'FILE_CHANGED', file: 'fw.bin', message: expect.stringContaining('its digest differs from the one signed; held to entry 3 (artifact.signed)'),
    });
    const other = sign('sha384', Buffer.from('x'), { key: signer.privateKey, dsaEncoding: 'der' });
    expect((await check(rows(), { ...files, 'fw.bin.sig': other }, 'fw.bin.sig')).failure).toMatchObject({ file: 'fw.bin.sig', message: expect.stringContaining('it is not a valid signature over fw.bin by the recorded key') });
  });

  it('the digest is SHA-256 unless recorded; the signature file is NAME.sig unless recorded', async () => {
    const hash = createHash('sha256').update(data).digest('hex');
    const r = await check(rows({ digest: undefined, hash, signatureFile: undefined }), files, 'fw.bin');
    expect(r.valid).toBe(true);
    expect(fileOf(r.files, 'fw.bin.sig')?.status).toBe('content-checked');
    const named = await check(rows({ signatureFile: 'fw.sig' }), { ...files, 'fw.bin.sig': '', 'fw.sig': sig }, 'fw.sig');
    expect(named.fact?.status).toBe('content-checked');
    expect(fileOf(named.files, 'fw.bin.sig')?.status).toBe('not-bound');
  });

  it('a signature by a key the transcript does not record is INVALID, and no signing-key.pem is expected', async () => {
    const r = await check(rows({ keyFingerprint: 'ff'.repeat(32) }), files, 'fw.bin.sig');
    expect(r.failure).toMatchObject({ file: 'fw.bin.sig', message: expect.stringContaining('it is not a valid signature over fw.bin by the recorded key') });
    expect(fileOf(r.files, 'signing-key.pem')?.status).toBe('not-bound');
  });

  it('another signing-key.pem is INVALID', async () => {
    expect((await check(rows(), { ...files, 'signing-key.pem': spkiToPem(p384().spki) }, 'signing-key.pem')).failure).toMatchObject({
      file: 'signing-key.pem', message: expect.stringContaining('it is not the signing key recorded; held to entry 3 (artifact.signed)'),
    });
  });

  it('without its artifact the signature is not failed for it: the artifact is the one not present', async () => {
    const noArtifact: Record<string, string | Buffer> = { ...files };
    delete noArtifact['fw.bin'];
    const r = await check(rows(), noArtifact, 'fw.bin.sig');
    expect(r.valid).toBe(true);
    expect(r.fact?.status).toBe('content-checked');
    expect(fileOf(r.files, 'fw.bin')).toMatchObject({ status: 'not-present', entry: { seq: 3, kind: 'artifact.signed' } });
  });
});

describe('DNSSEC and TUF outputs', () => {
  it('dnskey.signed must hold the signed RRset and ds.txt the DS record journaled', async () => {
    const { spki } = p384();
    const rec: Row = { kind: 'dnskey.signed', data: { owner: 'example.', rrsetSha256: '00'.repeat(32), ds: 'example. IN DS 12345 14 2 ABCD', keyFingerprint: sha256(spki), windows: [] } };
    const ok = await check([keyRow(spki), rec], { 'ds.txt': 'example. IN DS 12345 14 2 ABCD\n' }, 'ds.txt');
    expect(ok.fact).toMatchObject({ status: 'content-checked', entry: { seq: 3, kind: 'dnskey.signed' } });
    expect((await check([keyRow(spki), rec], { 'ds.txt': 'example. IN DS 12345 14 2 ABCE\n' }, 'ds.txt')).fact?.detail).toBe('it is not the DS record journaled; held to entry 3 (dnskey.signed)');
    expect((await check([keyRow(spki), rec], { 'dnskey.signed': 'nothing here\n' }, 'dnskey.signed')).fact).toMatchObject({ status: 'changed', entry: { seq: 3, kind: 'dnskey.signed' } });
  });

  it('the TUF root file (root.json unless named) must be the metadata signed', async () => {
    const rec = (file?: string): Row => ({ kind: 'tuf.root-signed', data: { version: 2, signedSha256: '00'.repeat(32), signatures: [{ keyid: 'ab', sig: 'cd' }], threshold: {}, ...(file ? { file } : {}) } });
    expect((await check([rec()], { 'root.json': '{}' }, 'root.json')).fact).toMatchObject({ status: 'changed', entry: { seq: 2, kind: 'tuf.root-signed' }, detail: expect.stringMatching(/^it is not TUF root metadata/) });
    expect((await check([rec('2.root.json')], { '2.root.json': '{}' }, '2.root.json')).fact?.status).toBe('changed');
  });
});

describe('DNSSEC and TUF outputs against the recorded key and signatures', () => {
  it('an RRSIG in dnskey.signed is checked with the recorded key; without it recorded, the file says so', async () => {
    const { parseDnskeyRrset } = await import('../../../electron/core/dnssec/records');
    const { canonicalRrsetWire } = await import('../../../electron/core/dnssec/rrsig');
    const { spki } = p384();
    const dnskey = `example. 3600 IN DNSKEY 257 3 14 ${spki.subarray(-96).toString('base64')}`;
    const rrset = parseDnskeyRrset(dnskey);
    const rrsetSha256 = sha256(canonicalRrsetWire(rrset, 3600));
    const text = `${dnskey}\nexample. 3600 IN RRSIG DNSKEY 14 1 3600 20270201000000 20270101000000 12345 example. ${Buffer.alloc(96, 7).toString('base64')}\n`;
    const rec = (fp: string): Row => ({ kind: 'dnskey.signed', data: { owner: 'example.', rrsetSha256, ds: 'x', keyFingerprint: fp, windows: [] } });
    expect((await check([keyRow(spki), rec(sha256(spki))], { 'dnskey.signed': text }, 'dnskey.signed')).fact?.detail).toBe('an RRSIG (key tag 12345) is not a valid signature over the RRset by the recorded key; held to entry 3 (dnskey.signed)');
    expect((await check([keyRow(spki), rec('ff'.repeat(32))], { 'dnskey.signed': text }, 'dnskey.signed')).fact?.detail).toBe('the signing key is not recorded in this transcript; held to entry 3 (dnskey.signed)');
  });

  it('root.json must carry every signature the ceremony journaled', async () => {
    const { rootMetadata, softKey, tufSign } = await import('../../fixtures/tuf/roots');
    const { canonicalSha256 } = await import('../../../electron/core/tuf/canonical');
    const a = softKey('p256');
    const b = softKey('p256');
    const meta = rootMetadata({ version: 2, rootKeys: [a, b], threshold: 2, online: softKey('p384') });
    const sigs = [tufSign(a, meta.signed), tufSign(b, meta.signed)];
    const rec: Row = { kind: 'tuf.root-signed', data: { version: 2, signedSha256: canonicalSha256(meta.signed), signatures: sigs, threshold: {} } };
    const full = JSON.stringify({ ...meta, signatures: sigs });
    expect((await check([rec], { 'root.json': full }, 'root.json')).fact).toMatchObject({ status: 'content-checked', entry: { seq: 2, kind: 'tuf.root-signed' } });
    const partial = JSON.stringify({ ...meta, signatures: sigs.slice(0, 1) });
    expect((await check([rec], { 'root.json': partial }, 'root.json')).fact?.detail).toBe(`the signature by key ${b.keyid} journaled in the ceremony is not in it; held to entry 2 (tuf.root-signed)`);
    // An entry that recorded no signature list holds the file to its signed part only.
    const bare: Row = { kind: 'tuf.root-signed', data: { version: 2, signedSha256: canonicalSha256(meta.signed), signatures: 'none', threshold: {} } };
    expect((await check([bare], { 'root.json': partial }, 'root.json')).fact?.status).toBe('content-checked');
  });
});
