/**
 * What `keyrite shares verify` and `keyrite recover` read from files and the terminal: a share file
 * of any kind is recognised and opened with the right secret (or refused saying which one is
 * missing), an unreadable file names itself, a PIN or passphrase file loses only its line end, and
 * the --card-* and --age-identity options are taken together or not at all.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { generateKeyPairSync } from 'node:crypto';
import { generateIdentity, identityToRecipient } from 'age-encryption';
import {
  ageIdentitiesFromCli, cardFromCli, loadBackupFile, prompt, readSecretFile, readShareFile,
} from '../../../electron/core/shares/cli-input';
import { encryptShareToPassphrase } from '../../../electron/core/shares/age-file';
import { encryptShareToRecipient } from '../../../electron/core/shares/age-recipient';
import { encryptShareToTokenKey } from '../../../electron/core/shares/token-file';
import { formatShareSheet } from '../../../electron/core/shares/sheet';
import { shareQrPayload } from '../../../electron/core/shares/qr';
import { serializeBackupFile } from '../../../electron/core/shares/backup-file';
import type { ShareEnvelope } from '../../../electron/core/shares/envelope';
import { signBackup, softBackup } from './fixtures';

const dir = mkdtempSync(join(tmpdir(), 'keyrite-cli-input-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
function file(text: string): string {
  const p = join(dir, `f${++n}`);
  writeFileSync(p, text);
  return p;
}

const shares = softBackup().then((b) => b.shares);
const passphrase = async () => 'correct horse battery';

describe('readShareFile', () => {
  it('opens a words sheet and a QR payload without any secret', async () => {
    const e = (await shares)[0] as ShareEnvelope;
    expect(await readShareFile(file(formatShareSheet(e, { custodian: 'alice', ceremonyId: 'c', index: 1 })))).toEqual(e);
    expect(await readShareFile(file(shareQrPayload(e)))).toEqual(e);
  });

  it('opens a passphrase age file with the passphrase, and asks for one when none is given', async () => {
    const e = (await shares)[1] as ShareEnvelope;
    const f = file(await encryptShareToPassphrase(e, 'correct horse battery', { scryptLogN: 10 }));
    expect(await readShareFile(f, passphrase)).toEqual(e);
    const err = await readShareFile(f).catch((x: unknown) => x);
    expect(err).toMatchObject({ code: 'SHARE_FORMAT', message: `${f} is an age file and no passphrase was given.` });
  });

  it('opens an age file to a custodian recipient with their identity, and asks for it when none is given', async () => {
    const e = (await shares)[2] as ShareEnvelope;
    const identity = await generateIdentity();
    const f = file((await encryptShareToRecipient(e, await identityToRecipient(identity))).text);
    let asked = 0;
    expect(await readShareFile(f, passphrase, undefined, async () => { asked++; return identity; })).toEqual(e);
    expect(asked).toBe(1);
    await expect(readShareFile(f, passphrase)).rejects.toMatchObject({ code: 'SHARE_FORMAT', message: expect.stringContaining('no identity was given') });
  });

  it('hands a file encrypted to a card key to the card opener, and asks for a card when none is given', async () => {
    const e = (await shares)[3] as ShareEnvelope;
    const { publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const text = encryptShareToTokenKey(e, new Uint8Array(publicKey.export({ type: 'spki', format: 'der' })));
    const f = file(text);
    const seen: string[] = [];
    expect(await readShareFile(f, passphrase, async (t) => { seen.push(t); return e; })).toEqual(e);
    expect(seen).toEqual([text]);
    await expect(readShareFile(f, passphrase)).rejects.toMatchObject({ code: 'SHARE_FORMAT', message: expect.stringContaining('no card was given') });
  });

  it('a missing file is INPUT_UNREADABLE naming it and the reason', async () => {
    const missing = join(dir, 'nope.txt');
    await expect(readShareFile(missing)).rejects.toMatchObject({ code: 'INPUT_UNREADABLE', message: `Cannot read the share file ${missing}: ENOENT.` });
  });
});

describe('loadBackupFile', () => {
  it('reads a signed backup, and refuses an unsigned or malformed one with a typed error', async () => {
    const { backup } = await softBackup();
    const signed = signBackup(structuredClone(backup));
    expect(await loadBackupFile(file(serializeBackupFile(signed)))).toEqual(signed);
    await expect(loadBackupFile(file(serializeBackupFile(backup)))).rejects.toMatchObject({ code: 'BACKUP_SIGNATURE_INVALID' });
    await expect(loadBackupFile(file('{"format":"keyrite.backup","x":"\\udc00"}'))).rejects.toMatchObject({ code: 'BACKUP_FORMAT' });
    await expect(loadBackupFile(join(dir, 'none.json'))).rejects.toMatchObject({ code: 'INPUT_UNREADABLE', message: expect.stringContaining('backup file') });
  });
});

describe('secret files and options', () => {
  it('a PIN file loses one trailing line end only', async () => {
    expect(await readSecretFile(file('123456\n'), 'PIN file')).toBe('123456');
    expect(await readSecretFile(file('123456\r\n'), 'PIN file')).toBe('123456');
    expect(await readSecretFile(file(' 12 34 \n\n'), 'PIN file')).toBe(' 12 34 \n');
    expect(await readSecretFile(file('123456'), 'PIN file')).toBe('123456');
    expect(await readSecretFile(file('12\n34\n'), 'PIN file')).toBe('12\n34');
    await expect(readSecretFile(join(dir, 'no-pin'), 'card PIN file')).rejects.toMatchObject({ code: 'INPUT_UNREADABLE', message: expect.stringContaining('card PIN file') });
  });

  it('--card-* options: none is no card, some without the others is USAGE', () => {
    const io = { stdin: new PassThrough(), stderr: new PassThrough() };
    expect(cardFromCli({}, io)).toBeUndefined();
    expect(cardFromCli({ 'card-pin-file': 'p' }, io)).toBeUndefined();
    for (const v of [{ 'card-module': 'm' }, { 'card-token': 't' }, { 'card-key': 'k' }, { 'card-module': 'm', 'card-token': 't' }, { 'card-module': 'm', 'card-key': 'k' }, { 'card-token': 't', 'card-key': 'k' }]) {
      expect(() => cardFromCli(v, io)).toThrow(expect.objectContaining({ code: 'USAGE' }));
    }
    const card = cardFromCli({ 'card-module': 'm', 'card-token': 't', 'card-key': 'k' }, io);
    expect(typeof card?.open).toBe('function');
  });

  it('--age-identity files are read once and their identities joined', async () => {
    expect(ageIdentitiesFromCli(undefined)).toBeUndefined();
    expect(ageIdentitiesFromCli([])).toBeUndefined();
    const a = file('AGE-SECRET-KEY-A');
    const b = file('AGE-SECRET-KEY-B');
    const read = ageIdentitiesFromCli([a, b]);
    expect(await read?.()).toBe('AGE-SECRET-KEY-A\nAGE-SECRET-KEY-B');
    writeFileSync(a, 'changed');
    expect(await read?.()).toBe('AGE-SECRET-KEY-A\nAGE-SECRET-KEY-B');
    await expect(ageIdentitiesFromCli([join(dir, 'no-id')])?.()).rejects.toMatchObject({ code: 'INPUT_UNREADABLE', message: expect.stringContaining('age identity file') });
  });
});

describe('prompt', () => {
  it('echoes a plain answer\'s question, and on a hidden one only the question and a line end', async () => {
    const stdin = Object.assign(new PassThrough(), { isTTY: true, setRawMode: () => undefined });
    const stderr = new PassThrough();
    let out = '';
    stderr.on('data', (d: Buffer) => (out += d.toString()));
    const hidden = prompt({ stdin, stderr }, 'PIN: ', { hidden: true });
    await new Promise((r) => setImmediate(r));
    stdin.write('246810\n');
    expect(await hidden).toBe('246810');
    expect(out).toContain('PIN: ');
    expect(out).not.toContain('2468');
    expect(out.endsWith('\n')).toBe(true);
    out = '';
    const plain = prompt({ stdin, stderr }, 'Name: ');
    await new Promise((r) => setImmediate(r));
    stdin.write('alice\n');
    expect(await plain).toBe('alice');
    expect(out).toContain('Name: ');
    expect(out).toContain('alice');
  });

  it('without a terminal names the question and the file option to use', async () => {
    await expect(prompt({ stdin: new PassThrough(), stderr: new PassThrough() }, '  Passphrase:  ')).rejects.toMatchObject({ code: 'INPUT_NOT_A_TTY', message: 'Passphrase: needs a terminal, and none is attached.' });
  });
});
