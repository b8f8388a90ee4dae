/**
 * The file checks on small signed transcripts: an older transcript that journaled no file hashes
 * still verifies, its files listed as not bound (or checked by content where the entries record
 * the facts); a file.published entry binds its file's bytes.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { verifyTranscript } from '../../../electron/core/transcript/verify';
import { spkiToPem } from '../../../electron/core/token/verify';
import { tempDir } from '../../helpers/softhsm';
import { keyRow, p384, sha256, signedFolder, type Row } from './files-fixture';

const tmp = tempDir('keyrite-verify-files-unit-');
afterAll(() => tmp.cleanup());

const spkiOf = () => p384().spki;

/** A sealed one-step transcript recording a key (entry 2), plus `rows` of other entries, signed by its transcript key. */
const ceremony = (spki: Buffer, rows: Row[] = []): Promise<string> => signedFolder(tmp.dir, [keyRow(spki), ...rows]);

describe('file checks', () => {
  it('an older transcript without file entries verifies: public-key.pem checked by content, other files not bound', async () => {
    const spki = spkiOf();
    const dir = await ceremony(spki);
    writeFileSync(path.join(dir, 'public-key.pem'), spkiToPem(spki));
    writeFileSync(path.join(dir, 'notes.txt'), 'written by hand\n');
    const r = await verifyTranscript(dir);
    expect(r.failure).toBeUndefined();
    expect(r.files?.find((f) => f.file === 'public-key.pem')).toMatchObject({ status: 'content-checked', entry: { seq: 2, kind: 'key.generated' } });
    expect(r.files?.find((f) => f.file === 'notes.txt')).toMatchObject({ status: 'not-bound', detail: expect.stringMatching(/not bound by this transcript/) });
    // The seal wrote no report here: listed, so the verdict says not every file was checked.
    expect(r.files?.find((f) => f.file === 'report.html')?.status).toBe('not-present');
    expect(r.filesAllChecked).toBe(false);
  });

  it('in an older transcript, another key in public-key.pem is still INVALID: its content is not the recorded SPKI', async () => {
    const dir = await ceremony(spkiOf());
    writeFileSync(path.join(dir, 'public-key.pem'), spkiToPem(spkiOf()));
    const r = await verifyTranscript(dir);
    expect(r.failure).toMatchObject({ code: 'FILE_CHANGED', file: 'public-key.pem', message: expect.stringMatching(/entry 2 \(key\.generated\)/) });
    expect(r.valid).toBe(false);
  });

  it('file.published binds the bytes: the same text with one byte more is INVALID; a file it names and the folder lacks is not checked', async () => {
    const text = 'artifact v1\n';
    const dir = await ceremony(spkiOf(), [
      { kind: 'file.published', data: { file: 'notes/a.txt', sha256: sha256(text), bytes: text.length } },
      { kind: 'file.published', data: { file: 'gone.txt', sha256: sha256('x'), bytes: 1 } },
    ]);
    writeFileSync(path.join(dir, 'notes.txt'), '');
    mkdirSync(path.join(dir, 'notes'));
    writeFileSync(path.join(dir, 'notes/a.txt'), text);
    const ok = await verifyTranscript(dir);
    expect(ok.failure).toBeUndefined();
    expect(ok.files?.find((f) => f.file === 'notes/a.txt')).toMatchObject({ status: 'bound', entry: { seq: 3, kind: 'file.published' } });
    expect(ok.files?.find((f) => f.file === 'gone.txt')).toMatchObject({ status: 'not-present', entry: { seq: 4 } });
    // A transcript that binds files names every file it wrote: anything else is unexpected.
    expect(ok.files?.find((f) => f.file === 'notes.txt')?.status).toBe('unexpected');
    writeFileSync(path.join(dir, 'notes/a.txt'), `${text} `);
    const bad = await verifyTranscript(dir);
    expect(bad.failure).toMatchObject({ code: 'FILE_CHANGED', file: 'notes/a.txt', expected: sha256(text), actual: sha256(`${text} `) });
  });

  it('files: false checks the transcript alone (what the seal renders the report from)', async () => {
    const dir = await ceremony(spkiOf());
    writeFileSync(path.join(dir, 'public-key.pem'), 'not a key\n');
    const r = await verifyTranscript(dir, { files: false });
    expect(r.failure).toBeUndefined();
    expect(r.files).toBeUndefined();
  });
});

describe('certificate content', () => {
  const alg = { name: 'ECDSA', namedCurve: 'P-384', hash: 'SHA-384' } as const;
  async function selfSigned(subjectKeys: CryptoKeyPair, signer: CryptoKeyPair = subjectKeys): Promise<{ pem: string; der: Buffer }> {
    const x509 = await import('../../../electron/core/x509/lib');
    const cert = await x509.X509CertificateGenerator.create({
      serialNumber: '01', subject: 'CN=Example Root', issuer: 'CN=Example Root', notBefore: new Date('2026-01-01'), notAfter: new Date('2036-01-01'),
      signingAlgorithm: alg, publicKey: subjectKeys.publicKey, signingKey: signer.privateKey,
    });
    return { pem: cert.toString('pem') + '\n', der: Buffer.from(cert.rawData) };
  }
  const pair = () => crypto.subtle.generateKey(alg, true, ['sign', 'verify']) as Promise<CryptoKeyPair>;
  const spkiOfPair = async (p: CryptoKeyPair) => Buffer.from(await crypto.subtle.exportKey('spki', p.publicKey));
  const issued = (c: { der: Buffer }) => ({ kind: 'certificate.issued', data: { subject: 'CN=Example Root', serial: '01', sha256: sha256(c.der), role: 'root', file: 'root-cert.pem' } });

  it('the recorded root certificate over the recorded key, self-signed, is checked by content', async () => {
    const k = await pair();
    const cert = await selfSigned(k);
    const dir = await ceremony(await spkiOfPair(k), [issued(cert)]);
    writeFileSync(path.join(dir, 'root-cert.pem'), cert.pem);
    const r = await verifyTranscript(dir);
    expect(r.failure).toBeUndefined();
    expect(r.files?.find((f) => f.file === 'root-cert.pem')).toMatchObject({ status: 'content-checked', entry: { seq: 3, kind: 'certificate.issued' } });
  });

  it('a certificate whose key is not the recorded key, or signed by another key, is INVALID even when its hash is the one recorded', async () => {
    const k = await pair();
    const other = await pair();
    for (const [cert, why] of [[await selfSigned(other), /its public key is not a key this transcript records/], [await selfSigned(k, other), /its signature does not verify with any key this transcript records/]] as const) {
      const dir = await ceremony(await spkiOfPair(k), [issued(cert)]);
      writeFileSync(path.join(dir, 'root-cert.pem'), cert.pem);
      const r = await verifyTranscript(dir);
      expect(r.failure).toMatchObject({ code: 'FILE_CHANGED', file: 'root-cert.pem', message: expect.stringMatching(why) });
    }
  });

  it('another certificate with the same DN in root-cert.pem is INVALID: not the recorded certificate', async () => {
    const k = await pair();
    const dir = await ceremony(await spkiOfPair(k), [issued(await selfSigned(k))]);
    writeFileSync(path.join(dir, 'root-cert.pem'), (await selfSigned(await pair())).pem);
    expect((await verifyTranscript(dir)).failure).toMatchObject({ code: 'FILE_CHANGED', file: 'root-cert.pem', message: expect.stringMatching(/not the recorded/) });
  });
});
