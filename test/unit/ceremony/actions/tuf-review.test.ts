/**
 * The sign-tuf-root step puts what changes to the room before anything is signed: journaled
 * (tuf.root-changes), then a `review` need; only a confirm for the changes journaled goes on to the
 * token (step.reviewed first). Asked again on resume without a second entry; input files changed
 * since are journaled and asked again. Entries go through the journal's canonical JSON, as in a run.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { signTufRootStep } from '../../../../electron/core/ceremony/actions/tuf';
import { encodeEntry, parseEntryText, ZERO_HASH } from '../../../../electron/core/transcript/entry-codec';
import type { JournalEntry } from '../../../../electron/core/transcript/entry-kinds';
import { rootMetadata, signedRootText, softKey } from '../../../fixtures/tuf/roots';

const dir = mkdtempSync(path.join(tmpdir(), 'keyrite-tuf-review-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const [a, b, c, online] = [softKey('p256'), softKey('p384'), softKey('ed25519'), softKey('p256')];
const v1 = rootMetadata({ version: 1, rootKeys: [a, b], threshold: 2, online });
const v2 = (expires: string) => rootMetadata({ version: 2, rootKeys: [a, b, c], threshold: 2, online, expires });
writeFileSync(path.join(dir, 'v1.json'), signedRootText(v1, [a, b]));
writeFileSync(path.join(dir, 'v2.json'), JSON.stringify(v2('2037-01-01T00:00:00Z')));

const TOKEN_REACHED = new Error('token reached');
const entries: JournalEntry[] = [];
const ctx = {
  script: { participants: [{ name: 'Alice Admin', role: 'administrator' }], tuf: { root: 'v2.json', previousRoot: 'v1.json', importSignatures: [] } },
  scriptDir: dir, now: () => new Date('2026-12-01T00:00:00Z'), facts: { key: { id: '01', label: 'root', fingerprint: 'f', spki: '' } },
  stepEntries: () => entries,
  append: async (input: { kind: string; data: unknown; actor?: { role: string; name: string } }) => {
    const entry = { v: 1, seq: entries.length, time: '2026-12-01T00:00:00.000Z', ceremony: 'c', kind: input.kind, step: 'tuf-root', actor: input.actor ?? { role: 'system', name: 'keyrite' }, data: input.data, prev: ZERO_HASH } as JournalEntry;
    const text = encodeEntry(entry);
    const parsed = parseEntryText(text, text.length);
    if (!parsed.ok) throw new Error(parsed.why);
    entries.push(parsed.entry);
    return parsed.entry;
  },
  token: () => { throw TOKEN_REACHED; }, session: () => { throw TOKEN_REACHED; },
} as unknown as Parameters<typeof signTufRootStep.advance>[0];
const kinds = () => entries.map((e) => e.kind);

describe('sign-tuf-root review before signing', () => {
  it('journals the changes, then asks the room to review them: version, signed SHA-256 and each change line', async () => {
    const out = await signTufRootStep.advance(ctx, undefined);
    expect(kinds()).toEqual(['tuf.root-changes']);
    const changes = entries[0]!.data as { signedSha256: string; summary: string[] };
    expect(out).toEqual({ need: expect.objectContaining({ kind: 'review', who: 'Alice Admin', title: 'Check what root.json version 2 changes before the token signs it' }) });
    const facts = (out as { need: { facts: { label: string; value: string; mono?: boolean }[] } }).need.facts;
    expect(facts.slice(0, 2)).toEqual([{ label: 'Version', value: '1 → 2' }, { label: 'Signed part SHA-256', value: changes.signedSha256, mono: true }]);
    expect(facts.filter((f) => f.label === 'Change').map((f) => f.value)).toEqual(changes.summary);
  });

  it('asks again on resume (or any other input) without journaling the changes twice', async () => {
    expect(await signTufRootStep.advance(ctx, undefined)).toMatchObject({ need: { kind: 'review' } });
    expect(await signTufRootStep.advance(ctx, { kind: 'pin', pin: '1' })).toMatchObject({ need: { kind: 'review' } });
    expect(kinds()).toEqual(['tuf.root-changes']);
  });

  it('a root changed since the review is journaled and asked again: the confirm does not sign it', async () => {
    writeFileSync(path.join(dir, 'v2.json'), JSON.stringify(v2('2038-01-01T00:00:00Z')));
    expect(await signTufRootStep.advance(ctx, { kind: 'confirm', who: 'Alice Admin' })).toMatchObject({ need: { kind: 'review' } });
    expect(kinds()).toEqual(['tuf.root-changes', 'tuf.root-changes']);
  });

  it('the confirm for the changes journaled is journaled (step.reviewed), and only then is the token used', async () => {
    await expect(signTufRootStep.advance(ctx, { kind: 'confirm', who: 'Alice Admin' })).rejects.toBe(TOKEN_REACHED);
    expect(kinds()).toEqual(['tuf.root-changes', 'tuf.root-changes', 'step.reviewed']);
    expect(entries[2]).toMatchObject({ actor: { role: 'administrator', name: 'Alice Admin' }, data: { confirmedBy: 'Alice Admin', signedSha256: (entries[1]!.data as { signedSha256: string }).signedSha256 } });
  });

  it('resumed after the signing was journaled (before the step ended), it reports what was signed and does not sign again', async () => {
    const signedSha256 = (entries[1]!.data as { signedSha256: string }).signedSha256;
    const role = (root: 'previous' | 'new', version: number) => ({ root, version, threshold: 2, signedBy: ['k1', 'k2'], needed: 0, met: true });
    await ctx.append({ kind: 'tuf.root-signed', data: {
      version: 2, signedSha256, keyFingerprint: 'f', file: 'root.json',
      signatures: [{ keyid: 'k1', sig: '3045', source: 'token' }, { keyid: 'k2', sig: '3046', source: 'import', file: 'b.json' }],
      threshold: { met: true, previous: role('previous', 1), new: role('new', 2), invalid: [] },
    } });
    const out = await signTufRootStep.advance(ctx, { kind: 'confirm', who: 'Alice Admin' });
    expect(kinds()).toEqual(['tuf.root-changes', 'tuf.root-changes', 'step.reviewed', 'tuf.root-signed']);
    const facts = (out as { performed: { label: string; value: string }[] }).performed;
    expect(facts).toEqual(expect.arrayContaining([
      expect.objectContaining({ label: 'Signed on the token', value: 'keyid k1' }),
      expect.objectContaining({ label: 'Imported from b.json', value: 'keyid k2' }),
      expect.objectContaining({ label: 'TUF clients accept it', value: 'yes: both thresholds are met' }),
    ]));
  });
});
