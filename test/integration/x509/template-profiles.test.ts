/**
 * The signing templates' rehearsals produce certificates and CRLs that pass their profile rules and
 * that OpenSSL reads with the extensions the BRs ask for: the root (BR 7.1.2.1), the TLS
 * subordinate (7.1.2.6), the ARL (7.2, IDP onlyContainsCACerts, 12 months), cross-certificates
 * (7.1.2.2), the OCSP responder (7.1.2.8, with an OpenSSL OCSP round trip). OpenSSL also checks the chain against the ARL (-crl_check).
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runHeadless } from '../../../electron/core/ceremony/headless';
import { verifyTranscript } from '../../../electron/core/transcript/verify';
import * as x509 from '../../../electron/core/x509/lib';
import { lintCertificate } from '../../../electron/core/x509/lint';
import { crlFacts, crlProblems } from '../../../electron/core/x509/crl-profile';
import type { CertProfileKind } from '../../../electron/core/x509/profile-schema';
import { tempDir } from '../../helpers/softhsm';
import { captureIo, openssl, TEMPLATES } from '../ceremony/helpers';

const tmp = tempDir('keyrite-template-profiles-');
afterAll(() => tmp.cleanup());
const out = (name: string) => path.join(tmp.dir, name);

async function rehearse(name: string, opts: { from?: string; script?: string; as?: string } = {}) {
  const io = captureIo();
  await runHeadless({
    scriptFile: opts.script ?? path.join(TEMPLATES, `${name}.yaml`), outDir: out(opts.as ?? name), rehearsal: true, io,
    inputsFile: path.join(TEMPLATES, `${name}.rehearsal.yaml`), ...(opts.from ? { from: opts.from } : {}),
  });
  const report = await verifyTranscript(out(opts.as ?? name));
  expect(report.failure, io.text()).toBeUndefined();
}

function der(file: string): Uint8Array {
  return new Uint8Array(x509.PemConverter.decodeFirst(readFileSync(file, 'utf8')));
}
function issuerOf(file: string) {
  const c = new x509.X509Certificate(readFileSync(file, 'utf8'));
  return { spki: new Uint8Array(c.publicKey.rawData), keyId: c.getExtension(x509.SubjectKeyIdentifierExtension)?.keyId };
}
function lint(file: string, kind: CertProfileKind, issuerFile: string) {
  const issuer = issuerOf(issuerFile);
  return lintCertificate(der(file), kind, { spki: issuer.spki, keyId: kind === 'root' ? undefined : issuer.keyId });
}

describe('signing templates make conformant outputs', () => {
  let root: string;
  beforeAll(async () => {
    await rehearse('root-keygen');
    root = out('root-keygen');
  });

  it('root-keygen: the root certificate passes BR 7.1.2.1 and carries no extension a root should not', () => {
    const file = path.join(root, 'root-cert.pem');
    expect(lint(file, 'root', file)).toEqual([]);
    const text = openssl('x509', '-in', file, '-noout', '-text');
    expect(text).toMatch(/Basic Constraints: critical\s+CA:TRUE\n/);
    expect(text).not.toMatch(/Extended Key Usage|Certificate Policies|CRL Distribution/);
    // 16 random serial octets (at least 64 CSPRNG bits, at most 20 octets).
    expect(openssl('x509', '-in', file, '-noout', '-serial').trim()).toMatch(/^serial=[0-7][0-9A-F]{31}$/);
  });

  it('sign-intermediate: the TLS subordinate passes BR 7.1.2.6 and OpenSSL shows each extension', async () => {
    await rehearse('sign-intermediate', { from: root });
    const file = path.join(out('sign-intermediate'), 'intermediate-cert.pem');
    expect(lint(file, 'tls-subordinate', path.join(root, 'root-cert.pem'))).toEqual([]);
    expect(openssl('verify', '-CAfile', path.join(root, 'root-cert.pem'), file)).toContain(': OK');
    const text = openssl('x509', '-in', file, '-noout', '-text');
    expect(text).toMatch(/Certificate Policies:\s+Policy: 2\.23\.140\.1\.2\.2/);
    expect(text).toMatch(/CRL Distribution Points:\s+Full Name:\s+URI:http:\/\/crl\.example\.org\/example-root-2026\.crl/);
    expect(text).toMatch(/Authority Information Access:\s+OCSP - URI:http:\/\/ocsp\.example\.org\/\s+CA Issuers - URI:http:\/\/pki\.example\.org\/example-root-2026\.crt/);
    expect(text).toMatch(/Extended Key Usage:\s+TLS Web Server Authentication, TLS Web Client Authentication/);
    expect(text).toMatch(/Key Usage: critical\s+Certificate Sign, CRL Sign/);
    expect(text).toMatch(/CA:TRUE, pathlen:0/);
  });

  it('sign-ocsp-responder: the OCSP responder passes BR 7.1.2.8; OpenSSL shows OCSP Signing and OCSP No Check and accepts its responses', async () => {
    const rootCert = path.join(root, 'root-cert.pem');
    await rehearse('sign-ocsp-responder', { from: root });
    const file = path.join(out('sign-ocsp-responder'), 'intermediate-cert.pem');
    expect(lint(file, 'ocsp-responder', rootCert)).toEqual([]);
    const text = openssl('x509', '-in', file, '-noout', '-text');
    expect(text).toMatch(/Extended Key Usage:\s+OCSP Signing\n/);
    expect(text).toMatch(/OCSP No Check:\s*\n/);
    expect(text).toMatch(/Key Usage: critical\s+Digital Signature\n/);
    expect(text).toContain('X509v3 Authority Key Identifier');
    expect(text).not.toMatch(/Basic Constraints|CA:TRUE|Certificate Policies|CRL Distribution|Authority Information Access/);
    // The template's example dates (2026-01-01 to 2026-04-01): verified at a time inside them.
    const inside = String(Date.parse('2026-02-01T00:00:00Z') / 1000);
    expect(openssl('verify', '-attime', inside, '-purpose', 'ocsphelper', '-CAfile', rootCert, file)).toContain(': OK');

    // As the template says to run it: dated the ceremony's day, for a key the responder made with openssl.
    const dir = out('ocsp-csr');
    mkdirSync(dir, { recursive: true });
    const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
    writeFileSync(path.join(dir, 'sign-ocsp-responder.yaml'), readFileSync(path.join(TEMPLATES, 'sign-ocsp-responder.yaml'), 'utf8')
      .replace('notBefore: 2026-01-01', `notBefore: ${day(Date.now())}`).replace('notAfter: 2026-04-01', `notAfter: ${day(Date.now() + 90 * 86_400_000)}`));
    openssl('req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', path.join(dir, 'ocsp.key'), '-out', path.join(dir, 'sign-ocsp-responder.csr.pem'), '-subj', '/CN=whatever the requester asked');
    await rehearse('sign-ocsp-responder', { from: root, script: path.join(dir, 'sign-ocsp-responder.yaml'), as: 'ocsp-now' });
    const responder = path.join(out('ocsp-now'), 'intermediate-cert.pem');
    expect(lint(responder, 'ocsp-responder', rootCert)).toEqual([]);
    expect(openssl('verify', '-purpose', 'ocsphelper', '-CAfile', rootCert, responder)).toContain(': OK');
    // OpenSSL's responder signs a status for the intermediate with the delegated key; OpenSSL's client
    // accepts the response only if the responder certificate is issued by the root and carries OCSP Signing.
    const intermediate = path.join(out('sign-intermediate'), 'intermediate-cert.pem');
    writeFileSync(path.join(dir, 'index.txt'), '');
    openssl('ocsp', '-issuer', rootCert, '-cert', intermediate, '-no_nonce', '-reqout', path.join(dir, 'req.der'));
    openssl('ocsp', '-index', path.join(dir, 'index.txt'), '-CA', rootCert, '-rsigner', responder, '-rkey', path.join(dir, 'ocsp.key'), '-reqin', path.join(dir, 'req.der'), '-respout', path.join(dir, 'resp.der'), '-ndays', '1');
    const client = spawnSync('openssl', ['ocsp', '-respin', path.join(dir, 'resp.der'), '-CAfile', rootCert, '-issuer', rootCert, '-cert', intermediate, '-no_nonce'], { encoding: 'utf8' });
    expect(client.stderr + client.stdout).toContain('Response verify OK');
    expect(client.status).toBe(0);
  });

  it('sign-crl: the ARL passes BR 7.2 (IDP onlyContainsCACerts, 12 months) and OpenSSL checks the chain against it', async () => {
    await rehearse('sign-crl', { from: root });
    const file = path.join(out('sign-crl'), 'crl.pem');
    const issuer = issuerOf(path.join(root, 'root-cert.pem'));
    expect(crlProblems(crlFacts(der(file), 'arl', issuer))).toEqual([]);
    const text = openssl('crl', '-in', file, '-CAfile', path.join(root, 'root-cert.pem'), '-noout', '-text');
    expect(text).toMatch(/Issuing Distribution Point: critical\s+Full Name:\s+URI:http:\/\/crl\.example\.org\/example-root-2026\.crl\s+Only CA Certificates/);
    expect(text).toMatch(/CRL Number:\s+1\n/);
    expect(text).toMatch(/Serial Number: 0A1B2C3D[\s\S]*Superseded/);
    const f = crlFacts(der(file), 'arl', issuer);
    expect(((f.nextUpdate?.getTime() ?? 0) - f.thisUpdate.getTime()) / 86_400_000).toBe(365);
    // The intermediate signed above is not on the ARL: OpenSSL's CRL check accepts the chain with it.
    expect(openssl('verify', '-crl_check', '-CAfile', path.join(root, 'root-cert.pem'), '-CRLfile', file, path.join(out('sign-intermediate'), 'intermediate-cert.pem'))).toContain(': OK');
  });

  it('the root key signs checkpoints as C2SP type 0x02 under one name and key id in every ceremony; OpenSSL checks the signature', () => {
    const rootLine = (dir: string) => readFileSync(path.join(dir, 'checkpoint.note'), 'utf8').split('\n').find((l) => l.startsWith('\u2014 keyrite.root/example-root-2026 '));
    const a = rootLine(root);
    const b = rootLine(out('sign-crl'));
    expect(a).toBeDefined();
    expect(b).toBeDefined();
    const raw = (l: string) => Buffer.from(l.split(' ')[2]!, 'base64');
    // Key id = SHA-256(SPKI)[:4] (signed-note type 0x02), the same in both ceremonies.
    const spki = der(path.join(root, 'public-key.pem'));
    const id = createHash('sha256').update(spki).digest().subarray(0, 4);
    expect(raw(a!).subarray(0, 4).equals(id)).toBe(true);
    expect(raw(b!).subarray(0, 4).equals(id)).toBe(true);
    const note = readFileSync(path.join(out('sign-crl'), 'checkpoint.note'), 'utf8');
    writeFileSync(path.join(tmp.dir, 'cp.txt'), note.slice(0, note.indexOf('\n\n') + 1));
    writeFileSync(path.join(tmp.dir, 'cp.sig'), raw(b!).subarray(4));
    expect(openssl('dgst', '-sha256', '-verify', path.join(root, 'public-key.pem'), '-signature', path.join(tmp.dir, 'cp.sig'), path.join(tmp.dir, 'cp.txt'))).toContain('Verified OK');
  });

  it('sign-crl: a CRL number past 2^53 (here 2^159 - 1, 20 octets) is written exactly', async () => {
    const big = ((1n << 159n) - 1n).toString();
    const script = path.join(tmp.dir, 'sign-crl-big.yaml');
    writeFileSync(script, readFileSync(path.join(TEMPLATES, 'sign-crl.yaml'), 'utf8').replace('crlNumber: 1', `crlNumber: "${big}"`));
    await rehearse('sign-crl', { from: root, script, as: 'crl-big' });
    const f = crlFacts(der(path.join(out('crl-big'), 'crl.pem')), 'arl', issuerOf(path.join(root, 'root-cert.pem')));
    expect(f.crlNumber?.value.toString()).toBe(big);
    expect(openssl('crl', '-in', path.join(out('crl-big'), 'crl.pem'), '-noout', '-crlnumber').trim()).toBe(`crlNumber=0x${(BigInt(big)).toString(16).toUpperCase()}`);
  });

  it('rotate: both cross-certificates pass BR 7.1.2.2; the successor root passes 7.1.2.1', async () => {
    await rehearse('rotate', { from: root });
    const r = out('rotate');
    expect(lint(path.join(r, 'successor-root-cert.pem'), 'root', path.join(r, 'successor-root-cert.pem'))).toEqual([]);
    expect(lint(path.join(r, 'cross-old-signs-new.pem'), 'cross', path.join(root, 'root-cert.pem'))).toEqual([]);
    expect(lint(path.join(r, 'cross-new-signs-old.pem'), 'cross', path.join(r, 'successor-root-cert.pem'))).toEqual([]);
    expect(openssl('x509', '-in', path.join(r, 'cross-old-signs-new.pem'), '-noout', '-text')).toMatch(/Certificate Policies:\s+Policy: X509v3 Any Policy/);
  });
});
