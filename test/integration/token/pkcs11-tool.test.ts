import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTokenClient, type TokenClient } from '../../../electron/core/token/client';
import type { RehearsalToken } from '../../../electron/core/token/rehearsal';
import { spkiToPem } from '../../../electron/core/token/verify';
import { makeToken, tempDir, USER_PIN } from '../../helpers/softhsm';

// OpenSC's pkcs11-tool, not Keyrite, reads and uses the keys Keyrite made; openssl checks the result
// with the PEM Keyrite exported. This is what an auditor can repeat without Keyrite.
describe('interoperability with pkcs11-tool and openssl', () => {
  const tmp = tempDir();
  let token: RehearsalToken;
  let client: TokenClient;
  let session: string;

  const tool = (args: string[], input?: Buffer): Buffer =>
    execFileSync('pkcs11-tool', ['--module', token.modulePath, '--token-label', token.label, ...args], {
      env: { ...process.env, ...token.env },
      input,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
  const file = (name: string, data: Buffer | string): string => {
    const p = path.join(tmp.dir, name);
    writeFileSync(p, data);
    return p;
  };

  beforeAll(async () => {
    token = await makeToken(tmp.dir, 'interop');
    client = createTokenClient({ modulePath: token.modulePath, env: token.env });
    session = await client.openSession({ label: 'interop' }, { pin: USER_PIN });
  });
  afterAll(async () => {
    await client.close();
    tmp.cleanup();
  });

  it('pkcs11-tool lists the EC key with the label and id Keyrite reported, signs with it, and openssl verifies', async () => {
    const key = await client.generateKeyPair(session, { algorithm: 'ec-p384', label: 'root-2026', id: '5eed0001', extractableForBackup: false });
    const listing = tool(['--login', '--pin', USER_PIN, '--list-objects', '--type', 'privkey']).toString();
    expect(listing).toMatch(/label:\s+root-2026/);
    expect(listing).toMatch(/ID:\s+5eed0001/);

    const data = Buffer.from('root certificate TBS bytes');
    const digest = createHash('sha384').update(data).digest();
    const sig = tool(['--login', '--pin', USER_PIN, '--sign', '--id', key.id, '-m', 'ECDSA', '--signature-format', 'openssl'], digest);
    const pem = file('root-2026.pem', spkiToPem(key.spki));
    const out = execFileSync('openssl', ['dgst', '-sha384', '-verify', pem, '-signature', file('ec.sig', sig), file('ec.data', data)]).toString();
    expect(out).toMatch(/Verified OK/);
  });

  it('pkcs11-tool signs with Keyrite\'s RSA key (SHA256-RSA-PKCS-PSS) and openssl verifies with the exported PEM', async () => {
    const key = await client.generateKeyPair(session, { algorithm: 'rsa-3072', label: 'rsa-root', id: '5eed0002', extractableForBackup: false });
    const data = Buffer.from('rsa signed bytes');
    const sig = tool(['--login', '--pin', USER_PIN, '--sign', '--id', key.id, '-m', 'SHA256-RSA-PKCS-PSS', '--salt-len', '-1'], data);
    const pem = file('rsa-root.pem', spkiToPem(key.spki));
    const out = execFileSync('openssl', [
      'dgst', '-sha256', '-sigopt', 'rsa_padding_mode:pss', '-sigopt', 'rsa_pss_saltlen:32', '-verify', pem, '-signature', file('rsa.sig', sig), file('rsa.data', data),
    ]).toString();
    expect(out).toMatch(/Verified OK/);
  });
});
