/**
 * The golden record of what each template's rehearsal journals: the sequence of entry kinds (with
 * the step each belongs to, and the operation of each intent), run through the public CLI. It was
 * recorded before the ceremony core was reshaped (issue #16) and must stay identical after: a
 * refactor that drops, adds or reorders a transcript entry changes what auditors receive.
 *
 * To record a deliberate change: KEYRITE_UPDATE_GOLDEN=1 npx vitest run <this file>, then review the
 * diff of golden/entry-kinds.json like any other change to the transcript format.
 */
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { verifyTranscript } from '../../../electron/core/transcript/verify';
import { keyrite } from '../../helpers/keyrite-cli';
import { tempDir } from '../../helpers/softhsm';
import { TEMPLATES } from './helpers';

const GOLDEN = path.join(__dirname, 'golden', 'entry-kinds.json');
const tmp = tempDir('keyrite-golden-');
afterAll(() => tmp.cleanup());

/** Each template and the template whose run it continues (--from). */
const ORDER: [string, string | null][] = [
  ['root-keygen', null],
  ['sign-intermediate', 'root-keygen'],
  ['sign-ocsp-responder', 'root-keygen'],
  ['sign-crl', 'root-keygen'],
  ['sign-artifact', 'root-keygen'],
  ['sign-dnskey', 'root-keygen'],
  ['sign-tuf-root', 'root-keygen'],
  ['check-up', 'root-keygen'],
  ['reshare', 'root-keygen'],
  ['recovery', 'root-keygen'],
  ['rotate', 'root-keygen'],
  ['destroy', 'rotate'],
];

/** The sign-dnskey template beside a DNSKEY file made for the rehearsal root's key (`keyrite dnskey`). */
async function dnskeyScriptFor(root: string): Promise<string> {
  const work = path.join(tmp.dir, 'dnskey-work');
  mkdirSync(work, { recursive: true });
  for (const f of ['sign-dnskey.yaml', 'sign-dnskey.rehearsal.yaml']) copyFileSync(path.join(TEMPLATES, f), path.join(work, f));
  const r = await keyrite('dnskey', path.join(root, 'public-key.pem'), '--owner', 'example.test.');
  expect(r.code, r.stderr).toBe(0);
  writeFileSync(path.join(work, 'sign-dnskey.dnskey.txt'), r.stdout.split('\n').filter((l) => /\sDNSKEY\s/.test(l)).join('\n') + '\n');
  return path.join(work, 'sign-dnskey.yaml');
}

/** The sign-tuf-root template beside a previous and a new root.json listing the rehearsal root's key (`keyrite tuf-root draft`). */
async function tufRootScriptFor(root: string): Promise<string> {
  const work = path.join(tmp.dir, 'tuf-work');
  mkdirSync(work, { recursive: true });
  for (const f of ['sign-tuf-root.yaml', 'sign-tuf-root.rehearsal.yaml']) copyFileSync(path.join(TEMPLATES, f), path.join(work, f));
  const previous = path.join(work, 'sign-tuf-root.previous.json');
  for (const args of [['--root-key', path.join(root, 'public-key.pem'), '--out', previous], ['--previous', previous, '--out', path.join(work, 'sign-tuf-root.root.json')]]) {
    const r = await keyrite('tuf-root', 'draft', ...args);
    expect(r.code, r.stderr).toBe(0);
  }
  return path.join(work, 'sign-tuf-root.yaml');
}

function journalShape(dir: string): string[] {
  return readFileSync(path.join(dir, 'transcript.jsonl'), 'utf8').trim().split('\n').map((line) => {
    const e = JSON.parse(line) as { kind: string; step: string; data: { operation?: string } };
    return `${e.step} ${e.kind}${e.kind === 'step.intent' ? ` ${e.data.operation}` : ''}`;
  });
}

describe('golden: the entry kinds each template rehearsal journals', () => {
  const recorded: Record<string, string[]> = {};

  it('every template is in the golden list', async () => {
    const { readdirSync } = await import('node:fs');
    const templates = readdirSync(TEMPLATES).filter((f) => f.endsWith('.yaml') && !f.endsWith('.rehearsal.yaml')).map((f) => f.replace(/\.yaml$/, '')).sort();
    expect(ORDER.map(([t]) => t).sort()).toEqual(templates);
  });

  for (const [name, from] of ORDER) {
    it(`${name} journals the recorded sequence, and verifies VALID with the same report streamed as with every entry kept`, async () => {
      const out = path.join(tmp.dir, name);
      const script = name === 'sign-dnskey' ? await dnskeyScriptFor(path.join(tmp.dir, 'root-keygen'))
        : name === 'sign-tuf-root' ? await tufRootScriptFor(path.join(tmp.dir, 'root-keygen')) : path.join(TEMPLATES, `${name}.yaml`);
      const r = await keyrite('ceremony', 'run', script, '--out', out, '--rehearsal', ...(from ? ['--from', path.join(tmp.dir, from)] : []));
      expect(r.code, r.stdout + r.stderr).toBe(0);
      recorded[name] = journalShape(out);
      if (process.env.KEYRITE_UPDATE_GOLDEN) return;
      expect(existsSync(GOLDEN), `${GOLDEN} is missing: record it with KEYRITE_UPDATE_GOLDEN=1`).toBe(true);
      const golden = JSON.parse(readFileSync(GOLDEN, 'utf8')) as Record<string, string[]>;
      expect(recorded[name]).toEqual(golden[name]);
      // The streaming verifier hands its checks only the entry kinds they are known to read: on every
      // template's real transcript, the report is the same as when the checks see every entry.
      const streamed = await verifyTranscript(out);
      expect(streamed.valid, JSON.stringify(streamed.failure)).toBe(true);
      expect(streamed).toEqual(await verifyTranscript(out, { keepAllEntries: true }));
    });
  }

  afterAll(() => {
    if (process.env.KEYRITE_UPDATE_GOLDEN && Object.keys(recorded).length === ORDER.length) writeFileSync(GOLDEN, JSON.stringify(recorded, null, 1) + '\n');
  });
});
