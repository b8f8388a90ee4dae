/**
 * `keyrite verify --attestation-root`: an attestation recorded in a transcript is re-checked against
 * the roots shipped with Keyrite plus the roots the auditor gives, and only those. A chain to a root
 * Keyrite does not ship (made here with OpenSSL: a root, a device attestation certificate under it,
 * and a slot attestation certificate carrying Yubico's PIV extensions for the ceremony's key) makes
 * the transcript INVALID, naming the broken link, until the auditor gives that root; then it is
 * VALID and the report says the root was the auditor's. A look-alike root (same name, another key)
 * does not help. A genuine YubiKey chain needs no root from the auditor. Checked with
 * `openssl verify` first, so the fixture chain is a real one.
 */
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Readable, Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyTranscript } from '../../../electron/core/transcript/verify';
import { command as verifyCommand } from '../../../electron/cli/commands/verify';
import { tempDir } from '../../helpers/softhsm';
import { okSteps, smallTranscript, type Row } from './small-transcript';

const tmp = tempDir('keyrite-attestation-root-');
afterAll(() => tmp.cleanup());
const f = (name: string) => path.join(tmp.dir, name);
const ossl = (...a: string[]) => execFileSync('openssl', a, { stdio: 'pipe', encoding: 'utf8' });
const V = '/work/shared/vectors/attestation/yubikey-piv';

const SERIAL = 13_078_000;
const serialDer = (n: number) => { const h = n.toString(16).padStart(8, '0'); return `0204${h}`; };

/** A self-signed root named like the test root. */
function makeRoot(prefix: string): void {
  ossl('req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', f(`${prefix}root.key`), '-out', f(`${prefix}root.pem`), '-subj', '/CN=Test PIV Root CA', '-days', '30');
}

beforeAll(() => {
  // A root, a device certificate under it, a slot attestation certificate for a fresh P-256 key.
  makeRoot('');
  makeRoot('other-'); // the same name, another key
  ossl('req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', f('dev.key'), '-out', f('dev.csr'), '-subj', '/CN=Test PIV Attestation');
  writeFileSync(f('ca.ext'), 'basicConstraints=critical,CA:TRUE,pathlen:0\n');
  ossl('x509', '-req', '-in', f('dev.csr'), '-CA', f('root.pem'), '-CAkey', f('root.key'), '-set_serial', '7', '-days', '30', '-extfile', f('ca.ext'), '-out', f('dev.pem'));
  ossl('req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', f('k.key'), '-out', f('k.csr'), '-subj', '/CN=YubiKey PIV Attestation 9c');
  // Firmware 5.7.1, the serial as a DER INTEGER, PIN policy once per session, touch never.
  writeFileSync(f('yk.ext'), `1.3.6.1.4.1.41482.3.3=DER:050701\n1.3.6.1.4.1.41482.3.7=DER:${serialDer(SERIAL)}\n1.3.6.1.4.1.41482.3.8=DER:0201\n`);
  ossl('x509', '-req', '-in', f('k.csr'), '-CA', f('dev.pem'), '-CAkey', f('dev.key'), '-set_serial', '9', '-days', '30', '-extfile', f('yk.ext'), '-out', f('k.pem'));
  ossl('pkey', '-in', f('k.key'), '-pubout', '-out', f('k.pub.pem'));
});

const spkiB64 = (pubPem: string) => pubPem.replace(/-----[A-Z ]+-----|\s+/g, '');
const fp = (b64: string) => createHash('sha256').update(Buffer.from(b64, 'base64')).digest('hex');

/** A transcript that generated the key and recorded its attestation as verified. */
async function attestedTranscript(pub: string, keyCert: string, deviceCert: string, result: { serial: number; firmware: string }) {
  const spki = spkiB64(pub);
  const rows: Row[] = [
    okSteps[0] as Row,
    ['key.generated', 'a', { label: 'root', id: '01', algorithm: 'ec-p256', spki, fingerprint: fp(spki), fingerprintWords: [], proof: {} }],
    ['attestation.verified', 'a', { key: { label: 'root', fingerprint: fp(spki) }, keyCert, deviceCert, result, rootSource: 'vendor' }],
    ...okSteps.slice(1),
  ];
  return smallTranscript(tmp.dir, rows);
}

async function cli(args: string[]): Promise<{ code: number; out: string }> {
  let out = '';
  const w = new Writable({ write(chunk, _e, cb) { out += String(chunk); cb(); } });
  const code = await verifyCommand.run(args, { stdout: w, stderr: w, stdin: Readable.from([]) } as never);
  return { code, out };
}

describe('an attestation chain to a root Keyrite does not ship', () => {
  it('is a real chain (openssl verify), and not one to the shipped Yubico root', () => {
    expect(ossl('verify', '-CAfile', f('root.pem'), '-untrusted', f('dev.pem'), f('k.pem'))).toMatch(/: OK/);
    const shipped = path.resolve(__dirname, '../../../resources/attestation/yubico-piv-root-ca.pem');
    expect(() => ossl('verify', '-CAfile', shipped, '-untrusted', f('dev.pem'), f('k.pem'))).toThrow();
  });

  it('makes the transcript INVALID (ATTESTATION_INVALID at its entry, naming the device link) when no root is given', async () => {
    const t = await attestedTranscript(readFileSync(f('k.pub.pem'), 'utf8'), readFileSync(f('k.pem'), 'utf8'), readFileSync(f('dev.pem'), 'utf8'), { serial: SERIAL, firmware: '5.7.1' });
    const r = await verifyTranscript(t.dir, { files: false });
    expect(r.valid).toBe(false);
    expect(r.failure).toMatchObject({ code: 'ATTESTATION_INVALID', seq: 3, offset: t.offsetOf(3) });
    expect(r.failure?.message).toContain('device-cert <- vendor-root');
    expect(r.failure?.message).toContain('[ATTESTATION_DEVICE_NOT_FROM_ROOT]');
    expect(r.attestations).toMatchObject([{ seq: 3, status: 'refused' }]);
  });

  it('is VALID with that root given, and the report says the root is the auditor\'s', async () => {
    const t = await attestedTranscript(readFileSync(f('k.pub.pem'), 'utf8'), readFileSync(f('k.pem'), 'utf8'), readFileSync(f('dev.pem'), 'utf8'), { serial: SERIAL, firmware: '5.7.1' });
    const root = readFileSync(f('root.pem'), 'utf8');
    const r = await verifyTranscript(t.dir, { files: false, attestationRoots: [root] });
    expect(r.failure).toBeUndefined();
    expect(r.valid).toBe(true);
    const rootSha = createHash('sha256').update(Buffer.from(spkiB64(root), 'base64')).digest('hex');
    expect(r.attestations).toMatchObject([{ seq: 3, status: 'verified', serial: SERIAL, firmware: '5.7.1', slot: '9c', pinPolicy: 'once per session', touchPolicy: 'never', root: { source: 'auditor', subject: 'CN=Test PIV Root CA', sha256: rootSha } }]);
  });

  it('a look-alike root (same name, another key) does not make it valid', async () => {
    const t = await attestedTranscript(readFileSync(f('k.pub.pem'), 'utf8'), readFileSync(f('k.pem'), 'utf8'), readFileSync(f('dev.pem'), 'utf8'), { serial: SERIAL, firmware: '5.7.1' });
    const r = await verifyTranscript(t.dir, { files: false, attestationRoots: [readFileSync(f('other-root.pem'), 'utf8')] });
    expect(r.failure).toMatchObject({ code: 'ATTESTATION_INVALID', seq: 3 });
    expect(r.failure?.message).toContain('device-cert <- vendor-root');
  });

  it('keyrite verify: exit 1 without --attestation-root, exit 0 with it (the report names the auditor\'s root)', async () => {
    const t = await attestedTranscript(readFileSync(f('k.pub.pem'), 'utf8'), readFileSync(f('k.pem'), 'utf8'), readFileSync(f('dev.pem'), 'utf8'), { serial: SERIAL, firmware: '5.7.1' });
    const without = await cli([t.dir, '--json']);
    expect(without.code).toBe(1);
    expect(JSON.parse(without.out)).toMatchObject({ valid: false, failure: { code: 'ATTESTATION_INVALID', seq: 3 } });
    const given = await cli([t.dir, '--attestation-root', f('root.pem'), '--json']);
    expect(JSON.parse(given.out)).toMatchObject({ valid: true, attestations: [{ status: 'verified', serial: SERIAL, root: { source: 'auditor' } }] });
    expect(given.code).toBe(0);
  });
});

describe('a genuine YubiKey chain', () => {
  it('is VALID with no root given: the shipped Yubico root is enough, and the report says so', async () => {
    const s = '14833186';
    const t = await attestedTranscript(readFileSync(`${V}/${s}/pubkey.pem`, 'utf8'), readFileSync(`${V}/${s}/key_cert.pem`, 'utf8'), readFileSync(`${V}/${s}/device_cert.pem`, 'utf8'), { serial: 14833186, firmware: '5.4.3' });
    const r = await verifyTranscript(t.dir, { files: false });
    expect(r.failure).toBeUndefined();
    expect(r.attestations).toMatchObject([{ seq: 3, status: 'verified', serial: 14833186, firmware: '5.4.3', root: { source: 'vendor', subject: 'CN=Yubico PIV Root CA Serial 263751' } }]);
  });
});
