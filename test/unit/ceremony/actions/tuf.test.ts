/** The sign-tuf-root action's plain functions: what is journaled before signing, imports in each form, the thresholds, the facts. */
import { describe, expect, it } from 'vitest';
import { finishTufRoot, importTufSignatures, mergeSignatures, prepareTufRoot, tufRootFacts, type InputFile } from '../../../../electron/core/ceremony/actions/tuf';
import { thrownKeyriteError } from '../../../helpers/keyrite-error';
import { rootMetadata, signedRootText, softKey, tufSign } from '../../../fixtures/tuf/roots';

const NOW = new Date('2026-12-01T00:00:00Z');
const [a, b, c, online] = [softKey('p256'), softKey('p384'), softKey('ed25519'), softKey('p256')];
const v1 = rootMetadata({ version: 1, rootKeys: [a, b], threshold: 2, online });
const v2 = rootMetadata({ version: 2, rootKeys: [a, b, c], threshold: 2, online, expires: '2037-01-01T00:00:00Z' });
const file = (name: string, text: string): InputFile => ({ name, bytes: Buffer.from(text) });
const prepared = () => prepareTufRoot({ root: file('v2.json', JSON.stringify(v2)), previous: file('v1.json', signedRootText(v1, [a, b])) }, NOW);

describe('sign-tuf-root action functions', () => {
  it('prepareTufRoot: the journal data names both versions, the signed SHA-256, each input file\'s hash and the change lines', () => {
    const { signing, changes } = prepared();
    expect(changes).toMatchObject({ version: 2, previousVersion: 1, signedSha256: signing.signedSha256, inputs: { 'v2.json': expect.stringMatching(/^[0-9a-f]{64}$/), 'v1.json': expect.stringMatching(/^[0-9a-f]{64}$/) } });
    expect(changes.summary).toContain(`role root: +${c.keyid}`);
    expect(changes.changes).toMatchObject({ version: { from: 1, to: 2, changed: true } });
  });

  it('a first root has no previous version and says so', () => {
    const { changes } = prepareTufRoot({ root: file('v1.json', JSON.stringify(v1)) }, NOW);
    expect(changes.previousVersion).toBeUndefined();
    expect(changes.summary[0]).toBe('first root, version 1');
  });

  it('imports a single signature, a list, or a signer\'s root.json (placeholders skipped)', () => {
    const { signing } = prepared();
    expect(importTufSignatures(signing, file('one.json', JSON.stringify(tufSign(a, v2.signed)))).added).toEqual([expect.objectContaining({ keyid: a.keyid, source: 'import', file: 'one.json' })]);
    expect(importTufSignatures(signing, file('list.json', JSON.stringify([tufSign(a, v2.signed), tufSign(c, v2.signed)]))).added.map((x) => x.keyid)).toEqual([a.keyid, c.keyid]);
    const copy = { signatures: [tufSign(b, v2.signed), { keyid: a.keyid, sig: '' }], signed: v2.signed };
    const r = importTufSignatures(signing, file('copy.json', JSON.stringify(copy)));
    expect(r.added.map((x) => x.keyid)).toEqual([b.keyid]);
    expect(r.skipped).toEqual([{ keyid: a.keyid, reason: expect.stringContaining('empty') }]);
  });

  it('refuses a signature over other bytes, a file that is not JSON and one of another shape, naming the file', () => {
    const { signing } = prepared();
    const other = thrownKeyriteError(() => importTufSignatures(signing, file('old.json', JSON.stringify(tufSign(a, v1.signed)))));
    expect(other.code).toBe('TUF_SIGNATURE_INVALID');
    expect(other.message).toContain('old.json');
    expect(other.details).toMatchObject({ keyid: a.keyid, file: 'old.json' });
    expect(thrownKeyriteError(() => importTufSignatures(signing, file('x.json', '[not json')))).toMatchObject({ code: 'TUF_JSON_INVALID', message: expect.stringContaining('x.json') });
    expect(thrownKeyriteError(() => importTufSignatures(signing, file('y.json', '{"key": 1}'))).code).toBe('TUF_ROOT_FORMAT');
  });

  it('counts both thresholds over the merged signatures (the first file naming a key wins) and says what is missing', () => {
    const { signing, changes } = prepared();
    const imp = (k: typeof a, f: string) => ({ ...tufSign(k, v2.signed), source: 'import' as const, file: f });
    const merged = mergeSignatures([imp(a, 'token-stand-in')].map((x) => ({ ...x, source: 'token' as const })), [imp(a, 'dup.json'), imp(c, 'c1.json'), imp(c, 'c2.json')]);
    expect(merged.map((x) => [x.keyid, x.file])).toEqual([[a.keyid, 'token-stand-in'], [c.keyid, 'c1.json']]);
    const { threshold, text } = finishTufRoot(signing, merged);
    expect(threshold).toMatchObject({ met: false, previous: { met: false, needed: 1 }, new: { met: true } });
    expect(JSON.parse(text).signatures).toHaveLength(2);
    const facts = tufRootFacts(changes, merged, [], threshold);
    expect(facts).toContainEqual({ label: 'Threshold, previous root (version 1)', value: 'NOT met: 1 of 2 signature(s), 1 more needed' });
    expect(facts).toContainEqual(expect.objectContaining({ label: 'TUF clients accept it', value: expect.stringMatching(/^NOT YET/) }));
  });
});
