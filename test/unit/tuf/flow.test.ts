/** The flow index.ts documents for the sign-tuf-root ceremony, end to end with soft tokens. */
import { describe, expect, it } from 'vitest';
import * as tuf from '../../../electron/core/tuf';
import { rootMetadata, signedRootText, softKey, softToken, tufSign } from '../../fixtures/tuf/roots';

const a = softKey('p256');
const b = softKey('rsa');
const c = softKey('ed25519');
const online = softKey('p384');

describe('signing a root the documented way', () => {
  it('fills the placeholders of a root.json prepared by another tool and ends with both thresholds met', async () => {
    const previous = signedRootText(rootMetadata({ version: 1, rootKeys: [a, b], threshold: 1, online }), [a]);
    const nextMeta = rootMetadata({ version: 2, rootKeys: [a, b, c], threshold: 2, online });
    // tuf-on-ci style: a place for each expected signature.
    const next = JSON.stringify({ signatures: [a, b, c].map((k) => ({ keyid: k.keyid, sig: '' })), signed: nextMeta.signed });
    const s = tuf.prepareRootSigning({ next, previous, now: new Date('2026-12-07T00:00:00Z') });
    expect(s.next.notes.map((n) => n.code)).toEqual(['TUF_SIGNATURE_EMPTY', 'TUF_SIGNATURE_EMPTY', 'TUF_SIGNATURE_EMPTY']);
    expect(tuf.describeRootChanges(s.changes!)).toContain('role root: threshold 1 -> 2; +' + c.keyid);

    const sigs: tuf.TufSignature[] = [];
    const t = softToken(a);
    sigs.push(...await tuf.signRootOnToken(s, { token: t.token, session: 's', key: { id: '01', label: 'a' }, spki: a.spki }));
    let signed = tuf.withSignatures(s.next, sigs);
    expect(tuf.rootThreshold(s, signed.signatures)).toMatchObject({ met: false, previous: { met: true }, new: { needed: 1 } });

    sigs.push(tuf.importSignature(s, tufSign(c, nextMeta.signed)));
    signed = tuf.withSignatures(s.next, sigs);
    expect(tuf.rootThreshold(s, signed.signatures)).toMatchObject({ met: true, invalid: [] });
    const out = tuf.parseRoot(tuf.serializeRoot(signed));
    expect(out.signatures.map((x) => [x.keyid, x.sig !== ''])).toEqual([[a.keyid, true], [b.keyid, false], [c.keyid, true]]);
    expect(tuf.canonicalSha256(out.signed)).toBe(s.signedSha256);
  });
});
