/**
 * sign-tuf-root rehearsals through the keyrite command on SoftHSM2, after a root-keygen rehearsal:
 * a first root (version 1) signed on the token with an imported signature, then its rotation to
 * version 2 (a key added to the root role). tuf-js takes version 2 as the next trusted root; with
 * the imported signature left out the thresholds are not met (reported) and tuf-js refuses it; a
 * signature over other bytes is refused before anything is signed; the change summary is journaled
 * and shown to the room, which confirms it (step.reviewed), before the signatures; a resumed run asks
 * again without journaling it twice; `keyrite verify` reports what was signed and binds root.json.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Metadata, MetadataKind } from '@tufjs/models';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canonicalSha256, type JsonObject } from '../../../electron/core/tuf/canonical';
import { tufKeyFromSpki } from '../../../electron/core/tuf/keys';
import { pemToSpki } from '../../../electron/core/token/verify';
import { rootMetadata, softKey, tufSign, type KeyEntry } from '../../fixtures/tuf/roots';
import { tufJsUpdate } from '../../fixtures/tuf/tuf-js-client';
import { keyrite } from '../../helpers/keyrite-cli';
import { tempDir } from '../../helpers/softhsm';
import { TEMPLATES } from '../ceremony/helpers';

const tmp = tempDir('keyrite-tuf-ceremony-');
afterAll(() => tmp.cleanup());
const dir = (name: string): string => path.join(tmp.dir, name);

const online = softKey('p256');
/** A root key held elsewhere (its signatures are imported), and a key the rotation adds. */
const offline = softKey('p384');
const added = softKey('ed25519');

type Entry = { seq: number; kind: string; step: string; data: Record<string, unknown> };
const journal = (out: string): Entry[] => readFileSync(path.join(out, 'transcript.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Entry);

/** The template in its own folder with these tuf inputs (files written beside it), run --from the root rehearsal. */
async function ceremony(name: string, files: Record<string, string>, tuf: { root: string; previousRoot?: string; importSignatures: string[] }) {
  const work = dir(`${name}-work`);
  mkdirSync(work, { recursive: true });
  for (const [f, text] of Object.entries(files)) writeFileSync(path.join(work, f), text);
  const section = `tuf:\n  root: ${tuf.root}\n${tuf.previousRoot ? `  previousRoot: ${tuf.previousRoot}\n` : ''}  importSignatures: [${tuf.importSignatures.join(', ')}]\n`;
  writeFileSync(path.join(work, 'sign-tuf-root.yaml'), readFileSync(path.join(TEMPLATES, 'sign-tuf-root.yaml'), 'utf8').replace(/\ntuf:\n[\s\S]*?\n(?=steps:)/, `\n${section}`));
  writeFileSync(path.join(work, 'sign-tuf-root.rehearsal.yaml'), readFileSync(path.join(TEMPLATES, 'sign-tuf-root.rehearsal.yaml')));
  const r = await keyrite('ceremony', 'run', path.join(work, 'sign-tuf-root.yaml'), '--rehearsal', '--from', dir('root'), '--out', dir(name));
  return { ...r, out: dir(name) };
}

let ceremonyKey: KeyEntry;
let v1Signed: string;
let v2: { signatures: unknown[]; signed: JsonObject };

beforeAll(async () => {
  const root = await keyrite('ceremony', 'run', path.join(TEMPLATES, 'root-keygen.yaml'), '--rehearsal', '--out', dir('root'));
  expect(root.code, root.stdout + root.stderr).toBe(0);
  ceremonyKey = tufKeyFromSpki(pemToSpki(readFileSync(path.join(dir('root'), 'public-key.pem'), 'utf8')));
  // Version 1: the ceremony key and the offline key, 2 of 2; signed in a first-root ceremony.
  const v1 = rootMetadata({ version: 1, rootKeys: [ceremonyKey, offline], threshold: 2, online });
  const first = await ceremony('v1', { 'v1.json': JSON.stringify(v1), 'offline-v1.json': JSON.stringify(tufSign(offline, v1.signed)) }, { root: 'v1.json', importSignatures: ['offline-v1.json'] });
  expect(first.code, first.stdout + first.stderr).toBe(0);
  v1Signed = readFileSync(path.join(first.out, 'root.json'), 'utf8');
  // Version 2 adds a key to the root role, 2 of 3.
  v2 = rootMetadata({ version: 2, rootKeys: [ceremonyKey, offline, added], threshold: 2, online, expires: '2037-01-01T00:00:00Z' });
}, 120_000);

describe('a TUF root rotation signed in a sign-tuf-root rehearsal', () => {
  let run: Awaited<ReturnType<typeof ceremony>>;
  beforeAll(async () => {
    // The offline signer's copy of root.json: their signature, and an empty place kept for the ceremony key.
    const copy = { signatures: [tufSign(offline, v2.signed), { keyid: ceremonyKey.keyid, sig: '' }], signed: v2.signed };
    run = await ceremony('v2', { 'v1.json': v1Signed, 'v2.json': JSON.stringify(v2), 'offline-copy.json': JSON.stringify(copy) }, { root: 'v2.json', previousRoot: 'v1.json', importSignatures: ['offline-copy.json'] });
    expect(run.code, run.stdout + run.stderr).toBe(0);
  }, 120_000);

  it('the first root carries the token\'s and the imported signature and verifies with @tufjs/models against itself', () => {
    const md = Metadata.fromJSON(MetadataKind.Root, JSON.parse(v1Signed));
    expect(() => md.verifyDelegate('root', md)).not.toThrow();
  });

  it('tuf-js takes the new root: it verifies with the previous root\'s threshold and its own (Updater root rotation)', async () => {
    const signed = readFileSync(path.join(run.out, 'root.json'), 'utf8');
    const md = Metadata.fromJSON(MetadataKind.Root, JSON.parse(signed));
    expect(() => Metadata.fromJSON(MetadataKind.Root, JSON.parse(v1Signed)).verifyDelegate('root', md)).not.toThrow();
    expect(() => md.verifyDelegate('root', md)).not.toThrow();
    expect(await tufJsUpdate(v1Signed, [signed], online)).toEqual({ ok: true, trustedVersion: 2 });
  });

  it('journals the change summary and the SHA-256 of what is signed before the signatures, and shows it', () => {
    const entries = journal(run.out);
    const changes = entries.find((e) => e.kind === 'tuf.root-changes')!;
    const signed = entries.find((e) => e.kind === 'tuf.root-signed')!;
    const published = entries.find((e) => e.kind === 'file.published' && e.data.file === 'root.json')!;
    expect(changes.seq).toBeLessThan(published.seq);
    expect(published.seq).toBeLessThan(signed.seq);
    const sha = canonicalSha256(v2.signed);
    expect(changes.data).toMatchObject({ version: 2, previousVersion: 1, signedSha256: sha });
    const summary = changes.data.summary as string[];
    expect(summary).toEqual(expect.arrayContaining(['version 1 -> 2', `role root: +${added.keyid}`, `signed part sha256 ${sha}`]));
    expect(summary.some((l) => l.startsWith(`key added ${added.keyid}`))).toBe(true);
    expect(summary.some((l) => l.startsWith('expires 2036-01-01T00:00:00Z -> 2037-01-01T00:00:00Z'))).toBe(true);
    for (const line of summary) expect(run.stdout).toContain(line);
    expect(signed.data).toMatchObject({
      version: 2, signedSha256: sha, file: 'root.json',
      threshold: { met: true, previous: { met: true, threshold: 2, needed: 0 }, new: { met: true, threshold: 2, needed: 0 }, invalid: [] },
    });
    const sigs = signed.data.signatures as { keyid: string; sig: string; source: string; file?: string }[];
    expect(sigs.map((s) => [s.keyid, s.source, s.file])).toEqual([[ceremonyKey.keyid, 'token', undefined], [offline.keyid, 'import', 'offline-copy.json']]);
    const inFile = (JSON.parse(readFileSync(path.join(run.out, 'root.json'), 'utf8')) as { signatures: { keyid: string; sig: string }[] }).signatures;
    expect(inFile).toEqual(sigs.map(({ keyid, sig }) => ({ keyid, sig })));
  });

  it('puts the changes to the room before anything is signed: shown before the signing output, journaled before the confirmation and the signature', () => {
    const entries = journal(run.out);
    const changes = entries.filter((e) => e.kind === 'tuf.root-changes');
    expect(changes).toHaveLength(1);
    const reviewed = entries.filter((e) => e.kind === 'step.reviewed');
    expect(reviewed).toHaveLength(1);
    const published = entries.find((e) => e.kind === 'file.published' && e.data.file === 'root.json')!;
    const signed = entries.find((e) => e.kind === 'tuf.root-signed')!;
    expect(changes[0]!.seq).toBeLessThan(reviewed[0]!.seq);
    expect(reviewed[0]!.seq).toBeLessThan(published.seq);
    expect(reviewed[0]!.seq).toBeLessThan(signed.seq);
    expect(reviewed[0]!.data).toMatchObject({ confirmedBy: 'Alice Admin', signedSha256: canonicalSha256(v2.signed) });
    const signingOutput = run.stdout.indexOf('Signed on the token');
    expect(signingOutput).toBeGreaterThan(0);
    const shown = run.stdout.indexOf('Check what root.json version 2 changes before the token signs it:');
    expect(shown).toBeGreaterThan(0);
    expect(shown).toBeLessThan(signingOutput);
    expect(run.stdout.indexOf(`Signed part SHA-256: ${canonicalSha256(v2.signed)}`)).toBeGreaterThan(shown);
    expect(run.stdout).toContain('Version: 1 → 2');
    for (const line of changes[0]!.data.summary as string[]) {
      const at = run.stdout.indexOf(`Change: ${line}`);
      expect(at, line).toBeGreaterThan(shown);
      expect(at, line).toBeLessThan(signingOutput);
    }
  });

  it('keyrite verify reports what was signed and its thresholds (VALID), and a changed root.json is INVALID', async () => {
    const ok = await keyrite('verify', run.out);
    expect(ok.code, ok.stdout + ok.stderr).toBe(0);
    expect(ok.stdout).toContain('VALID');
    expect(ok.stdout).toContain(`TUF root    version 2 signed part sha256 ${canonicalSha256(v2.signed)}; 2 signature(s) added; thresholds previous root v1 2/2 met, new root v2 2/2 met`);
    expect(ok.stdout).toMatch(/bound\s+root\.json\s+SHA-256 matches entry \d+ \(file\.published\); content matches entry \d+ \(tuf\.root-signed\)/);
    const file = path.join(run.out, 'root.json');
    const original = readFileSync(file);
    const meta = JSON.parse(original.toString('utf8')) as { signatures: unknown[] };
    writeFileSync(file, `${JSON.stringify({ ...meta, signatures: meta.signatures.slice(0, 1) }, null, 2)}\n`);
    const bad = await keyrite('verify', run.out);
    writeFileSync(file, original);
    expect(bad.code).not.toBe(0);
    expect(bad.stdout).toMatch(/INVALID\s+\[FILE_CHANGED\] at file root\.json/);
    expect(bad.stdout).toMatch(/CHANGED\s+root\.json/);
  });
});

describe('what a sign-tuf-root rehearsal refuses or reports', () => {
  it('with the imported signature left out, the thresholds are not met: reported in the transcript, the output and keyrite verify, and tuf-js refuses the root', async () => {
    const run = await ceremony('missing', { 'v1.json': v1Signed, 'v2.json': JSON.stringify(v2) }, { root: 'v2.json', previousRoot: 'v1.json', importSignatures: [] });
    expect(run.code, run.stdout + run.stderr).toBe(0);
    const signed = journal(run.out).find((e) => e.kind === 'tuf.root-signed')!;
    expect(signed.data.threshold).toMatchObject({ met: false, previous: { met: false, needed: 1 }, new: { met: false, needed: 1 } });
    expect(run.stdout).toMatch(/Threshold, previous root \(version 1\): NOT met: 1 of 2 signature\(s\), 1 more needed/);
    expect(run.stdout).toContain('TUF clients accept it: NOT YET');
    const v = await keyrite('verify', run.out);
    expect(v.code).toBe(0);
    expect(v.stdout).toContain('thresholds previous root v1 1/2 NOT met, new root v2 1/2 NOT met (clients refuse it');
    const outcome = await tufJsUpdate(v1Signed, [readFileSync(path.join(run.out, 'root.json'), 'utf8')], online);
    expect(outcome).toMatchObject({ ok: false, trustedVersion: 1 });
  }, 120_000);

  it('an imported signature over other bytes is refused, naming the file and the key, and nothing is signed or published', async () => {
    const other = { ...v2.signed, expires: '2038-01-01T00:00:00Z' };
    const run = await ceremony('bad-import', { 'v1.json': v1Signed, 'v2.json': JSON.stringify(v2), 'offline-sig.json': JSON.stringify(tufSign(offline, other)) },
      { root: 'v2.json', previousRoot: 'v1.json', importSignatures: ['offline-sig.json'] });
    expect(run.code).not.toBe(0);
    const text = run.stdout + run.stderr;
    expect(text).toContain('TUF_SIGNATURE_INVALID');
    expect(text).toContain('offline-sig.json');
    expect(text).toContain(offline.keyid);
    const kinds = journal(run.out).map((e) => e.kind);
    expect(kinds).toContain('tuf.root-changes');
    expect(kinds).not.toContain('tuf.root-signed');
    expect(journal(run.out).some((e) => e.kind === 'file.published' && e.data.file === 'root.json')).toBe(false);
    // The import is refused after the room confirmed the changes; with the signer's right file the run resumes:
    // the changes are put to the room again (not journaled again) and only then signed.
    const again = await ceremony('bad-import', { 'v1.json': v1Signed, 'v2.json': JSON.stringify(v2), 'offline-sig.json': JSON.stringify(tufSign(offline, v2.signed)) },
      { root: 'v2.json', previousRoot: 'v1.json', importSignatures: ['offline-sig.json'] });
    expect(again.code, again.stdout + again.stderr).toBe(0);
    const entries = journal(again.out);
    expect(entries.filter((e) => e.kind === 'tuf.root-changes')).toHaveLength(1);
    const reviewed = entries.filter((e) => e.kind === 'step.reviewed');
    expect(reviewed).toHaveLength(2);
    expect(reviewed[1]!.seq).toBeLessThan(entries.find((e) => e.kind === 'tuf.root-signed')!.seq);
    const shown = again.stdout.indexOf('Check what root.json version 2 changes before the token signs it:');
    expect(shown).toBeGreaterThan(0);
    expect(shown).toBeLessThan(again.stdout.indexOf('Signed on the token'));
  }, 240_000);
});
