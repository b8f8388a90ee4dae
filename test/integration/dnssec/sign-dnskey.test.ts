/**
 * sign-dnskey in rehearsal, after a root-keygen rehearsal (the template's EC P-384, DNSSEC
 * algorithm 14, and the same with P-256, RSA-4096 and Ed25519 for 13, 8 and 15): the
 * signed RRset and DS pass ldns-verify-zone and dnssec-dsfromkey, the transcript binds both files,
 * and a set whose KSK is not the ceremony's key is refused before anything is signed.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runHeadless } from '../../../electron/core/ceremony/headless';
import { verifyTranscript } from '../../../electron/core/transcript/verify';
import { pemToSpki } from '../../../electron/core/token/verify';
import { dnskeyPublicKey } from '../../../electron/core/dnssec/rrsig';
import { dnskeySignedProblem } from '../../../electron/core/dnssec/file-check';
import { buildInventory } from '../../../electron/core/lifecycle/inventory';
import { tempDir } from '../../helpers/softhsm';
import { dsFromKey, ldnsVerifyZone, makeZsk, signedZone, tamperRrsig } from '../../helpers/dnssec-zone';
import { captureIo, ROOT, TEMPLATES } from '../ceremony/helpers';

const tmp = tempDir('keyrite-sign-dnskey-');
afterAll(() => tmp.cleanup());
const outIn = (base: string) => (name: string) => path.join(base, name);
const ORIGIN = 'example.test.';
const ZSK_WINDOW = { inception: new Date('2027-01-01T00:00:00Z'), expiration: new Date('2027-02-11T00:00:00Z') };

async function rehearse(out: (n: string) => string, name: string, script: string, from?: string) {
  const io = captureIo();
  await runHeadless({ scriptFile: script, outDir: out(name), rehearsal: true, io, policyFile: POLICY, inputsFile: path.join(TEMPLATES, `${path.basename(script, '.yaml')}.rehearsal.yaml`), ...(from ? { from } : {}) });
  return io;
}

const entries = (dir: string) => readFileSync(path.join(dir, 'transcript.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { seq: number; kind: string; data: Record<string, unknown> });

/**
 * The default policy with every DNSSEC algorithm allowed for root keys (it allows ec-p384, ec-p521,
 * rsa-4096), and a root without backup allowed: SoftHSM2 cannot wrap an Ed25519 key.
 */
const POLICY = path.join(tmp.dir, 'policy.yaml');
writeFileSync(POLICY, readFileSync(path.join(ROOT, 'resources/policy/default.yaml'), 'utf8')
  .replace('algorithms: [ec-p384, ec-p521, rsa-4096]', 'algorithms: [ec-p256, ec-p384, ec-p521, rsa-4096, ed25519]')
  .replace(/(root:[\s\S]*?backupRequired: )true/, '$1false'));

/** A key of the same kind that is not the ceremony's. */
function otherSpki(alg: number): Uint8Array {
  const pair = alg === 8 ? generateKeyPairSync('rsa', { modulusLength: 2048 }) : alg === 15 ? generateKeyPairSync('ed25519') : generateKeyPairSync('ec', { namedCurve: alg === 13 ? 'P-256' : 'P-384' });
  return new Uint8Array(pair.publicKey.export({ type: 'spki', format: 'der' }));
}

/** The template with the key algorithm changed, in `dir` (beside its inputs). */
function templateWith(dir: string, name: string, keyAlgorithm: string): string {
  const file = path.join(dir, `${name}.yaml`);
  let text = readFileSync(path.join(TEMPLATES, `${name}.yaml`), 'utf8').replace('algorithm: ec-p384', `algorithm: ${keyAlgorithm}`);
  // Ed25519 on SoftHSM2: no backup section and no backup step (the token cannot wrap the key).
  if (keyAlgorithm === 'ed25519') text = text.replace(/\nbackup:\n[\s\S]*?\n(?=certificate:)/, '\n').replace(/\n {2}- id: backup\n[\s\S]*?(?=\n {2}- id: seal)/, '');
  // The root certificate's profile: the CA/B Forum rules pair P-256 with SHA-256 and allow no Ed25519 CA (a DNSSEC-only key uses the private profile).
  if (keyAlgorithm === 'ec-p256') text = text.replace('signature: sha384', 'signature: sha256');
  if (keyAlgorithm === 'ed25519') text = text.replace('\ncertificate:\n', '\ncertificate:\n  profile: private\n');
  writeFileSync(file, text);
  return file;
}

describe.each([['ed25519', 15], ['ec-p384', 14], ['ec-p256', 13], ['rsa-4096', 8]] as const)('sign-dnskey rehearsal (%s, DNSSEC algorithm %i) --from a root-keygen rehearsal', (keyAlgorithm, alg) => {
  const out = outIn(path.join(tmp.dir, keyAlgorithm));
  let root: string;
  let work: string;
  let zsk: ReturnType<typeof makeZsk>;
  let signedFile: string;
  let cliOut: string;
  beforeAll(async () => {
    work = out('work');
    mkdirSync(work, { recursive: true });
    await rehearse(out, 'root', templateWith(work, 'root-keygen', keyAlgorithm));
    root = out('root');
    // The DNSKEY file agreed before the day: the root key's record as KSK (from `keyrite dnskey`), and a software ZSK.
    cliOut = execFileSync('node', [path.join(ROOT, 'bin/keyrite.mjs'), 'dnskey', path.join(root, 'public-key.pem'), '--owner', ORIGIN], { encoding: 'utf8' });
    const kskLine = cliOut.split('\n').find((l) => /\sDNSKEY\s/.test(l))!;
    zsk = makeZsk(work, ORIGIN, 3600);
    writeFileSync(path.join(work, 'sign-dnskey.dnskey.txt'), `${kskLine}\n${zsk.dnskeyLine}\n`);
    await rehearse(out, 'sign', templateWith(work, 'sign-dnskey', keyAlgorithm), root);
    signedFile = path.join(out('sign'), 'dnskey.signed');
  });

  it('ldns-verify-zone accepts the zone with only one KSK RRSIG on the DNSKEY RRset, for each window at a time inside it, with Keyrite\'s DS as the trust anchor; a changed RRSIG byte is rejected', () => {
    const signed = readFileSync(signedFile, 'utf8').split('\n').filter((l) => l && !l.startsWith(';'));
    const rrsigs = signed.filter((l) => /\sRRSIG\s/.test(l));
    expect(rrsigs).toHaveLength(3);
    const dnskeys = signed.filter((l) => /\sDNSKEY\s/.test(l) && !/\sRRSIG\s/.test(l)).join('\n');
    const ds = path.join(out('sign'), 'ds.txt');
    // A time inside each window (and, for the first two, outside the next one's).
    ['20270105000000', '20270115000000', '20270205000000'].forEach((at, i) => {
      const zone = signedZone(work, ORIGIN, dnskeys, zsk.base, [rrsigs[i]!], ZSK_WINDOW);
      const good = ldnsVerifyZone(zone, ds, at);
      expect(good.ok, good.output).toBe(true);
      tamperRrsig(zone, rrsigs[i]!);
      const bad = ldnsVerifyZone(zone, ds, at);
      expect(bad.ok, bad.output).toBe(false);
    });
  });

  it('a signature read outside its window is refused by ldns-verify-zone (the windows are the ones the script gave)', () => {
    const signed = readFileSync(signedFile, 'utf8').split('\n').filter((l) => l && !l.startsWith(';'));
    const rrsigs = signed.filter((l) => /\sRRSIG\s/.test(l));
    const zone = signedZone(work, ORIGIN, signed.filter((l) => /\sDNSKEY\s/.test(l) && !/\sRRSIG\s/.test(l)).join('\n'), zsk.base, [rrsigs[0]!], ZSK_WINDOW);
    expect(ldnsVerifyZone(zone, path.join(out('sign'), 'ds.txt'), '20270125000000').ok).toBe(false);
  });

  it('keyrite dnskey printed the DNSKEY record of the root key with the algorithm of its kind, and the same DS the ceremony wrote', () => {
    const spki = pemToSpki(readFileSync(path.join(root, 'public-key.pem'), 'utf8'));
    expect(cliOut).toContain(`${ORIGIN} 3600 IN DNSKEY 257 3 ${alg} ${Buffer.from(dnskeyPublicKey(spki, alg)).toString('base64')}\n`);
    expect(cliOut).toContain(readFileSync(path.join(out('sign'), 'ds.txt'), 'utf8'));
  });

  it('ds.txt and the key tag equal dnssec-dsfromkey\'s for the signed KSK', () => {
    const ds = readFileSync(path.join(out('sign'), 'ds.txt'), 'utf8').trim().split(/\s+/);
    expect(ds.slice(0, 4)).toEqual([ORIGIN, '3600', 'IN', 'DS']);
    const bind = dsFromKey(signedFile, ORIGIN);
    expect(bind).toContain(ds.slice(4).join(' '));
    const j = entries(out('sign')).find((e) => e.kind === 'dnskey.signed')!;
    expect(j.data.keyTag).toBe(Number(ds[4]));
  });

  it('the transcript journals what was signed and binds dnskey.signed and ds.txt: a changed ds.txt fails keyrite verify', async () => {
    const j = entries(out('sign')).find((e) => e.kind === 'dnskey.signed')!;
    expect(j.data).toMatchObject({ owner: ORIGIN, algorithm: alg, windows: [
      { inception: '20270101000000', expiration: '20270122000000' }, { inception: '20270111000000', expiration: '20270201000000' }, { inception: '20270121000000', expiration: '20270211000000' },
    ] });
    expect(j.data.rrsetSha256).toMatch(/^[0-9a-f]{64}$/);
    expect((j.data.keys as { role: string; ceremonyKey: boolean }[]).map((k) => [k.role, k.ceremonyKey])).toEqual([['KSK', true], ['ZSK', false]]);
    const published = entries(out('sign')).filter((e) => e.kind === 'file.published').map((e) => e.data.file);
    expect(published).toEqual(expect.arrayContaining(['dnskey.signed', 'ds.txt']));
    const status = (r: Awaited<ReturnType<typeof verifyTranscript>>, f: string) => (r as { files?: { file: string; status: string }[] }).files?.find((x) => x.file === f)?.status;
    const before = await verifyTranscript(out('sign'));
    expect(before.valid, JSON.stringify(before.failure)).toBe(true);
    expect([status(before, 'dnskey.signed'), status(before, 'ds.txt')]).toEqual(['bound', 'bound']);
    const detail = (before as { files?: { file: string; detail: string }[] }).files?.find((x) => x.file === 'dnskey.signed')?.detail;
    expect(detail).toMatch(/content matches .*dnskey\.signed/);
    const dsFile = path.join(out('sign'), 'ds.txt');
    const original = readFileSync(dsFile);
    writeFileSync(dsFile, readFileSync(dsFile, 'utf8').replace(/ 2 ([0-9A-F])/, (_m, c: string) => ` 2 ${c === 'A' ? 'B' : 'A'}`));
    const after = await verifyTranscript(out('sign'));
    expect(status(after, 'ds.txt')).toBe('changed');
    writeFileSync(dsFile, original);
  });

  it('keyrite verify\'s content check of dnskey.signed: every RRSIG verifies with the recorded key over the RRset journaled', () => {
    const text = readFileSync(signedFile, 'utf8');
    const spki = pemToSpki(readFileSync(path.join(root, 'public-key.pem'), 'utf8'));
    const j = entries(out('sign')).find((e) => e.kind === 'dnskey.signed')!;
    const hash = String(j.data.rrsetSha256);
    expect(dnskeySignedProblem(text, hash, spki)).toBeUndefined();
    const rrsig = text.split('\n').find((l) => /\sRRSIG\s/.test(l))!;
    const parts = rrsig.split(' ');
    const sig = Buffer.from(parts[parts.length - 1]!, 'base64');
    sig[3] = sig[3]! ^ 0x40;
    expect(dnskeySignedProblem(text.replace(rrsig, [...parts.slice(0, -1), sig.toString('base64')].join(' ')), hash, spki)).toMatch(/not a valid signature/);
    expect(dnskeySignedProblem(`${text}${zsk.dnskeyLine.replace('256 3 13', '256 3 14')}\n`, hash, spki)).toMatch(/not the one signed/);
    expect(dnskeySignedProblem(text, hash, otherSpki(alg))).toMatch(/not a valid signature/);
  });

  it('keyrite verify reports the RRset signed (owner, hash, key tag, windows) in its key facts', () => {
    const j = entries(out('sign')).find((e) => e.kind === 'dnskey.signed')!;
    const r = spawnSync('node', [path.join(ROOT, 'bin/keyrite.mjs'), 'verify', out('sign')], { encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain(`DNSKEY RRset ${ORIGIN} sha256 ${String(j.data.rrsetSha256)} signed by key tag ${String(j.data.keyTag)} (algorithm ${alg}) for 20270101000000-20270122000000, 20270111000000-20270201000000, 20270121000000-20270211000000 (entry ${j.seq})`);
  });

  it('keyrite inventory lists the RRset the key signed (owner, hash, key tag, windows)', async () => {
    const inv = await buildInventory(path.join(tmp.dir, keyAlgorithm));
    const j = entries(out('sign')).find((e) => e.kind === 'dnskey.signed')!;
    const signed = inv.keys.flatMap((k) => k.signed.map((x) => x.what));
    expect(signed).toContain(`DNSKEY RRset of ${ORIGIN} (SHA-256 ${String(j.data.rrsetSha256)}), key tag ${String(j.data.keyTag)}, 3 RRSIG window(s)`);
  });

  it('a DNSKEY set whose KSK is not the ceremony\'s key is refused before anything is signed', async () => {
    // The template's own file names another (P-384) KSK.
    const io = captureIo();
    const script = path.join(out('refused-script'), 'sign-dnskey.yaml');
    mkdirSync(path.dirname(script), { recursive: true });
    copyFileSync(path.join(TEMPLATES, 'sign-dnskey.dnskey.txt'), path.join(path.dirname(script), 'sign-dnskey.dnskey.txt'));
    writeFileSync(script, readFileSync(templateWith(work, 'sign-dnskey', keyAlgorithm), 'utf8'));
    const run = runHeadless({ scriptFile: script, outDir: out('refused'), rehearsal: true, io, from: root, policyFile: POLICY, inputsFile: path.join(TEMPLATES, 'sign-dnskey.rehearsal.yaml') });
    await expect(run).rejects.toMatchObject({ code: 'DNSKEY_KSK_NOT_CEREMONY_KEY' });
    expect(existsSync(path.join(out('refused'), 'dnskey.signed'))).toBe(false);
    expect(existsSync(path.join(out('refused'), 'ds.txt'))).toBe(false);
  });
});
