import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTokenClient, type TokenClient } from '../../../electron/core/token/client';
import type { GeneratedKeyPair } from '../../../electron/core/token/types';
import { verifySignature } from '../../../electron/core/token/verify';
import { createBackup } from '../../../electron/core/shares/backup';
import { parseBackupFile, serializeBackupFile, verifyBackupFile, type BackupFile } from '../../../electron/core/shares/backup-file';
import { RecoverySession, withRebuiltKey } from '../../../electron/core/shares/recovery';
import { reshare } from '../../../electron/core/shares/reshare';
import { formatShareSheet } from '../../../electron/core/shares/sheet';
import { verifyShareAgainstBackup } from '../../../electron/core/shares/share-input';
import type { ShareEnvelope } from '../../../electron/core/shares/envelope';
import { makeToken, tempDir, USER_PIN } from '../../helpers/softhsm';
import { allFiles, findLeaks } from './helpers';
import { bytesToSymbols } from '../../../electron/core/shares/words';
import { wordlist } from '@scure/bip39/wordlists/english.js';

function encodeShareWordsOfKey(key: Uint8Array): string {
  return bytesToSymbols(key).map((i, n) => `${n + 1}. ${wordlist[i] ?? ''}`).join('\n');
}

const run = promisify(execFile);
const REPO = path.resolve(__dirname, '../../..');
const CUSTODIANS = ['alice', 'bob', 'carol', 'dave', 'erin'];

function subsets(n: number, k: number): number[][] {
  const out: number[][] = [];
  const rec = (start: number, acc: number[]) => {
    if (acc.length === k) return void out.push([...acc]);
    for (let i = start; i < n; i++) rec(i + 1, [...acc, i]);
  };
  rec(0, []);
  return out;
}

describe('backup 3-of-5 on SoftHSM2, recovery into a second token, reshare, OpenSSL-only recovery', () => {
  const tmp = tempDir('keyrite-shares-');
  const ceremonyDir = path.join(tmp.dir, 'ceremony');
  let client: TokenClient;
  let rootSession: string;
  let spareSession: string;
  let root: GeneratedKeyPair;
  let backup: BackupFile;
  let shares: ShareEnvelope[];
  let modulePath: string;
  let env: Record<string, string>;

  beforeAll(async () => {
    const a = await makeToken(tmp.dir, 'root-token');
    await makeToken(tmp.dir, 'spare-token');
    modulePath = a.modulePath;
    env = a.env;
    client = createTokenClient({ modulePath, env });
    rootSession = await client.openSession({ label: 'root-token' }, { pin: USER_PIN });
    spareSession = await client.openSession({ label: 'spare-token' }, { pin: USER_PIN });
    root = await client.generateKeyPair(rootSession, { algorithm: 'ec-p384', label: 'root-2026', id: 'c0ffee01', extractableForBackup: true });
    ({ backup, shares } = await createBackup(client, rootSession, {
      ceremonyId: 'root-keygen-2026-11-28', rootKey: root, algorithm: 'ec-p384', spki: root.spki, k: 3, custodians: CUSTODIANS,
    }));
    mkdirSync(path.join(ceremonyDir, 'shares'), { recursive: true });
    writeFileSync(path.join(ceremonyDir, 'backup.json'), serializeBackupFile(backup));
    shares.forEach((e, i) => writeFileSync(path.join(ceremonyDir, 'shares', `${CUSTODIANS[i]}.txt`), formatShareSheet(e, { custodian: CUSTODIANS[i] ?? '', ceremonyId: backup.sealed.ceremonyId, index: i + 1 })));
  });
  afterAll(async () => {
    await client?.close();
    tmp.cleanup();
  });

  it('writes a signed backup file, and destroys the wrapping key object on the token', async () => {
    const parsed = parseBackupFile(readFileSync(path.join(ceremonyDir, 'backup.json'), 'utf8'));
    expect(verifyBackupFile(parsed).scheme).toBe('ecdsa-sha384');
    expect(parsed.split).toMatchObject({ k: 3, n: 5 });
    expect(parsed.split.shares.map((s) => s.custodian)).toEqual(CUSTODIANS);
    expect(await client.findKeys(rootSession, { class: 'secret' })).toEqual([]);
    const altered = structuredClone(parsed);
    altered.sealed.key.label = 'someone-else';
    expect(() => verifyBackupFile(altered)).toThrow(expect.objectContaining({ code: 'BACKUP_SIGNATURE_INVALID' }));
  });

  it('each custodian\'s share file verifies against the backup and names its custodian', () => {
    for (const name of CUSTODIANS) {
      const text = readFileSync(path.join(ceremonyDir, 'shares', `${name}.txt`), 'utf8');
      expect(verifyShareAgainstBackup(backup, { text }).custodian).toBe(name);
    }
  });

  it('recovers into the second token from every 3-subset, and proves it is the same key', async () => {
    for (const [n, subset] of subsets(5, 3).entries()) {
      const s = new RecoverySession(backup);
      for (const i of subset) s.add({ text: readFileSync(path.join(ceremonyDir, 'shares', `${CUSTODIANS[i]}.txt`), 'utf8') });
      const r = await s.recoverInto(client, spareSession, { label: `restored-${n}`, id: `d0${n.toString(16).padStart(2, '0')}`, extractable: false });
      s.dispose();
      expect(r.proof.scheme).toBe('ecdsa-sha384');
      expect(await client.exportPublicKey(spareSession, r.key)).toEqual(root.spki);
      const data = new TextEncoder().encode(`signed by the key restored from ${subset.join(',')}`);
      expect(verifySignature(root.spki, 'ecdsa-sha384', data, await client.sign(spareSession, r.key, 'ecdsa-sha384', data))).toBe(true);
      await client.destroyObject(spareSession, r.key, 'private');
    }
    // Every recovery destroyed its imported wrapping key.
    expect(await client.findKeys(spareSession, { class: 'secret' })).toEqual([]);
  });

  it('reshares to 2-of-3 with the same key, refuses the void split, and recovers again', async () => {
    const s = new RecoverySession(backup);
    for (const i of [1, 3, 4]) s.add({ envelope: shares[i] as ShareEnvelope });
    const next = await reshare(s, { k: 2, custodians: ['frank', 'grace', 'heidi'], ceremonyId: 'reshare-2026-12-01' });
    s.dispose();
    expect(verifyBackupFile(next.backup).scheme).toBe('ecdsa-sha384');
    expect(next.backup.split.voids.map((v) => v.splitId)).toEqual([backup.split.id]);
    const refused = new RecoverySession(next.backup);
    expect(() => refused.add({ envelope: shares[0] as ShareEnvelope })).toThrow(expect.objectContaining({ code: 'SHARE_SPLIT_VOID' }));
    for (const [n, subset] of subsets(3, 2).entries()) {
      const r2 = new RecoverySession(next.backup);
      for (const i of subset) r2.add({ envelope: next.shares[i] as ShareEnvelope });
      const got = await r2.recoverInto(client, spareSession, { label: `restored-after-reshare-${n}`, id: `e00${n}`, extractable: false });
      r2.dispose();
      expect(await client.exportPublicKey(spareSession, got.key)).toEqual(root.spki);
      await client.destroyObject(spareSession, got.key, 'private');
    }
  });

  // The README's OpenSSL-only recovery recipe runs verbatim in test/integration/shares/readme-recovery.test.ts,
  // on a rehearsal folder of the root-keygen template (its custodians' names and files).

  it('the CLI verifies shares, recovers into a token and reshares', async () => {
    const keyrite = (args: string[]) => run(process.execPath, [path.join(REPO, 'bin', 'keyrite.mjs'), ...args], { cwd: tmp.dir, env: { ...process.env, ...env } })
      .then((r) => ({ code: 0, ...r }), (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }));
    const logs = path.join(tmp.dir, 'cli-logs');
    mkdirSync(logs);
    const log = (name: string, r: { stdout: string; stderr: string }) => writeFileSync(path.join(logs, `${name}.log`), r.stdout + r.stderr);
    const b = path.join(ceremonyDir, 'backup.json');
    const sh = (name: string) => path.join(ceremonyDir, 'shares', `${name}.txt`);

    const v = await keyrite(['shares', 'verify', '--backup', b, '--share', sh('alice'), '--share', sh('erin')]);
    log('verify', v);
    expect(v.code).toBe(0);
    expect(v.stdout).toMatch(/OK .*alice\.txt: share #1 of alice/);
    // The same share given twice counts once: the second is refused by name.
    const copy = path.join(tmp.dir, 'alice-copy.txt');
    writeFileSync(copy, readFileSync(sh('alice')));
    const vd = await keyrite(['shares', 'verify', '--backup', b, '--share', sh('alice'), '--share', copy]);
    log('verify-duplicate', vd);
    expect(vd.code).toBe(1);
    expect(vd.stdout).toMatch(/OK .*alice\.txt: share #1 of alice/);
    expect(vd.stdout).toMatch(/BAD .*alice-copy\.txt: .*share #1 of alice again.*\[SHARE_DUPLICATE\]/);

    const bad = path.join(tmp.dir, 'bad.txt');
    writeFileSync(bad, readFileSync(sh('bob'), 'utf8').replace(/ 7\. (\w+)/, (_m, w: string) => ` 7. ${w === 'zoo' ? 'zone' : 'zoo'}`));
    const vb = await keyrite(['shares', 'verify', '--backup', b, '--share', bad]);
    log('verify-bad', vb);
    expect(vb.code).toBe(1);
    expect(vb.stdout).toContain('Word 7');

    const pinFile = path.join(tmp.dir, 'pin.txt');
    writeFileSync(pinFile, `${USER_PIN}\n`, { mode: 0o600 });
    const rc = await keyrite(['recover', '--backup', b, '--share', sh('carol'), '--share', sh('carol'), '--share', sh('dave'), '--share', sh('bob'),
      '--module', modulePath, '--token', 'spare-token', '--pin-file', pinFile, '--label', 'cli-restored', '--id', 'f00d']);
    log('recover', rc);
    expect(rc.stdout).toContain('SHARE_DUPLICATE');
    expect(rc.code).toBe(0);
    const found = await client.findKeys(spareSession, { label: 'cli-restored', class: 'private' });
    expect(found).toHaveLength(1);

    const out = path.join(tmp.dir, 'reshared');
    const rs = await keyrite(['reshare', '--backup', b, '--share', sh('alice'), '--share', sh('dave'), '--share', sh('erin'), '--k', '2',
      '--custodian', 'frank', '--custodian', 'grace', '--custodian', 'heidi', '--out', out]);
    log('reshare', rs);
    expect(rs.code).toBe(0);
    const nb = parseBackupFile(readFileSync(path.join(out, 'backup.json'), 'utf8'));
    expect(nb.split.voids.map((x) => x.splitId)).toEqual([backup.split.id]);
    const v2 = await keyrite(['shares', 'verify', '--backup', path.join(out, 'backup.json'), '--share', path.join(out, 'shares', 'grace.txt'), '--share', sh('alice')]);
    log('verify-after-reshare', v2);
    expect(v2.code).toBe(1);
    expect(v2.stdout).toMatch(/OK .*grace\.txt/);
    expect(v2.stdout).toContain('SHARE_SPLIT_VOID');
  });

  it('the wrapping key appears in no encoding in the backup files, share files, logs or any file written', async () => {
    const s = new RecoverySession(backup);
    for (const i of [0, 2, 4]) s.add({ envelope: shares[i] as ShareEnvelope });
    const files = allFiles(tmp.dir);
    expect(files.some((f) => f.endsWith('backup.json'))).toBe(true);
    expect(files.filter((f) => f.endsWith('.log')).length).toBeGreaterThanOrEqual(4);
    const { leaks, control } = await withRebuiltKey(s, async (key) => {
      // Control: the scan does find the key when it is there, in each encoding it looks for.
      const ctl = tempDir('keyrite-scan-control-');
      const forms = [Buffer.from(key).toString('hex'), Buffer.from(key).toString('base64'), encodeShareWordsOfKey(key)];
      const ctlFiles = forms.map((f, i) => {
        const p = path.join(ctl.dir, `c${i}.txt`);
        writeFileSync(p, `prefix ${f} suffix`);
        return p;
      });
      const found = ctlFiles.map((f) => findLeaks([f], key).length);
      ctl.cleanup();
      return { leaks: findLeaks(files, key), control: found };
    });
    s.dispose();
    expect(control.every((c) => c > 0)).toBe(true);
    expect(leaks).toEqual([]);
  });
});
