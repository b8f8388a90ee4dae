/**
 * The inventory and USB services main wires (createCoreServices, electron/core/ipc/services.ts), on
 * signed transcripts in a temp data folder and a fake `usb` package (no token): each key with its
 * state, history, quorum, custodians, successor, rotation date and whether a rehearsal made it; a
 * transcript that does not verify listed as a problem and never folded in; the due dates with the
 * shipped policy's lead times (and without a policy, still shown); the USB devices Keyrite knows,
 * and "USB cannot be read" as a typed error saying tokens are still found.
 */
import { createHash, generateKeyPairSync } from 'node:crypto';
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { createCoreServices } from '../../../electron/core/ipc/services';
import { Journal } from '../../../electron/core/transcript/journal';
import { writeCheckpoint } from '../../../electron/core/transcript/checkpoint';
import { generateNoteKey, keyFileSigner } from '../../../electron/core/transcript/note';
import { tempDir } from '../../helpers/softhsm';

const ROOT = path.resolve(__dirname, '../../..');
const tmp = tempDir('keyrite-inventory-service-');
afterAll(() => tmp.cleanup());
const admin = { role: 'administrator', name: 'Ada' };
const sha256 = (b: Uint8Array | string) => createHash('sha256').update(b).digest('hex');
let n = 0;

interface Key { fingerprint: string; spki: Buffer }
const newKey = (): Key => {
  const spki = generateKeyPairSync('ec', { namedCurve: 'P-384' }).publicKey.export({ type: 'spki', format: 'der' });
  return { spki, fingerprint: sha256(spki) };
};

/** A sealed ceremony in `dataDir/name` that generates `key` and records its life. */
async function ceremony(dataDir: string, name: string, key: Key, opts: { rehearsal?: boolean; successorOf?: string; backup?: boolean; lifecycle?: boolean; redoneBackup?: boolean } = {}): Promise<string> {
  const dir = path.join(dataDir, name);
  const id = `${name}-${n++}`;
  const t = generateNoteKey(`keyrite.transcript/${id}`);
  const j = await Journal.create(path.join(dir, 'transcript.jsonl'), { ceremonyId: id });
  await j.append({ kind: 'ceremony.start', step: '-', actor: admin, data: { script: { id: 's', title: name, type: 'root-keygen', sha256: '00'.repeat(32) }, steps: ['a'], transcriptKey: t.verifierKey, transcriptKeySource: 'file', participants: [admin], ...(opts.rehearsal ? { rehearsal: true } : {}) } });
  await j.append({ kind: 'step.start', step: 'a', actor: admin, data: {} });
  await j.append({ kind: 'key.generated', step: 'a', actor: admin, data: { label: name, id: opts.successorOf ? '02' : '01', algorithm: 'ec-p384', spki: key.spki.toString('base64'), fingerprint: key.fingerprint, fingerprintWords: [], proof: {} } });
  if (opts.lifecycle !== false) await j.append({ kind: 'key.lifecycle', step: 'a', actor: admin, data: { keyId: opts.successorOf ? '02' : '01', label: name, fingerprint: key.fingerprint, algorithm: 'ec-p384', class: 'root', state: 'active', reason: 'generated in the ceremony', rotationPeriodDays: 3650, ...(opts.successorOf ? { successorOf: opts.successorOf } : {}) } });
  if (opts.backup !== false) {
    await j.append({ kind: 'backup.created', step: 'a', actor: admin, data: { splitId: `split-${id}`, k: 2, n: 3, keyFingerprint: key.fingerprint, commitments: [], shares: [{ index: 1, custodian: 'Carol', fingerprint: 'aa' }, { index: 2, custodian: 'Dan', fingerprint: 'bb' }, { index: 3, custodian: 'Erin', fingerprint: 'cc' }] } });
  }
  if (opts.redoneBackup) {
    await j.append({ kind: 'backup.created', step: 'a', actor: admin, data: { splitId: `split2-${id}`, k: 3, n: 4, keyFingerprint: key.fingerprint, commitments: [], shares: ['Frank', 'Gina', 'Hal', 'Ivy'].map((custodian, i) => ({ index: i + 1, custodian, fingerprint: 'dd' })) } });
  }
  await j.append({ kind: 'step.result', step: 'a', actor: admin, data: { outcome: 'ok' } });
  await j.append({ kind: 'ceremony.sealed', step: '-', actor: admin, data: { entries: j.size, outcome: 'completed' } });
  await writeCheckpoint(dir, j, [keyFileSigner(t.signerKey)]);
  await j.close();
  return dir;
}

const processWithResources = process as unknown as { resourcesPath?: string };
afterEach(() => { delete processWithResources.resourcesPath; });

/** A packaged app's resources folder: the bundled templates, and a policy file if given. */
function resources(policy?: string): string {
  const dir = path.join(tmp.dir, `resources${n++}`);
  mkdirSync(path.join(dir, 'resources', 'ceremonies'), { recursive: true });
  copyFileSync(path.join(ROOT, 'resources/ceremonies/root-keygen.yaml'), path.join(dir, 'resources', 'ceremonies', 'root-keygen.yaml'));
  if (policy !== undefined) {
    mkdirSync(path.join(dir, 'resources', 'policy'));
    writeFileSync(path.join(dir, 'resources', 'policy', 'default.yaml'), policy);
  }
  return dir;
}

describe('the inventory service', () => {
  it('lists each key from the valid transcripts, with what the inventory screen shows, and the invalid ones as problems', async () => {
    const data = path.join(tmp.dir, `data${n++}`);
    const old = newKey();
    const successor = newKey();
    const t0 = Date.now();
    await ceremony(data, 'root-2026', old);
    await ceremony(data, 'rotate-2027', successor, { rehearsal: true, successorOf: old.fingerprint, backup: false });
    mkdirSync(path.join(data, 'broken'));
    writeFileSync(path.join(data, 'broken', 'transcript.jsonl'), 'not json\n');
    const inv = await createCoreServices({ dataDir: data }).inventory!.list();
    expect(inv.keys.map((k) => k.label).sort()).toEqual(['root-2026', 'rotate-2027']);
    const first = inv.keys.find((k) => k.label === 'root-2026')!;
    const second = inv.keys.find((k) => k.label === 'rotate-2027')!;
    expect(first).toMatchObject({
      id: '01', keyClass: 'root', algorithm: 'ec-p384', state: 'active', fingerprint: old.fingerprint,
      custodians: ['Carol', 'Dan', 'Erin'], quorum: { k: 2, n: 3 }, successor: successor.fingerprint, rehearsal: false,
    });
    expect(first.ceremonies).toHaveLength(1);
    expect(first.history).toEqual([{ state: 'active', date: first.createdAt, ceremony: first.ceremonies[0], reason: 'generated in the ceremony' }]);
    expect(new Date(first.createdAt).getTime()).toBeGreaterThanOrEqual(t0 - 1000);
    expect(new Date(first.rotationDue!).getTime() - new Date(first.createdAt).getTime()).toBe(3650 * 86_400_000);
    // Made in a rehearsal: said so on the key; no backup: no quorum; no successor of its own.
    expect(second).toMatchObject({ id: '02', rehearsal: true });
    expect(second).not.toHaveProperty('quorum');
    expect(second).not.toHaveProperty('successor');
    expect(inv.problems).toEqual([{
      dir: path.join(path.resolve(data), 'broken'),
      error: { code: 'TRANSCRIPT_INVALID', message: expect.stringMatching(/^[A-Z_]+: .+/), action: 'Open it in the audit screen to see why.' },
    }]);
    // Rotation dates owed by the live keys, soonest first.
    expect(inv.due!.map((d) => [d.kind, d.keyLabel, d.status])).toEqual([['rotation', 'root-2026', 'upcoming'], ['rotation', 'rotate-2027', 'upcoming']]);
  });

  it('gives the quorum of the current backup, not of one it replaced', async () => {
    const data = path.join(tmp.dir, `data${n++}`);
    await ceremony(data, 'root-2026', newKey(), { redoneBackup: true });
    const [key] = (await createCoreServices({ dataDir: data }).inventory!.list()).keys;
    expect(key).toMatchObject({ quorum: { k: 3, n: 4 }, custodians: ['Frank', 'Gina', 'Hal', 'Ivy'] });
  });

  it('a key with no recorded life yet: no creation date, no rotation date, not yet active', async () => {
    const data = path.join(tmp.dir, `data${n++}`);
    await ceremony(data, 'root-2026', newKey(), { lifecycle: false, backup: false });
    const inv = await createCoreServices({ dataDir: data }).inventory!.list();
    expect(inv.keys).toHaveLength(1);
    expect(inv.keys[0]).toMatchObject({ createdAt: '', history: [], state: 'pre-activation', keyClass: 'unknown' });
    expect(inv.keys[0]).not.toHaveProperty('rotationDue');
    expect(inv.due).toEqual([]);
  });

  it('marks a key a rehearsal key when any ceremony that touched it was a rehearsal', async () => {
    const data = path.join(tmp.dir, `data${n++}`);
    const key = newKey();
    await ceremony(data, 'root-2026', key);
    await ceremony(data, 'root-2026-rehearsal', key, { rehearsal: true });
    const [only, ...rest] = (await createCoreServices({ dataDir: data }).inventory!.list()).keys;
    expect(rest).toEqual([]);
    expect(only!.ceremonies).toHaveLength(2);
    expect(only!.rehearsal).toBe(true);
  });

  it('an empty data folder has no keys, no problems and nothing due', async () => {
    const data = path.join(tmp.dir, `empty${n++}`);
    mkdirSync(data);
    expect(await createCoreServices({ dataDir: data }).inventory!.list()).toEqual({ keys: [], problems: [], due: [] });
  });

  it('takes the share check-up dates from the shipped policy, and still shows the other dates without one', async () => {
    const data = path.join(tmp.dir, `data${n++}`);
    await ceremony(data, 'root-2026', newKey());
    const shipped = await import('node:fs').then((fs) => fs.readFileSync(path.join(ROOT, 'resources/policy/default.yaml'), 'utf8'));
    processWithResources.resourcesPath = resources(shipped.replace('    rotationPeriodDays: 3650\n', '    rotationPeriodDays: 3650\n    checkUpDays: 30\n'));
    const withPolicy = await createCoreServices({ dataDir: data }).inventory!.list();
    expect(withPolicy.due!.filter((d) => d.kind === 'share-check-up').map((d) => d.what)).toEqual([
      expect.stringMatching(/^Carol's share check-up \(every 30 days;/), expect.stringMatching(/^Dan's share check-up \(every 30 days;/), expect.stringMatching(/^Erin's share check-up \(every 30 days;/),
    ]);
    processWithResources.resourcesPath = resources();
    const without = await createCoreServices({ dataDir: data }).inventory!.list();
    expect(without.due!.map((d) => d.kind)).toEqual(['rotation']);
  });
});

describe('the USB service', () => {
  it('lists the key devices the package sees, by bus location (or ids when it has none), and leaves other devices out', async () => {
    const usb = createCoreServices({
      dataDir: tmp.dir,
      usbLoader: async () => ({
        getDevices: async () => [
          { vendorId: 0x1050, productId: 0x0030, serialNumber: '0012345', bus: '1-2' },
          { vendorId: 0x20a0, productId: 0x4230, serialNumber: 'DENK01' },
          { vendorId: 0x20a0, productId: 0x42b2 },
          { vendorId: 0x046d, productId: 0xc077 },
        ],
        addEventListener: () => undefined, removeEventListener: () => undefined,
      }),
    }).usb!;
    expect(await usb.list()).toEqual([
      { id: '1-2', vendorId: 0x1050, productId: 0x0030, name: 'YubiHSM 2', vendor: 'Yubico', kind: 'hsm', known: true },
      { id: `${0x20a0}:${0x4230}:DENK01`, vendorId: 0x20a0, productId: 0x4230, name: 'Nitrokey HSM 2', vendor: 'Nitrokey', kind: 'hsm', known: true },
      { id: `${0x20a0}:${0x42b2}:`, vendorId: 0x20a0, productId: 0x42b2, name: 'Nitrokey 3', vendor: 'Nitrokey', kind: 'security-key', known: true },
    ]);
  });

  it('refuses with USB_UNAVAILABLE, saying why and that tokens are still found, when USB cannot be read', async () => {
    const usb = createCoreServices({ dataDir: tmp.dir, usbLoader: async () => { throw new Error('no /sys/bus/usb'); } }).usb!;
    await expect(usb.list()).rejects.toMatchObject({
      code: 'USB_UNAVAILABLE', message: expect.stringContaining('no /sys/bus/usb'), action: 'Tokens are still found through their PKCS#11 modules.',
    });
  });
});
