/**
 * Post-quantum share delivery (#20): the root-keygen template rehearsed through the keyrite CLI with
 * every custodian on delivery age-recipient to their own mlkem768x25519 recipient, under a policy
 * that requires it. Each share file opens with age-encryption and the custodian's identity, and
 * `keyrite recover --age-identity` rebuilds the key from three of them into another token.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { armor, Decrypter, generateHybridIdentity, generateX25519Identity, identityToRecipient } from 'age-encryption';
import { parsePolicy, parseScript, policyIssues } from '../../../electron/core/ceremony/load';
import { readJournalEntries } from '../../../electron/core/ceremony/prior-run';
import { decodeEnvelope } from '../../../electron/core/shares/envelope';
import { parseBackupFile } from '../../../electron/core/shares/backup-file';
import { verifyShareAgainstBackup } from '../../../electron/core/shares/share-input';
import { createRehearsalToken } from '../../../electron/core/token/rehearsal';
import { verifyTranscript } from '../../../electron/core/transcript/verify';
import { keyrite } from '../../helpers/keyrite-cli';
import { tempDir } from '../../helpers/softhsm';
import { TEMPLATES } from './helpers';

const tmp = tempDir('keyrite-age-recipient-');
afterAll(() => tmp.cleanup());

const CUSTODIANS = ['Carol', 'Dan', 'Erin', 'Frank', 'Grace'];
const PIN = '123456';

/** The default policy with post-quantum delivery required for root keys. */
const POLICY = readFileSync(path.join(TEMPLATES, '../policy/default.yaml'), 'utf8')
  .replace('    backupRequired: true\n  intermediate:', '    backupRequired: true\n    shareDelivery: { requirePostQuantum: true }\n  intermediate:');

const INPUTS = `administrator: Alice Admin
pins:
  keyrite-rehearsal: "${PIN}"
airGapOverride: { reason: Test machine on a network. }
attest: all
shareVerification: echo
rehearsalWitnessKeys: all
`;

/** The root-keygen template with each custodian's delivery line replaced. */
function keygenScript(lines: Record<string, string>): string {
  const template = readFileSync(path.join(TEMPLATES, 'root-keygen.yaml'), 'utf8');
  const custodians = CUSTODIANS.map((c) => `    - { name: ${c}, ${lines[c] ?? 'delivery: paper'} }\n`).join('');
  const out = template.replace(/ {4}- \{ name: Carol, delivery: paper \}\n[\s\S]*?- \{ name: Grace, delivery: paper \}\n/, custodians);
  expect(out).not.toBe(template);
  return out;
}

const identities: Record<string, string> = {};
const pqLines: Record<string, string> = {};

beforeAll(async () => {
  for (const c of CUSTODIANS) {
    identities[c] = await generateHybridIdentity();
    pqLines[c] = `delivery: age-recipient, recipient: ${await identityToRecipient(identities[c]!)}`;
  }
});

describe('policy shareDelivery.requirePostQuantum', () => {
  it('refuses paper, passphrase and X25519 deliveries at load, naming each custodian\'s line; all post-quantum passes', async () => {
    const policy = parsePolicy(POLICY).policy;
    expect(policyIssues(parseScript(keygenScript(pqLines)), policy)).toEqual([]);
    const x25519 = await identityToRecipient(await generateX25519Identity());
    const mixed = parseScript(keygenScript({ ...pqLines, Dan: 'delivery: file', Erin: `delivery: age-recipient, recipient: ${x25519}`, Grace: 'delivery: paper' }));
    const issues = policyIssues(mixed, policy).filter((i) => i.code === 'POLICY_SHARE_DELIVERY');
    expect(issues.map((i) => i.path)).toEqual(['backup.custodians[1].delivery', 'backup.custodians[2].recipient', 'backup.custodians[4].delivery']);
    expect(issues[1]?.message).toContain('X25519');
    expect(issues[0]?.message).toContain('age1pq1');
  });

  it('the script refuses an age-recipient custodian without a recipient, or with a damaged one', () => {
    expect(() => parseScript(keygenScript({ ...pqLines, Carol: 'delivery: age-recipient' }))).toThrow(/age-recipient: give Carol's age recipient/);
    const damaged = pqLines.Dan!.replace(/.$/, (ch) => (ch === 'q' ? 'p' : 'q'));
    expect(() => parseScript(keygenScript({ ...pqLines, Dan: damaged }))).toThrow(/damaged/);
    expect(() => parseScript(keygenScript({ ...pqLines, Erin: 'delivery: paper, recipient: age1abc' }))).toThrow(/only used when delivery is token or age-recipient/);
  });
});

describe('a root-keygen rehearsal with every custodian on a post-quantum age recipient', () => {
  const dir = path.join(tmp.dir, 'run');
  const out = path.join(dir, 'out');
  const custody = path.join(dir, 'usb');
  const shareFile = (c: string) => path.join(custody, `root-2026-${c}.keyrite-share.age`);

  beforeAll(async () => {
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, 'keygen.yaml'), keygenScript(pqLines));
    writeFileSync(path.join(dir, 'inputs.yaml'), INPUTS);
    writeFileSync(path.join(dir, 'policy.yaml'), POLICY);
    const r = await keyrite('ceremony', 'run', path.join(dir, 'keygen.yaml'), '--rehearsal', '--out', out, '--inputs', path.join(dir, 'inputs.yaml'),
      '--policy', path.join(dir, 'policy.yaml'), '--custody-dir', custody);
    expect(r.code, r.stdout + r.stderr).toBe(0);
  });

  it('writes each share as an age file with one mlkem768x25519 stanza, bound in the transcript, that the custodian\'s identity opens', async () => {
    const backup = parseBackupFile(readFileSync(path.join(out, 'backup.json'), 'utf8'));
    const entries = readJournalEntries(path.join(out, 'transcript.jsonl'));
    const delivered = entries.filter((e) => e.kind === 'share.delivered').map((e) => e.data as { custodian: string; medium: string; recipientType: string; fileName: string; sha256: string });
    expect(delivered.map((d) => `${d.custodian}:${d.medium}:${d.recipientType}`)).toEqual(CUSTODIANS.map((c) => `${c}:age-recipient:mlkem768x25519`));
    const verified = entries.filter((e) => e.kind === 'share.verified').map((e) => e.data as { custodian: string; ok: boolean; openedBy?: string; method?: string });
    expect(verified.every((v) => v.ok && v.openedBy !== undefined && v.method === undefined)).toBe(true);
    for (const c of CUSTODIANS) {
      const text = readFileSync(shareFile(c), 'utf8');
      expect(text).not.toContain(identities[c]!);
      const bin = armor.decode(text);
      expect(Buffer.from(bin).toString('latin1')).toMatch(/^age-encryption\.org\/v1\n-> mlkem768x25519 \S+\n/);
      const dec = new Decrypter();
      dec.addIdentity(identities[c]!);
      expect(verifyShareAgainstBackup(backup, { envelope: decodeEnvelope(await dec.decrypt(bin)) }).custodian).toBe(c);
      const other = new Decrypter();
      other.addIdentity(identities[c === 'Carol' ? 'Dan' : 'Carol']!);
      await expect(other.decrypt(bin)).rejects.toThrow(/no identity matched/);
    }
    expect((await verifyTranscript(out)).failure).toBeUndefined();
    const v = await keyrite('verify', out, '--policy', path.join(dir, 'policy.yaml'));
    expect(v.code, v.stdout + v.stderr).toBe(0);
  });

  it('keyrite recover takes three age files with their identity files and restores the key into another token', async () => {
    const spare = await createRehearsalToken({ dir: path.join(dir, 'spare'), label: 'spare', pin: PIN });
    const ids = ['Carol', 'Erin', 'Grace'].map((c) => {
      const f = path.join(dir, `${c}.identity.txt`);
      writeFileSync(f, `# ${c}'s identity\n${identities[c]!}\n`, { mode: 0o600 });
      return f;
    });
    const pinFile = path.join(dir, 'pin.txt');
    writeFileSync(pinFile, `${PIN}\n`, { mode: 0o600 });
    const conf = process.env.SOFTHSM2_CONF;
    process.env.SOFTHSM2_CONF = spare.env.SOFTHSM2_CONF;
    try {
      // Dan's file without Dan's identity is refused by name; the three others rebuild the key.
      const r = await keyrite('recover', '--backup', path.join(out, 'backup.json'), '--share', shareFile('Dan'), '--share', shareFile('Carol'), '--share', shareFile('Erin'),
        '--share', shareFile('Grace'), ...ids.flatMap((f) => ['--age-identity', f]), '--module', spare.modulePath, '--token', 'spare', '--pin-file', pinFile);
      expect(r.code, r.stdout + r.stderr).toBe(0);
      expect(r.stdout).toMatch(/refused .*Dan\.keyrite-share\.age: .*\[SHARE_AGE_IDENTITY\]/);
      expect(r.stdout).toMatch(/accepted .*Grace\.keyrite-share\.age: share #5 of Grace/);
      expect(r.stdout).toContain('Restored example-root-2026');
    } finally {
      if (conf === undefined) delete process.env.SOFTHSM2_CONF;
      else process.env.SOFTHSM2_CONF = conf;
    }
  });
});
