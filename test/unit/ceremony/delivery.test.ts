import { generateKeyPairSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseScript } from '../../../electron/core/ceremony/load';
import { recipientOf } from '../../../electron/core/ceremony/custodian-recipient';
import { suggestedShareFileName } from '../../../electron/core/ceremony/actions/delivery';
import { wrongWordPositions } from '../../../electron/core/ceremony/actions/backup';
import { inputsSchema } from '../../../electron/core/ceremony/inputs';
import { KeyriteError } from '../../../electron/core/util/errors';
import type { SourceIssue } from '../../../electron/core/ceremony/yaml-source';

const root = path.resolve(__dirname, '../../..');
const template = readFileSync(path.join(root, 'resources/ceremonies/root-keygen.yaml'), 'utf8');
const GRACE = '    - { name: Grace, delivery: paper }\n';

function pem(kind: 'rsa' | 'ec', bits = 2048): string {
  const k = kind === 'rsa' ? generateKeyPairSync('rsa', { modulusLength: bits }) : generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return k.publicKey.export({ format: 'pem', type: 'spki' }).toString();
}

function graceAs(block: string): string {
  expect(template).toContain(GRACE);
  return template.replace(GRACE, block);
}

function tokenGrace(publicKey: string, extra = ''): string {
  return graceAs(`    - name: Grace\n      delivery: token\n      recipient:\n${extra}        publicKey: |\n${publicKey.trim().split('\n').map((l) => `          ${l}`).join('\n')}\n`);
}

function issuesOf(text: string): SourceIssue[] {
  try {
    parseScript(text, 's.yaml');
  } catch (e) {
    if (e instanceof KeyriteError && e.code === 'SCRIPT_INVALID') return e.details?.issues as SourceIssue[];
    throw e;
  }
  throw new Error('expected the script to be refused');
}

describe('custodian delivery in the script', () => {
  it('accepts a token custodian with an inline RSA public key, and shows its fingerprint as hex and PGP words', () => {
    const key = pem('rsa');
    const loaded = parseScript(tokenGrace(key, '        keyLabel: grace-share\n        token: { label: grace-card }\n'), 's.yaml');
    const grace = loaded.script.backup!.custodians[4]!;
    expect(grace).toMatchObject({ name: 'Grace', delivery: 'token', recipient: { keyLabel: 'grace-share', token: { label: 'grace-card' } } });
    const view = recipientOf(grace.recipient!).facts;
    expect(view).toMatchObject({ keyLabel: 'grace-share', tokenLabel: 'grace-card', tokenSerial: null });
    expect(view.spkiSha256).toMatch(/^[0-9a-f]{64}$/);
    expect(view.words.split(' ')).toHaveLength(32);
  });

  it('names backup.custodians[i].recipient when a token custodian has no key', () => {
    const text = graceAs('    - { name: Grace, delivery: token }\n');
    expect(issuesOf(text)).toContainEqual(expect.objectContaining({ path: 'backup.custodians[4].recipient', message: expect.stringContaining('token public key') }));
  });

  it('refuses a recipient on a paper or file custodian', () => {
    const text = template.replace('    - { name: Frank, delivery: file }\n', `    - name: Frank\n      delivery: file\n      recipient:\n        publicKey: |\n${pem('rsa').trim().split('\n').map((l) => `          ${l}`).join('\n')}\n`);
    expect(issuesOf(text)).toContainEqual(expect.objectContaining({ path: 'backup.custodians[3].recipient', message: expect.stringContaining('only used when delivery is token') }));
  });

  it('names recipient.publicKey, at its line, for a damaged PEM, a key of the wrong type or curve and a short RSA key', () => {
    const damaged = tokenGrace('-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n');
    const r = issuesOf(damaged);
    expect(r).toContainEqual(expect.objectContaining({ path: 'backup.custodians[4].recipient.publicKey', message: expect.stringContaining('cannot be read') }));
    expect(r[0]!.line).toBe(damaged.split('\n').findIndex((l) => l.includes('publicKey: |')) + 1);
    // EC keys on the NIST curves are recipients (ECDH); other curves and key types are not.
    expect(parseScript(tokenGrace(pem('ec')), 's.yaml').script.backup?.custodians[4]).toMatchObject({ name: 'Grace', delivery: 'token' });
    const k1 = generateKeyPairSync('ec', { namedCurve: 'secp256k1' }).publicKey.export({ format: 'pem', type: 'spki' }).toString();
    expect(issuesOf(tokenGrace(k1))).toContainEqual(expect.objectContaining({ path: 'backup.custodians[4].recipient.publicKey', message: expect.stringContaining('P-256, P-384, P-521 only') }));
    const ed = generateKeyPairSync('ed25519').publicKey.export({ format: 'pem', type: 'spki' }).toString();
    expect(issuesOf(tokenGrace(ed))).toContainEqual(expect.objectContaining({ path: 'backup.custodians[4].recipient.publicKey', message: expect.stringContaining('the key is ed25519') }));
    expect(issuesOf(tokenGrace(pem('rsa', 1024)))).toContainEqual(expect.objectContaining({ path: 'backup.custodians[4].recipient.publicKey', message: expect.stringContaining('1024 bits') }));
    expect(issuesOf(tokenGrace('grace-share.pem'))).toContainEqual(expect.objectContaining({ path: 'backup.custodians[4].recipient.publicKey', message: expect.stringContaining('PEM public key') }));
  });

  it('refuses an unknown field in the recipient (strict, like the rest of the script)', () => {
    expect(issuesOf(tokenGrace(pem('rsa'), '        keyFile: grace.pem\n'))).toContainEqual(expect.objectContaining({ path: 'backup.custodians[4].recipient.keyFile', code: 'UNKNOWN_FIELD' }));
  });
});

describe('share verification by words', () => {
  const words = Array.from({ length: 36 }, (_, i) => ['abandon', 'ability', 'able', 'about', 'above', 'absent'][i % 6]!);

  it('names exactly the positions whose word is wrong, unknown or missing', () => {
    expect(wrongWordPositions(words, [1, 2, 3, 4], ['abandon', 'ability', 'able', 'about'])).toEqual([]);
    expect(wrongWordPositions(words, [1, 2, 3, 4], ['abandon', 'able', 'able', 'about'])).toEqual([2]);
    expect(wrongWordPositions(words, [5, 8, 13, 30], ['above', 'zzzz', 'abandon'])).toEqual([8, 30]);
  });
});

describe('delivery names and inputs', () => {
  it('suggests <ceremony>-<custodian>.keyrite-share.age or .json', () => {
    expect(suggestedShareFileName('root-2026', 'Frank', 'file')).toBe('root-2026-Frank.keyrite-share.age');
    expect(suggestedShareFileName('root-2026', 'Grace', 'token')).toBe('root-2026-Grace.keyrite-share.json');
  });

  it('the inputs file takes sharePassphrases by custodian', () => {
    expect(inputsSchema.parse({ sharePassphrases: { Frank: 'a long rehearsal passphrase' } }).sharePassphrases).toEqual({ Frank: 'a long rehearsal passphrase' });
    expect(inputsSchema.safeParse({ sharePassphrase: { Frank: 'x' } }).success).toBe(false);
  });
});
