/**
 * Every template rehearses headlessly on fresh SoftHSM2 tokens, and each result verifies with the
 * transcript verifier (`keyrite verify`) and, where it makes X.509 or signatures, with OpenSSL.
 */
import { copyFileSync, cpSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { writeSoftHsmConfig } from '../../../electron/core/token/rehearsal';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runHeadless } from '../../../electron/core/ceremony/headless';
import { verifyTranscript } from '../../../electron/core/transcript/verify';
import { decryptAgeShare, parseBackupFile, verifyShareAgainstBackup } from '../../../electron/core/shares';
import { loadInputsFile } from '../../../electron/core/ceremony/inputs';
import { tempDir } from '../../helpers/softhsm';
import { captureIo, openssl, pkcs11Objects, privateKeyObjects, TEMPLATES, transcriptSecretsIn } from './helpers';

const tmp = tempDir('keyrite-ceremony-templates-');
afterAll(() => tmp.cleanup());
const out = (name: string) => path.join(tmp.dir, name);

async function rehearse(name: string, opts: { from?: string; script?: string } = {}) {
  const io = captureIo();
  const result = await runHeadless({
    scriptFile: opts.script ?? path.join(TEMPLATES, `${name}.yaml`), outDir: out(name), rehearsal: true, io,
    inputsFile: path.join(TEMPLATES, `${name}.rehearsal.yaml`), ...(opts.from ? { from: opts.from } : {}),
  });
  const report = await verifyTranscript(out(name));
  expect(report.failure, io.text()).toBeUndefined();
  expect(report.valid).toBe(true);
  expect(report.sealed).toBe(true);
  // The transcript key is destroyed at the seal: the folder handed to auditors cannot sign a checkpoint.
  expect(transcriptSecretsIn(out(name))).toEqual([]);
  return { result, report, io };
}

describe('ceremony templates in rehearsal', () => {
  let root: string;
  beforeAll(async () => {
    const { report } = await rehearse('root-keygen');
    root = out('root-keygen');
    expect(report.steps.completed).toEqual(report.steps.expected);
  });

  it('root-keygen leaves every output, a root certificate OpenSSL accepts, and no PIN on disk', () => {
    for (const f of ['transcript.jsonl', 'checkpoint.note', 'public-key.pem', 'root-cert.pem', 'backup.json', 'report.html', 'token/softhsm2.conf']) {
      expect(existsSync(path.join(root, f)), f).toBe(true);
    }
    const cert = path.join(root, 'root-cert.pem');
    expect(openssl('verify', '-CAfile', cert, '-check_ss_sig', cert)).toContain(': OK');
    const text = openssl('x509', '-in', cert, '-noout', '-text');
    expect(text).toMatch(/X509v3 Basic Constraints: critical\s+CA:TRUE/);
    expect(text).toMatch(/X509v3 Key Usage: critical\s+Certificate Sign, CRL Sign/);
    expect(text).toContain('X509v3 Subject Key Identifier');
    expect(text).toContain('Subject: C = NL, O = Example Org, CN = Example Root CA 2026');
    expect(text).toMatch(/Not After : Jan {2}1 00:00:00 2046 GMT/);
    expect(openssl('x509', '-in', cert, '-noout', '-pubkey')).toBe(readFileSync(path.join(root, 'public-key.pem'), 'utf8'));
    const backup = parseBackupFile(readFileSync(path.join(root, 'backup.json'), 'utf8'));
    const shareFiles = readdirSync(path.join(root, 'shares'));
    expect(shareFiles.sort()).toEqual(['Carol.txt', 'Dan.txt', 'Erin.txt', 'Frank.txt', 'Grace.txt']);
    for (const f of shareFiles) {
      expect(verifyShareAgainstBackup(backup, { text: readFileSync(path.join(root, 'shares', f), 'utf8') }).custodian).toBe(f.replace('.txt', ''));
    }
    const transcript = readFileSync(path.join(root, 'transcript.jsonl'), 'utf8');
    expect(transcript).not.toContain('123456');
    expect(privateKeyObjects(pkcs11Objects(path.join(root, 'token/softhsm2.conf'), 'keyrite-rehearsal')).others).toHaveLength(1);
  });

  it('root-keygen writes Frank\'s share (delivery file) as an age file in custody/ that opens with his rehearsal passphrase', async () => {
    const backup = parseBackupFile(readFileSync(path.join(root, 'backup.json'), 'utf8'));
    expect(readdirSync(path.join(root, 'custody'))).toEqual(['root-2026-Frank.keyrite-share.age']);
    const age = readFileSync(path.join(root, 'custody', 'root-2026-Frank.keyrite-share.age'), 'utf8');
    const passphrase = loadInputsFile(path.join(TEMPLATES, 'root-keygen.rehearsal.yaml')).sharePassphrases?.Frank ?? '';
    expect(passphrase).not.toBe('');
    expect(verifyShareAgainstBackup(backup, { envelope: await decryptAgeShare(age, passphrase) }).custodian).toBe('Frank');
    const transcript = readFileSync(path.join(root, 'transcript.jsonl'), 'utf8');
    expect(transcript).not.toContain(passphrase);
    expect(transcript).toContain('"kind":"share.delivered"');
  });

  it('root-keygen hands the transcript key over to the token at login: both keys sign that checkpoint, the token key every later one', async () => {
    const entries = readFileSync(path.join(root, 'transcript.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { seq: number; kind: string; step: string; data: Record<string, unknown> });
    const handovers = entries.filter((e) => e.kind === 'transcript.key-handover');
    expect(handovers).toHaveLength(1);
    const h = handovers[0]!;
    expect(h.step).toBe('login');
    const intent = entries.find((e) => e.kind === 'step.intent' && e.data.operation === 'generateTranscriptKeyPair');
    expect(intent?.data.ckaId).toBe(h.data.ckaId);
    expect(intent!.seq).toBeLessThan(h.seq);
    expect((h.data.proof as Record<string, boolean>)).toMatchObject({ local: true, sensitive: true, extractable: false, sign: true });
    const start = entries[0]!.data as { transcriptKey: string };
    expect(h.data.verifierKey).not.toBe(start.transcriptKey);
    expect(existsSync(path.join(root, 'transcript-key.secret'))).toBe(false);
    const token = privateKeyObjects(pkcs11Objects(path.join(root, 'token/softhsm2.conf'), 'keyrite-rehearsal')).transcript;
    expect(token).toHaveLength(1);
    expect(token[0]).toContain(`keyrite-transcript-${String((entries[0]!.data as { script: { id: string } }).script.id)}`);
    expect(token[0]).toContain(String(h.data.ckaId));

    const report = await verifyTranscript(root);
    expect(report.failure).toBeUndefined();
    const keyId = (k: string) => k.split('+').slice(0, 2).join('+');
    const [oldKey, newKey] = [keyId(start.transcriptKey), keyId(String(h.data.verifierKey))];
    const after = report.checkpoints.filter((c) => c.size > h.seq);
    expect(after.length).toBeGreaterThan(2);
    expect(after[0]!.signedBy).toEqual(expect.arrayContaining([oldKey, newKey]));
    for (const c of after.slice(1)) {
      expect(c.signedBy, c.file).toContain(newKey);
      expect(c.signedBy, c.file).not.toContain(oldKey);
    }
    for (const c of report.checkpoints.filter((x) => x.size <= h.seq)) expect(c.signedBy).not.toContain(newKey);
    expect(report.transcriptKeys).toEqual([
      expect.objectContaining({ key: start.transcriptKey, source: 'file', inForce: false, untilSeq: h.seq }),
      expect.objectContaining({ key: h.data.verifierKey, source: 'token', inForce: true, fromSeq: h.seq, ckaId: h.data.ckaId }),
    ]);
    // The final checkpoint verifies with the token key the paper report names.
    expect(readFileSync(path.join(root, 'report.html'), 'utf8')).toContain(String(h.data.verifierKey));
    const trusted = await verifyTranscript(root, { trustedKeys: [String(h.data.verifierKey)] });
    expect(trusted.failure).toBeUndefined();
  });

  it('sign-intermediate: a CSR made by openssl req becomes an intermediate that verifies in a chain', async () => {
    const dir = out('csr');
    const { mkdirSync } = await import('node:fs');
    mkdirSync(dir, { recursive: true });
    copyFileSync(path.join(TEMPLATES, 'sign-intermediate.yaml'), path.join(dir, 'sign-intermediate.yaml'));
    openssl('req', '-new', '-newkey', 'rsa:3072', '-nodes', '-keyout', path.join(dir, 'int.key'), '-out', path.join(dir, 'sign-intermediate.csr.pem'), '-subj', '/CN=whatever the requester asked');
    await rehearse('sign-intermediate', { from: root, script: path.join(dir, 'sign-intermediate.yaml') });
    const o = out('sign-intermediate');
    expect(openssl('verify', '-CAfile', path.join(root, 'root-cert.pem'), path.join(o, 'intermediate-cert.pem'))).toContain(': OK');
    const text = openssl('x509', '-in', path.join(o, 'intermediate-cert.pem'), '-noout', '-text');
    expect(text).toContain('Subject: C = NL, O = Example Org, CN = Example Issuing CA 1');
    expect(text).toMatch(/CA:TRUE, pathlen:0/);
    expect(text).toContain('X509v3 Authority Key Identifier');
    expect(openssl('x509', '-in', path.join(o, 'intermediate-cert.pem'), '-noout', '-pubkey')).toBe(openssl('pkey', '-in', path.join(dir, 'int.key'), '-pubout'));
  });

  it('sign-crl: the CRL verifies against the root certificate', async () => {
    await rehearse('sign-crl', { from: root });
    const text = openssl('crl', '-in', path.join(out('sign-crl'), 'crl.pem'), '-CAfile', path.join(root, 'root-cert.pem'), '-noout', '-text');
    expect(text).toMatch(/Serial Number: 0A1B2C3D/);
  });

  it('sign-artifact: the detached signature verifies with the printed OpenSSL command', async () => {
    await rehearse('sign-artifact', { from: root });
    const o = out('sign-artifact');
    const cmd = readFileSync(path.join(o, 'sign-artifact.manifest.txt.verify.txt'), 'utf8').split('\n').find((l) => l.startsWith('openssl'))!;
    const { execSync } = await import('node:child_process');
    expect(execSync(cmd, { cwd: o, encoding: 'utf8' })).toContain('Verified OK');
  });

  it('recovery: three shares restore the key into a fresh token', async () => {
    const { report } = await rehearse('recovery', { from: root });
    expect(report.exceptions.filter((x) => x.kind !== 'deviation')).toEqual([]);
    const objects = pkcs11Objects(path.join(out('recovery'), 'token/softhsm2.conf'), 'keyrite-recovery');
    expect(objects).toContain('example-root-2026');
  });

  it('destroy on every listed token: the original token and the recovery token', async () => {
    const o = out('destroy-both');
    mkdirSync(path.join(o, 'token', 'tokens'), { recursive: true });
    for (const from of [root, out('recovery')]) cpSync(path.join(from, 'token', 'tokens'), path.join(o, 'token', 'tokens'), { recursive: true });
    await writeSoftHsmConfig(path.join(o, 'token'));
    const script = path.join(tmp.dir, 'destroy-both.yaml');
    writeFileSync(script, readFileSync(path.join(TEMPLATES, 'destroy.yaml'), 'utf8').replace('key:\n', 'otherTokens:\n  - { module: softhsm, label: keyrite-recovery }\nkey:\n'));
    const io = captureIo();
    await runHeadless({ scriptFile: script, outDir: o, rehearsal: true, io, from: root, inputsFile: path.join(TEMPLATES, 'destroy.rehearsal.yaml') });
    const report = await verifyTranscript(o);
    expect(report.failure, io.text()).toBeUndefined();
    expect(transcriptSecretsIn(o)).toEqual([]);
    const conf = path.join(o, 'token/softhsm2.conf');
    expect(pkcs11Objects(conf, 'keyrite-rehearsal')).not.toContain('example-root-2026');
    expect(pkcs11Objects(conf, 'keyrite-recovery')).not.toContain('example-root-2026');
    const { readJournalEntries } = await import('../../../electron/core/ceremony/prior-run');
    const destroyed = readJournalEntries(path.join(o, 'transcript.jsonl')).filter((e) => e.kind === 'key.destroyed').map((e) => (e.data as { token: { label: string } }).token.label);
    expect(destroyed).toEqual(['keyrite-rehearsal', 'keyrite-recovery']);
  });

  it('reshare: new custodians get shares of a new split; the old split is void', async () => {
    await rehearse('reshare', { from: root });
    const before = parseBackupFile(readFileSync(path.join(root, 'backup.json'), 'utf8'));
    const after = parseBackupFile(readFileSync(path.join(out('reshare'), 'backup.json'), 'utf8'));
    expect(after.split.id).not.toBe(before.split.id);
    expect(after.split.voids.map((v) => v.splitId)).toContain(before.split.id);
    expect(after.split.shares.map((s) => s.custodian)).toEqual(['Carol', 'Dan', 'Heidi', 'Ivan', 'Judy']);
    expect(verifyShareAgainstBackup(after, { text: readFileSync(path.join(out('reshare'), 'shares', 'Heidi.txt'), 'utf8') }).custodian).toBe('Heidi');
    expect(() => verifyShareAgainstBackup(after, { text: readFileSync(path.join(root, 'shares', 'Erin.txt'), 'utf8') })).toThrow(/void/);
  });

  it('rotate then destroy: cross-certificates verify; the old key is gone from the token, the new one stays', async () => {
    await rehearse('rotate', { from: root });
    const r = out('rotate');
    expect(openssl('verify', '-CAfile', path.join(root, 'root-cert.pem'), path.join(r, 'cross-old-signs-new.pem'))).toContain(': OK');
    expect(openssl('verify', '-CAfile', path.join(r, 'successor-root-cert.pem'), path.join(r, 'cross-new-signs-old.pem'))).toContain(': OK');
    await rehearse('destroy', { from: r });
    const objects = pkcs11Objects(path.join(out('destroy'), 'token/softhsm2.conf'), 'keyrite-rehearsal');
    expect(objects).not.toContain('example-root-2026');
    expect(objects).toContain('example-root-2036');
  });
});
