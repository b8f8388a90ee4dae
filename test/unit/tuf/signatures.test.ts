import { Metadata, MetadataKind } from '@tufjs/models';
import { describe, expect, it } from 'vitest';
import { canonicalSha256 } from '../../../electron/core/tuf/canonical';
import { parseRoot } from '../../../electron/core/tuf/root-file';
import { prepareRootSigning, serializeRoot, withSignatures, type RootSigning } from '../../../electron/core/tuf/root-signing';
import { importSignature, importSignaturesFromFile, signRootOnToken } from '../../../electron/core/tuf/signatures';
import { rootThreshold } from '../../../electron/core/tuf/threshold';
import { rootMetadata, signedRootText, softKey, softToken, tufSign, type SoftKey } from '../../fixtures/tuf/roots';

const NOW = new Date('2026-12-07T12:00:00Z');
// Previous root: a, b, c (2 of 3). New root: b, c, d, e (3 of 4): a leaves, d and e join.
const a = softKey('p256');
const b = softKey('ed25519');
const c = softKey('p384');
const d = softKey('rsa');
const e = softKey('p256');
const online = softKey('p256');
const previous = rootMetadata({ version: 7, rootKeys: [a, b, c], threshold: 2, online });
const next = rootMetadata({ version: 8, rootKeys: [b, c, d, e], threshold: 3, online });
const prepare = (): RootSigning => prepareRootSigning({ next: signedRootText(next, []), previous: signedRootText(previous, [a, b]), now: NOW });
const signer = (k: SoftKey, tamper?: (d: Uint8Array) => Uint8Array) => ({ ...softToken(k, tamper), session: 's1', key: { id: '01', label: 'root' }, spki: k.spki });

/** tuf-js's own check of a root update: the previous root's threshold, then the new root's own. */
function tufJsAccepts(s: RootSigning, signed: ReturnType<typeof withSignatures>): boolean {
  const newMd = Metadata.fromJSON(MetadataKind.Root, JSON.parse(serializeRoot(signed)));
  const oldMd = Metadata.fromJSON(MetadataKind.Root, s.previous!.metadata as never);
  try {
    oldMd.verifyDelegate('root', newMd);
    newMd.verifyDelegate('root', newMd);
    return true;
  } catch {
    return false;
  }
}

describe('signing on the token', () => {
  it('signs the canonical bytes with each key kind; tuf-js accepts the root once both thresholds are met', async () => {
    const s = prepare();
    const sigs = [];
    for (const k of [a, b, c, d, e]) {
      const t = signer(k);
      const made = await signRootOnToken(s, { token: t.token, session: t.session, key: t.key, spki: t.spki });
      expect(made).toEqual([{ keyid: k.keyid, sig: expect.stringMatching(/^[0-9a-f]+$/) }]);
      expect(t.calls()).toBe(1);
      sigs.push(...made);
    }
    // Without e: a, b, c sign for the previous root (2 needed), b, c, d for the new one (3 needed).
    const enough = withSignatures(s.next, sigs.filter((x) => x.keyid !== e.keyid));
    expect(rootThreshold(s, enough.signatures)).toMatchObject({ met: true, previous: { signedBy: [a.keyid, b.keyid, c.keyid], needed: 0 }, new: { signedBy: [b.keyid, c.keyid, d.keyid], needed: 0 } });
    expect(tufJsAccepts(s, enough)).toBe(true);
  });

  it('is not enough with one signature missing, by our count and by tuf-js', async () => {
    const s = prepare();
    const sigs = await Promise.all([b, c].map((k) => signRootOnToken(s, signer(k))));
    const short = withSignatures(s.next, sigs.flat());
    const report = rootThreshold(s, short.signatures);
    expect(report).toMatchObject({ met: false, previous: { met: true }, new: { met: false, needed: 1, threshold: 3 } });
    expect(tufJsAccepts(s, short)).toBe(false);
  });

  it('refuses a key the root role of neither root lists, without touching the token', async () => {
    const s = prepare();
    const t = signer(online);
    await expect(signRootOnToken(s, t)).rejects.toMatchObject({ code: 'TUF_KEY_NOT_ROOT_KEY' });
    expect(t.calls()).toBe(0);
  });

  it('refuses a signature the token made over other bytes', async () => {
    const t = signer(b, (data) => new Uint8Array([...data, 0x20]));
    await expect(signRootOnToken(prepare(), t)).rejects.toMatchObject({ code: 'TUF_SIGNATURE_INVALID' });
  });

  it('gives one signature per keyid when the root lists the key under two keyids (previous and new)', async () => {
    const renamed = '0f'.repeat(32);
    const n2 = structuredClone(next);
    const keys = n2.signed.keys as Record<string, unknown>;
    keys[renamed] = keys[b.keyid];
    delete keys[b.keyid];
    (n2.signed.roles as Record<string, { keyids: string[] }>).root!.keyids[0] = renamed;
    const s = prepareRootSigning({ next: signedRootText(n2, []), previous: signedRootText(previous, []), now: NOW });
    const t = signer(b);
    const made = await signRootOnToken(s, t);
    expect(made.map((x) => x.keyid).sort()).toEqual([b.keyid, renamed].sort());
    expect(t.calls()).toBe(1);
    // Both keyids name one key: it counts once toward a threshold.
    const c1 = await signRootOnToken(s, signer(c));
    expect(rootThreshold(s, [...made, ...c1]).new).toMatchObject({ signedBy: [renamed, c.keyid], needed: 1 });
  });
});

describe('importing signatures made elsewhere', () => {
  it('adds a valid signature (replacing an empty placeholder) and refuses one over other bytes', () => {
    const s = prepare();
    const good = importSignature(s, tufSign(d, next.signed));
    expect(good.keyid).toBe(d.keyid);
    const withPlaceholder = { ...s, next: parseRoot(JSON.stringify({ signatures: [{ keyid: d.keyid, sig: '' }], signed: next.signed })) };
    const added = withSignatures(withPlaceholder.next, [good]);
    expect(added.signatures).toEqual([good]);
    expect(added.notes.some((n) => n.code === 'TUF_SIGNATURE_EMPTY')).toBe(false);
    const otherBytes = tufSign(d, { ...next.signed, version: 9 });
    const err = (() => { try { importSignature(s, otherBytes); } catch (x) { return x; } })();
    expect(err).toMatchObject({ code: 'TUF_SIGNATURE_INVALID', details: { keyid: d.keyid, signedSha256: s.signedSha256 } });
  });

  it('refuses a signature by a key that is not a root key, and one by another root key under this keyid', () => {
    const s = prepare();
    expect(() => importSignature(s, tufSign(online, next.signed))).toThrow(expect.objectContaining({ code: 'TUF_SIGNATURE_UNKNOWN_KEY' }));
    expect(() => importSignature(s, { ...tufSign(e, next.signed), keyid: b.keyid })).toThrow(expect.objectContaining({ code: 'TUF_SIGNATURE_INVALID' }));
  });

  it('takes the signatures of another copy of this root, skipping empty and non-root ones', () => {
    const s = prepare();
    const copy = JSON.parse(signedRootText(next, [c, online])) as { signatures: { keyid: string; sig: string }[] };
    copy.signatures.push({ keyid: e.keyid, sig: '' });
    const r = importSignaturesFromFile(s, JSON.stringify(copy));
    expect(r.imported.map((x) => x.keyid)).toEqual([c.keyid]);
    expect(r.skipped.map((x) => x.keyid)).toEqual([online.keyid, e.keyid]);
  });

  it('refuses a copy whose signed part is another root, saying how it differs', () => {
    const s = prepare();
    const other = rootMetadata({ version: 8, rootKeys: [b, c, d, e], threshold: 3, online, expires: '2037-01-01T00:00:00Z' });
    const err = (() => { try { importSignaturesFromFile(s, signedRootText(other, [c])); } catch (x) { return x as Error; } })();
    expect(err).toMatchObject({ code: 'TUF_SIGNED_DIFFERS', details: { ours: s.signedSha256, theirs: canonicalSha256(other.signed) } });
    expect(err?.message).toContain('differ in expires');
  });
});

describe('threshold report', () => {
  it('lists a present but invalid signature, which counts for nothing', () => {
    const s = prepare();
    const bad = { ...tufSign(c, { x: 1 }) };
    const report = rootThreshold(s, [bad, tufSign(b, next.signed)]);
    expect(report.invalid).toEqual([c.keyid]);
    expect(report.previous).toMatchObject({ signedBy: [b.keyid], needed: 1, version: 7 });
    expect(report.new).toMatchObject({ signedBy: [b.keyid], needed: 2, version: 8 });
  });

  it('counts the new root alone for a first root', () => {
    const first = rootMetadata({ version: 1, rootKeys: [a, b], threshold: 2, online });
    const s = prepareRootSigning({ next: signedRootText(first, [a, b]), now: NOW });
    expect(rootThreshold(s)).toEqual({ met: true, invalid: [], new: { root: 'new', version: 1, threshold: 2, signedBy: [a.keyid, b.keyid], needed: 0, met: true } });
  });

  it('writes a root.json that reads back to the same signed part and signatures', () => {
    const s = prepare();
    const out = withSignatures(s.next, [tufSign(b, next.signed)]);
    const back = parseRoot(serializeRoot(out));
    expect(back.signed).toEqual(s.next.signed);
    expect(back.signatures).toEqual(out.signatures);
    expect(serializeRoot(out).startsWith('{\n  "signatures"')).toBe(true);
  });
});

describe('importing something that is no signature', () => {
  it.each(['', 'xyz', 'abc'])('refuses sig %j', (sig) => {
    expect(() => importSignature(prepare(), { keyid: b.keyid, sig })).toThrow(expect.objectContaining({ code: 'TUF_SIGNATURE_INVALID', message: expect.stringMatching(/empty|not hex/) }));
  });
});
