/**
 * The key attributes as an auditor sees them with OpenSC's pkcs11-tool, not Keyrite: every algorithm's
 * ceremony key lists "sign" as its only use and "never extractable" in its access; its public object is
 * readable without the PIN and is, as pkcs11-tool exports it, the SPKI Keyrite reported; a backed-up
 * key shows "extractable" until the lock and not after; card keys show decrypt or derive only.
 * Keys are made by Keyrite's token code run in this process (in-process host), so the attributes
 * checked are the ones the sources under test asked for. One pkcs11-tool process per check: this file
 * is the slow outside-tool view; key-templates.test.ts pins the same promises at unit speed.
 */
import { execFileSync } from 'node:child_process';
import { createPublicKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTokenClient, type TokenClient } from '../../../electron/core/token/client';
import type { RehearsalToken } from '../../../electron/core/token/rehearsal';
import { KEY_ALGORITHMS } from '../../../electron/core/token/types';
import { inProcessSpawner } from '../../helpers/in-process-host';
import { makeToken, tempDir, USER_PIN } from '../../helpers/softhsm';

const tmp = tempDir('keyrite-p11tool-attrs-');
afterAll(() => tmp.cleanup());

const b64u = (s: string | undefined): Buffer => Buffer.from(s ?? '', 'base64url');

interface Listed { kind: string; fields: Map<string, string> }

/** pkcs11-tool -O's listing, one entry per object: its header ("Private Key Object; EC") and its "name: value" lines. */
function parseListing(text: string): Listed[] {
  const out: Listed[] = [];
  for (const line of text.split('\n')) {
    if (/^\S/.test(line)) out.push({ kind: line.trim(), fields: new Map() });
    const m = /^\s+([A-Za-z_ ]+):\s+(.*)$/.exec(line);
    if (m && out.length > 0) out[out.length - 1]!.fields.set(m[1]!.trim(), m[2]!.trim());
  }
  return out;
}

describe('key attributes as pkcs11-tool reads them (SoftHSM2)', () => {
  let token: RehearsalToken;
  let client: TokenClient;
  let session: string;

  const tool = (args: string[]): string =>
    execFileSync('pkcs11-tool', ['--module', token.modulePath, '--token-label', token.label, ...args], { env: { ...process.env, ...token.env }, stdio: ['ignore', 'pipe', 'pipe'] }).toString();
  /** The one object of this class and id; private objects need the PIN, public ones are listed without it. */
  const object = (cls: 'Private' | 'Public', id: string): Listed => {
    const listing = parseListing(tool(cls === 'Private' ? ['--login', '--pin', USER_PIN, '--list-objects'] : ['--list-objects']));
    const found = listing.filter((o) => o.kind.startsWith(`${cls} Key Object`) && o.fields.get('ID') === id);
    expect(found, `${cls} key ${id}`).toHaveLength(1);
    return found[0]!;
  };
  const access = (o: Listed) => (o.fields.get('Access') ?? '').split(', ');

  beforeAll(async () => {
    token = await makeToken(tmp.dir, 'p11tool-attrs');
    client = createTokenClient({ modulePath: token.modulePath, env: token.env, spawner: inProcessSpawner() });
    session = await client.openSession({ label: token.label }, { pin: USER_PIN });
  });
  afterAll(async () => { await client?.close(); });

  KEY_ALGORITHMS.forEach((algorithm, i) => {
    it(`${algorithm}: a ceremony key without backup signs only, is never extractable, and its public key is the SPKI Keyrite reported`, async () => {
      const id = `7a0${i}`;
      const key = await client.generateKeyPair(session, { algorithm, label: `audit-${algorithm}`, id, extractableForBackup: false, finalAttributes: true });
      const priv = object('Private', id);
      expect(priv.fields.get('label')).toBe(`audit-${algorithm}`);
      expect(priv.fields.get('Usage')).toBe('sign');
      expect(access(priv)).toEqual(['sensitive', 'always sensitive', 'never extractable', 'local']);
      const pub = object('Public', id);
      expect(pub.fields.get('label')).toBe(`audit-${algorithm}`);
      expect(pub.fields.get('Usage')).toBe('verify');
      if (algorithm.startsWith('rsa')) {
        const der = path.join(tmp.dir, `${id}.der`);
        tool(['--read-object', '--type', 'pubkey', '--id', id, '-o', der]);
        expect(new Uint8Array(readFileSync(der))).toEqual(key.spki);
      } else {
        // OpenSC 0.23's EC export fails on P-384 ("cannot create EVP_PKEY"): compare the point it lists instead.
        const jwk = createPublicKey({ key: Buffer.from(key.spki), format: 'der', type: 'spki' }).export({ format: 'jwk' });
        const point = algorithm === 'ed25519' ? b64u(jwk.x) : Buffer.concat([Buffer.from([4]), b64u(jwk.x), b64u(jwk.y)]);
        const len = point.length < 0x80 ? [point.length] : [0x81, point.length];
        expect(pub.fields.get('EC_POINT')).toBe(Buffer.concat([Buffer.from([4, ...len]), point]).toString('hex'));
      }
    });
  });

  it('a key made for its backup shows "extractable" until lockKey, and after it neither extractable nor never extractable', async () => {
    const key = await client.generateKeyPair(session, { algorithm: 'ec-p384', label: 'audit-backup', id: '7b01', extractableForBackup: true, finalAttributes: true });
    expect(access(object('Private', '7b01'))).toEqual(['sensitive', 'always sensitive', 'extractable', 'local']);
    await client.lockKey(session, key);
    expect(access(object('Private', '7b01'))).toEqual(['sensitive', 'always sensitive', 'local']);
  });

  it('card keys: RSA decrypts only (its public half encrypts), EC derives only', async () => {
    await client.generateKeyPair(session, { algorithm: 'rsa-3072', label: 'audit-card-rsa', id: '7c01', extractableForBackup: false, usage: 'decrypt' });
    expect(object('Private', '7c01').fields.get('Usage')).toBe('decrypt');
    expect(object('Public', '7c01').fields.get('Usage')).toBe('encrypt');
    await client.generateKeyPair(session, { algorithm: 'ec-p256', label: 'audit-card-ec', id: '7c02', extractableForBackup: false, usage: 'decrypt' });
    expect(object('Private', '7c02').fields.get('Usage')).toBe('derive');
    expect(access(object('Private', '7c02'))).toContain('never extractable');
  });
});
