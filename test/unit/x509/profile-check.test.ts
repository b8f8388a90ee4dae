/**
 * `keyrite ceremony check` refuses a certificate or CRL profile the BRs forbid, naming the field,
 * the rule and the script line, before any token is touched.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Readable, Writable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { command } from '../../../electron/cli/commands/ceremony';
import { tempDir } from '../../helpers/softhsm';

const ROOT = path.resolve(__dirname, '../../..');
const tmp = tempDir('keyrite-profile-check-');
afterAll(() => tmp.cleanup());

function io() {
  let out = '';
  const w = new Writable({ write(c, _e, cb) { out += String(c); cb(); } });
  return { stdout: w, stderr: w, stdin: Readable.from([]), text: () => out };
}

async function check(template: string, edit: (text: string) => string) {
  const text = readFileSync(path.join(ROOT, 'resources/ceremonies', `${template}.yaml`), 'utf8');
  const edited = edit(text);
  expect(edited).not.toBe(text);
  const file = path.join(tmp.dir, `${template}-${Math.random().toString(36).slice(2)}.yaml`);
  writeFileSync(file, edited);
  return command.run(['check', file], io());
}

describe('ceremony check applies the certificate and CRL profiles', () => {
  it('passes the signing templates as they are', async () => {
    for (const t of ['root-keygen', 'sign-intermediate', 'sign-crl', 'rotate']) {
      const o = io();
      expect(await command.run(['check', path.join(ROOT, 'resources/ceremonies', `${t}.yaml`)], o), o.text()).toBe(0);
    }
  });

  it('refuses a subordinate-CA profile without certificatePolicies, naming BR 7.1.2.10.5', async () => {
    await expect(check('sign-intermediate', (t) => t.replace(/^ {2}policies: .*\n/m, ''))).rejects.toMatchObject({
      code: 'SCRIPT_POLICY_VIOLATION', message: expect.stringMatching(/sign-intermediate-\w+\.yaml:\d+:\d+ {2}certificate: subordinate certificate: certificatePolicies absent; it is required \(BR 7\.1\.2\.10\.5\)/),
    });
  });

  it('refuses a CRL profile valid 365 days, naming BR 4.9.7', async () => {
    await expect(check('sign-crl', (t) => t.replace('crlProfile: arl', 'crlProfile: crl'))).rejects.toMatchObject({
      code: 'SCRIPT_POLICY_VIOLATION', message: expect.stringMatching(/signing\.nextUpdateDays: CRL: nextUpdate 365 days after thisUpdate; a CRL is valid 10 days at most.*\(BR 4\.9\.7\)/),
    });
  });

  it('refuses an ARL valid longer than 12 months', async () => {
    await expect(check('sign-crl', (t) => t.replace('nextUpdateDays: 365', 'nextUpdateDays: 400'))).rejects.toMatchObject({ message: expect.stringMatching(/an ARL is valid 12 months at most \(BR 4\.9\.7\)/) });
  });

  it('refuses a TLS subordinate without extKeyUsage, CRL distribution points or AIA', async () => {
    const without = (t: string) => t.replace(/^ {2}extendedKeyUsage: .*\n/m, '').replace(/^ {2}crlDistributionPoints: .*\n/m, '').replace(/^ {2}authorityInfoAccess:\n(^ {4}.*\n)+/m, '');
    await expect(check('sign-intermediate', without)).rejects.toMatchObject({
      message: expect.stringMatching(/extKeyUsage absent[\s\S]*BR 7\.1\.2\.10\.6[\s\S]*/),
    });
    await expect(check('sign-intermediate', without)).rejects.toMatchObject({ message: expect.stringContaining('cRLDistributionPoints absent; it is required (BR 7.1.2.11.2)') });
    await expect(check('sign-intermediate', without)).rejects.toMatchObject({ message: expect.stringContaining('authorityInformationAccess absent; it is required (BR 7.1.2.10.3)') });
  });

  it('refuses a serial set in the script for a BR profile (64 CSPRNG bits)', async () => {
    await expect(check('sign-intermediate', (t) => t.replace('  pathLen: 0\n', '  pathLen: 0\n  serial: 0a0b\n'))).rejects.toMatchObject({ message: expect.stringContaining('serialNumber set in the script') });
  });

  it('refuses extKeyUsage on a root (BR 7.1.2.1.2) and an ARL reason BR 7.2.2.1 forbids', async () => {
    await expect(check('root-keygen', (t) => t.replace('  signature: sha384\n', '  signature: sha384\n  extendedKeyUsage: [serverAuth]\n'))).rejects.toMatchObject({ message: expect.stringContaining('(BR 7.1.2.1.2)') });
    await expect(check('sign-crl', (t) => t.replace('reason: superseded', 'reason: certificateHold'))).rejects.toMatchObject({ message: expect.stringContaining('(BR 7.2.2.1)') });
  });

  it('refuses a P-384 key signing with SHA-256 (BR 7.1.3.2)', async () => {
    await expect(check('sign-intermediate', (t) => t.replace('signature: sha384', 'signature: sha256'))).rejects.toMatchObject({ message: expect.stringContaining('ECDSA P-384 signs with sha384, not sha256 (BR 7.1.3.2)') });
  });

  it('refuses a rotation whose cross-certificates have no policies (BR 7.1.2.2.3)', async () => {
    await expect(check('rotate', (t) => t.replace(/^ {2}cross:\n(^ {4}.*\n)+/m, ''))).rejects.toMatchObject({ message: expect.stringContaining('cross-certificate: certificatePolicies absent; it is required (BR 7.1.2.2.3)') });
  });
});
