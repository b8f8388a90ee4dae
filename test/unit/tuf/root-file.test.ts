import { describe, expect, it } from 'vitest';
import { canonicalBytes, canonicalSha256, type JsonObject } from '../../../electron/core/tuf/canonical';
import { parseRoot } from '../../../electron/core/tuf/root-file';
import { rootMetadata, signedRootText, softKey, tufSign } from '../../fixtures/tuf/roots';
import { thrownKeyriteError } from '../../helpers/keyrite-error';

const [a, b, c] = [softKey('p256'), softKey('ed25519'), softKey('p384')];
const online = softKey('p256');
const meta = rootMetadata({ version: 3, rootKeys: [a!, b!, c!], threshold: 2, online });

/** The root text with `edit` applied to a deep copy of the metadata. */
function edited(edit: (m: { signatures: JsonObject[]; signed: JsonObject & { roles: Record<string, JsonObject>; keys: JsonObject } }) => void): string {
  const m = structuredClone(meta) as never;
  edit(m);
  return JSON.stringify(m);
}
const codeOf = (text: string): string => thrownKeyriteError(() => parseRoot(text)).code;

describe('canonical bytes', () => {
  it('are OLPC canonical JSON: sorted members, no spaces, only " and \\ escaped, UTF-8', () => {
    const bytes = canonicalBytes({ b: 1, a: ['x"y\\z', 'é\n', true, null], c: { z: 0, y: -2 } });
    expect(Buffer.from(bytes).toString('utf8')).toBe('{"a":["x\\"y\\\\z","é\n",true,null],"b":1,"c":{"y":-2,"z":0}}');
    expect(canonicalSha256({ a: 1 })).toMatch(/^[0-9a-f]{64}$/);
  });

  it('refuse a float or an unsafe integer anywhere, naming where', () => {
    const e = thrownKeyriteError(() => canonicalBytes({ a: [{ b: 1.5 }] }));
    expect(e.code).toBe('TUF_JSON_INVALID');
    expect(e.details).toEqual({ path: '$.a[0].b' });
    const big = thrownKeyriteError(() => parseRoot(edited((m) => { m.signed.version = 2 ** 53; }), 'the new root.json'));
    expect(big).toMatchObject({ code: 'TUF_JSON_INVALID', message: expect.stringMatching(/^the new root\.json: signed\.version is 9007199254740992/) });
  });
});

describe('reading a root.json', () => {
  it('reads a well-formed root: fields, keys with fingerprints and roles, signatures, no notes', () => {
    const root = parseRoot(signedRootText(meta, [a!, b!]));
    expect(root).toMatchObject({ version: 3, specVersion: '1.0.31', expires: '2036-01-01T00:00:00Z', consistentSnapshot: true, notes: [] });
    expect(root.roles.root).toEqual({ keyids: [a!.keyid, b!.keyid, c!.keyid], threshold: 2 });
    expect(root.keys[online.keyid]).toMatchObject({ roles: ['timestamp', 'snapshot', 'targets'], keyidIsContentHash: true, scheme: 'ecdsa-sha2-nistp256' });
    expect(root.keys[b!.keyid]?.fingerprint).toMatch(/^[0-9a-f]{64}$/);
    expect(root.signatures.map((s) => s.keyid)).toEqual([a!.keyid, b!.keyid]);
    expect(root.signed).toEqual(meta.signed);
  });

  it('keeps members it does not know, so the signed bytes are the file\'s', () => {
    const text = edited((m) => { m.signed['x-tuf-on-ci-expiry-period'] = 197; m.signed.roles.root!['x-note'] = 'kept'; });
    expect(canonicalSha256(parseRoot(text).signed)).toBe(canonicalSha256(JSON.parse(text).signed));
  });

  it.each([
    ['not JSON', '{"signed":', 'TUF_JSON_INVALID'],
    ['an array', '[]', 'TUF_JSON_INVALID'],
    ['no signed part', '{"signatures":[]}', 'TUF_ROOT_FORMAT'],
  ])('refuses %s', (_what, text, code) => {
    expect(codeOf(text)).toBe(code);
  });

  it.each<[string, (m: Parameters<Parameters<typeof edited>[0]>[0]) => void, string, string?]>([
    ['a targets file', (m) => { m.signed._type = 'targets'; }, 'TUF_ROOT_FORMAT', 'signed._type'],
    ['spec version 2', (m) => { m.signed.spec_version = '2.0.0'; }, 'TUF_SPEC_VERSION_UNSUPPORTED'],
    ['a spec version that is not a version', (m) => { m.signed.spec_version = '1.x'; }, 'TUF_SPEC_VERSION_UNSUPPORTED'],
    ['version 0', (m) => { m.signed.version = 0; }, 'TUF_ROOT_FORMAT', 'signed.version'],
    ['version as a string', (m) => { m.signed.version = '3'; }, 'TUF_ROOT_FORMAT', 'signed.version'],
    ['expires with a zone offset', (m) => { m.signed.expires = '2036-01-01T00:00:00+01:00'; }, 'TUF_ROOT_FORMAT', 'signed.expires'],
    ['expires on 31 February', (m) => { m.signed.expires = '2036-02-31T00:00:00Z'; }, 'TUF_ROOT_FORMAT', 'signed.expires'],
    ['no consistent_snapshot', (m) => { delete m.signed.consistent_snapshot; }, 'TUF_ROOT_FORMAT', 'signed.consistent_snapshot'],
    ['no snapshot role', (m) => { delete m.signed.roles.snapshot; }, 'TUF_ROOT_FORMAT', 'signed.roles.snapshot'],
    ['a delegated role in root', (m) => { m.signed.roles.extra = { keyids: [], threshold: 1 }; }, 'TUF_ROOT_FORMAT', 'signed.roles.extra'],
    ['a threshold that is not an integer', (m) => { m.signed.roles.root!.threshold = '2'; }, 'TUF_ROOT_FORMAT', 'signed.roles.root.threshold'],
    ['a keyid that is no keyid', (m) => { m.signed.keys.KEY = m.signed.keys[online.keyid]!; }, 'TUF_ROOT_FORMAT', 'signed.keys.KEY'],
    ['a key without keyval.public', (m) => { m.signed.keys[online.keyid] = { keytype: 'ecdsa', scheme: 'ecdsa-sha2-nistp256', keyval: {} }; }, 'TUF_ROOT_FORMAT'],
    ['a keyval member that is not a string', (m) => { ((m.signed.keys[a!.keyid] as JsonObject).keyval as JsonObject).extra = 1; }, 'TUF_ROOT_FORMAT', `signed.keys.${a!.keyid}.keyval.extra`],
    ['a P-256 key under the P-384 scheme', (m) => { (m.signed.keys[a!.keyid] as JsonObject).scheme = 'ecdsa-sha2-nistp384'; }, 'TUF_KEY_INVALID'],
    ['a role naming a key not in keys', (m) => { (m.signed.roles.targets!.keyids as string[]).push('ab'.repeat(32)); }, 'TUF_ROLE_KEYID_INVALID'],
    ['a role naming a key twice', (m) => { (m.signed.roles.root!.keyids as string[]).push(a!.keyid); }, 'TUF_ROLE_KEYID_INVALID'],
    ['threshold 0', (m) => { m.signed.roles.timestamp = { keyids: [online.keyid], threshold: 0 }; }, 'TUF_THRESHOLD_INVALID'],
    ['a threshold above the number of keys', (m) => { m.signed.roles.root!.threshold = 4; }, 'TUF_THRESHOLD_INVALID'],
    ['signatures that are not a list', (m) => { (m as unknown as JsonObject).signatures = {}; }, 'TUF_ROOT_FORMAT', 'signatures'],
    ['a signature that is not hex', (m) => { m.signatures.push({ keyid: a!.keyid, sig: 'xyz' }); }, 'TUF_ROOT_FORMAT', 'signatures[0].sig'],
    ['two signatures for one keyid', (m) => { m.signatures.push(tufSign(a!, meta.signed), tufSign(a!, meta.signed)); }, 'TUF_SIGNATURE_DUPLICATE'],
  ])('refuses %s', (_what, edit, code, path) => {
    const e = thrownKeyriteError(() => parseRoot(edited(edit), 'the new root.json'));
    expect(e.code).toBe(code);
    expect(e.message).toMatch(/^the new root\.json/);
    expect(e.action).toBeTruthy();
    if (path) expect(e.details).toMatchObject({ path });
  });

  it('notes what clients accept but a person should see: a keyid not from its key, an unused key, a key of an unknown scheme, an empty signature', () => {
    const odd = 'cd'.repeat(32);
    const unused = softKey('rsa');
    const text = edited((m) => {
      m.signed.keys[odd] = { keytype: 'sphincs', scheme: 'sphincs-shake-256f', keyval: { public: '00' } };
      m.signed.keys[unused.keyid] = unused.key;
      (m.signed.roles.targets!.keyids as string[]).push(odd);
      m.signatures.push({ keyid: a!.keyid, sig: '' });
    });
    const root = parseRoot(text);
    expect(root.notes.map((n) => [n.code, n.keyid])).toEqual([
      ['TUF_KEYID_NOT_CONTENT_HASH', odd], ['TUF_KEY_UNUSABLE', odd], ['TUF_KEY_UNUSED', unused.keyid], ['TUF_SIGNATURE_EMPTY', a!.keyid],
    ]);
    expect(root.keys[odd]).toMatchObject({ unusable: expect.stringContaining('sphincs-shake-256f'), roles: ['targets'] });
    expect(root.keys[odd]?.fingerprint).toBeUndefined();
  });

  it('reads bytes as UTF-8 and ignores a byte-order mark', () => {
    expect(parseRoot(Buffer.from(`\uFEFF${signedRootText(meta, [])}`)).version).toBe(3);
  });
});
