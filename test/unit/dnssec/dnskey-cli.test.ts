/** `keyrite dnskey`: a public key's DNSKEY record and DS; a key DNSSEC cannot use is unusable input (exit 2). */
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../../electron/cli/main';
import { keyTag, parseDnskeyRrset } from '../../../electron/core/dnssec/records';

const dir = mkdtempSync(path.join(tmpdir(), 'keyrite-dnskey-cli-'));
function pemFile(name: string, pair: { publicKey: { export(o: { type: 'spki'; format: 'pem' }): string | Buffer } }): string {
  const file = path.join(dir, name);
  writeFileSync(file, pair.publicKey.export({ type: 'spki', format: 'pem' }));
  return file;
}

async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const o = process.stdout.write.bind(process.stdout);
  const e = process.stderr.write.bind(process.stderr);
  process.stdout.write = ((c: string) => { out += c; return true; }) as typeof process.stdout.write;
  process.stderr.write = ((c: string) => { err += c; return true; }) as typeof process.stderr.write;
  try {
    return { code: await main(['dnskey', ...args]), out, err };
  } finally {
    process.stdout.write = o;
    process.stderr.write = e;
  }
}

describe('keyrite dnskey', () => {
  it.each([['ec P-256', 13, () => generateKeyPairSync('ec', { namedCurve: 'P-256' })], ['ed25519', 15, () => generateKeyPairSync('ed25519')]] as const)('prints a %s key as algorithm %i with its tag and DS', async (_n, alg, make) => {
    const r = await run([pemFile(`k${alg}.pem`, make()), '--owner', 'Example.COM.', '--ttl', '86400']);
    expect(r.code, r.err).toBe(0);
    const dnskey = r.out.split('\n').find((l) => l.includes(' DNSKEY '))!;
    const [rec] = parseDnskeyRrset(dnskey);
    expect(rec).toMatchObject({ owner: 'example.com.', ttl: 86400, flags: 257, algorithm: alg });
    expect(r.out).toContain(`; key tag ${keyTag(rec!)}, algorithm ${alg}, flags 257`);
    expect(r.out).toMatch(new RegExp(`example\\.com\\. 86400 IN DS ${keyTag(rec!)} ${alg} 2 [0-9A-F]{64}\\n`));
  });

  it('refuses a P-521 key, a file that is not a key, a relative owner and other flags with exit 2', async () => {
    const p521 = pemFile('p521.pem', generateKeyPairSync('ec', { namedCurve: 'P-521' }));
    const notKey = path.join(dir, 'not-a-key.pem');
    writeFileSync(notKey, 'hello\n');
    const ok = pemFile('ok.pem', generateKeyPairSync('ec', { namedCurve: 'P-384' }));
    expect((await run([p521, '--owner', 'example.com.'])).err).toContain('DNSSEC_ALGORITHM_UNSUPPORTED');
    for (const args of [[p521, '--owner', 'example.com.'], [notKey, '--owner', 'example.com.'], [ok, '--owner', 'example.com'], [ok, '--owner', 'example.com.', '--flags', '1'], [ok]]) {
      const r = await run(args);
      expect(r.code, `${args.join(' ')}: ${r.err}`).toBe(2);
      expect(r.out).toBe('');
    }
  });
});
