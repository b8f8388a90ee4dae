/**
 * Every hostile input ends in a typed error. Each decoder a person or a file can feed (a transcript
 * line and a whole transcript folder, a signed note and a checkpoint, a ceremony script, a policy,
 * an inputs file, backup.json, a share as words, QR text or an age file) is given valid input
 * mutated at random (characters inserted, deleted, replaced; an escaped lone surrogate; a YAML
 * anchor and alias) and input made at random. It may accept or refuse; a refusal must be a
 * KeyriteError with a code, never a TypeError, a ReferenceError or a library's own exception.
 */
import fc from 'fast-check';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseEntryLine } from '../../../electron/core/transcript/entry-codec';
import { Journal } from '../../../electron/core/transcript/journal';
import { generateNoteKey, keyFileSigner, openNote, parseNote, parseVerifierKey, signNote } from '../../../electron/core/transcript/note';
import { parseCheckpoint } from '../../../electron/core/transcript/checkpoint';
import { verifyTranscript } from '../../../electron/core/transcript/verify';
import { parsePolicy, parseScript } from '../../../electron/core/ceremony/load';
import { loadInputsFile } from '../../../electron/core/ceremony/inputs';
import { parseBackupFile, serializeBackupFile } from '../../../electron/core/shares/backup-file';
import { decodeShareInput } from '../../../electron/core/shares/share-input';
import { decryptAgeShare, encryptShareToPassphrase } from '../../../electron/core/shares/age-file';
import { encodeShareWords } from '../../../electron/core/shares/words';
import { shareQrPayload } from '../../../electron/core/shares/qr';
import { KeyriteError } from '../../../electron/core/util/errors';
import { writeCeremony, softwareRootKey } from '../transcript/ceremony-fixture';
import { softBackup } from '../shares/fixtures';

const ROOT = path.resolve(__dirname, '../../..');
const SCRIPT = readFileSync(path.join(ROOT, 'resources/ceremonies/root-keygen.yaml'), 'utf8');
const POLICY = readFileSync(path.join(ROOT, 'resources/policy/default.yaml'), 'utf8');
const INPUTS = 'pins:\n  Alice Admin: "123456"\nwitnessKeys:\n  Wendy: wendy.key\nairGapOverride:\n  reason: rehearsal on a networked machine\nattest: all\n';
const RUNS = { numRuns: 150 };

const dir = mkdtempSync(path.join(os.tmpdir(), 'keyrite-fuzz-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs f; passes if it returns or throws a KeyriteError; fails with the stray error otherwise. */
async function onlyTyped(f: () => unknown): Promise<void> {
  try {
    await f();
  } catch (e) {
    if (e instanceof KeyriteError && typeof e.code === 'string' && e.code.length > 0) return;
    throw new Error(`untyped ${(e as Error)?.constructor?.name}: ${(e as Error)?.message}`, { cause: e });
  }
}

/** Mutations of a valid text: the hostile inputs seen in the field first, then random edits. */
function mutated(valid: string): fc.Arbitrary<string> {
  const at = fc.nat({ max: valid.length });
  return fc.oneof(
    at.map((i) => valid.slice(0, i) + '\\ud800' + valid.slice(i)),
    at.map((i) => valid.slice(0, i) + '\ud800' + valid.slice(i)),
    at.map((i) => valid.slice(0, i) + '&a x\n' + valid.slice(i) + '\ny: *a\n'),
    fc.tuple(at, fc.string({ unit: 'binary', maxLength: 8 })).map(([i, s]) => valid.slice(0, i) + s + valid.slice(i)),
    fc.tuple(at, fc.nat({ max: 40 })).map(([i, n]) => valid.slice(0, i) + valid.slice(i + n)),
    fc.tuple(at, fc.constantFrom('"', '{', '}', '[', ']', ':', ',', '\n', '\\', '-', '*', '&', '!', '0', '\u0000', '\u2028')).map(([i, c]) => valid.slice(0, i) + c + valid.slice(i + 1)),
    at.map((i) => valid.slice(0, i)),
    fc.string({ unit: 'binary', maxLength: 200 }),
  );
}

let transcriptLines: string[] = [];
let good = '';
let note = '';
let noteVerifier = '';
let backupText = '';
let words = '';
let qr = '';
let age = '';

beforeAll(async () => {
  good = path.join(dir, 'good');
  const t = generateNoteKey('keyrite.transcript/c-fuzz');
  const w = generateNoteKey('witness/wendy');
  const { journal } = await writeCeremony(good, {
    ceremonyId: 'c-fuzz',
    transcriptSigner: keyFileSigner(t.signerKey) as ReturnType<typeof keyFileSigner> & { verifierKey: string },
    witnesses: [{ name: 'Wendy', signer: keyFileSigner(w.signerKey) as ReturnType<typeof keyFileSigner> & { verifierKey: string } }],
    makeRootKey: softwareRootKey,
  });
  await journal.close();
  transcriptLines = readFileSync(path.join(good, 'transcript.jsonl'), 'utf8').split('\n').slice(0, -1);
  note = await signNote('keyrite.transcript/c-fuzz\n3\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n', [keyFileSigner(t.signerKey)]);
  noteVerifier = t.verifierKey;
  const { backup, shares } = await softBackup();
  backupText = serializeBackupFile(backup);
  words = encodeShareWords(shares[0]!).join(' ');
  qr = shareQrPayload(shares[0]!);
  age = await encryptShareToPassphrase(shares[0]!, 'correct horse', { scryptLogN: 2 });
}, 60_000);

describe('decoders given hostile input end in a typed error', () => {
  it('a transcript line', async () => {
    const line = transcriptLines[3]!;
    expect(parseEntryLine(Buffer.from(line)).ok).toBe(true);
    const withSurrogate = line.replace('"step":"', '"step":"\\ud800');
    expect(parseEntryLine(Buffer.from(withSurrogate))).toMatchObject({ ok: false });
    await fc.assert(fc.asyncProperty(mutated(line), async (text) => onlyTyped(() => parseEntryLine(Buffer.from(text)))), RUNS);
  });

  it('a transcript folder (keyrite verify and a resumed journal): the lone surrogate is INVALID, not a crash', async () => {
    const copy = path.join(dir, 'copy');
    const check = async (lines: string[]) => {
      rmSync(copy, { recursive: true, force: true });
      cpSync(good, copy, { recursive: true });
      writeFileSync(path.join(copy, 'transcript.jsonl'), lines.map((l) => `${l}\n`).join(''));
      await onlyTyped(() => verifyTranscript(copy));
      await onlyTyped(async () => (await Journal.open(path.join(copy, 'transcript.jsonl'))).journal.close());
    };
    const lone = [...transcriptLines];
    lone[2] = lone[2]!.replace('"step":"', '"step":"\\ud800');
    rmSync(copy, { recursive: true, force: true });
    cpSync(good, copy, { recursive: true });
    writeFileSync(path.join(copy, 'transcript.jsonl'), lone.map((l) => `${l}\n`).join(''));
    const report = await verifyTranscript(copy);
    expect(report.valid).toBe(false);
    await expect(Journal.open(path.join(copy, 'transcript.jsonl'))).rejects.toMatchObject({ code: 'JOURNAL_CORRUPT' });
    await fc.assert(fc.asyncProperty(fc.nat({ max: transcriptLines.length - 1 }).chain((i) => mutated(transcriptLines[i]!).map((m) => [i, m] as const)), async ([i, m]) => {
      const lines = [...transcriptLines];
      lines[i] = m;
      await check(lines);
    }), { numRuns: 60 });
  });

  it('a signed note and its checkpoint', async () => {
    const v = parseVerifierKey(noteVerifier);
    expect(openNote(note, [v]).text).toContain('c-fuzz');
    await fc.assert(fc.asyncProperty(mutated(note), async (text) => {
      await onlyTyped(() => parseNote(text));
      await onlyTyped(() => openNote(text, [v]));
      await onlyTyped(() => parseCheckpoint(parseNote(text).text));
    }), RUNS);
    await fc.assert(fc.asyncProperty(mutated(noteVerifier), async (text) => onlyTyped(() => parseVerifierKey(text))), RUNS);
  });

  it('a ceremony script: any alias and any lone surrogate is a YAML_INVALID naming the line', async () => {
    expect(parseScript(SCRIPT).script.id).toBeTruthy();
    expect(() => parseScript(`${SCRIPT}\nx: &a [1]\ny: *a\n`)).toThrow(expect.objectContaining({ code: 'YAML_INVALID' }));
    expect(() => parseScript(SCRIPT.replace('title: ', 'title: "\\ud800" #'))).toThrow(expect.objectContaining({ code: 'YAML_INVALID' }));
    // An alias bomb is refused before anything expands it.
    const bomb = 'a: &a ["x","x","x","x","x","x","x","x","x"]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: [*c,*c,*c,*c,*c,*c,*c,*c,*c]\n';
    expect(() => parseScript(bomb)).toThrow(expect.objectContaining({ code: 'YAML_INVALID' }));
    await fc.assert(fc.asyncProperty(mutated(SCRIPT), async (text) => onlyTyped(() => parseScript(text))), RUNS);
  });

  it('a policy file', async () => {
    expect(parsePolicy(POLICY).policy.name).toBeTruthy();
    expect(() => parsePolicy(`${POLICY}\nx: &a 1\ny: *a\n`)).toThrow(expect.objectContaining({ code: 'YAML_INVALID' }));
    await fc.assert(fc.asyncProperty(mutated(POLICY), async (text) => onlyTyped(() => parsePolicy(text))), RUNS);
  });

  it('an inputs file', async () => {
    const file = path.join(dir, 'inputs.yaml');
    writeFileSync(file, INPUTS);
    expect(loadInputsFile(file).pins).toBeTruthy();
    writeFileSync(file, `${INPUTS}x: &a 1\ny: *a\n`);
    expect(() => loadInputsFile(file)).toThrow(expect.objectContaining({ code: 'YAML_INVALID' }));
    await fc.assert(fc.asyncProperty(mutated(INPUTS), async (text) => {
      writeFileSync(file, text);
      await onlyTyped(() => loadInputsFile(file));
    }), RUNS);
  });

  it('backup.json: the lone surrogate is BACKUP_FORMAT', async () => {
    expect(parseBackupFile(backupText).format).toBe('keyrite.backup');
    expect(() => parseBackupFile(backupText.replace('"ceremonyId": "', '"ceremonyId": "\\ud800'))).toThrow(expect.objectContaining({ code: 'BACKUP_FORMAT' }));
    await fc.assert(fc.asyncProperty(mutated(backupText), async (text) => onlyTyped(() => parseBackupFile(text))), RUNS);
  });

  it('a share as words, as QR text and as an age file', async () => {
    expect(decodeShareInput({ text: words }).k).toBe(3);
    expect(decodeShareInput({ text: qr }).k).toBe(3);
    expect((await decryptAgeShare(age, 'correct horse')).k).toBe(3);
    await fc.assert(fc.asyncProperty(mutated(words), async (text) => onlyTyped(() => decodeShareInput({ text }))), RUNS);
    await fc.assert(fc.asyncProperty(mutated(qr), async (text) => onlyTyped(() => decodeShareInput({ text }))), RUNS);
    await fc.assert(fc.asyncProperty(mutated(age), async (text) => onlyTyped(() => decryptAgeShare(text, 'correct horse'))), { numRuns: 60 });
  });
});
