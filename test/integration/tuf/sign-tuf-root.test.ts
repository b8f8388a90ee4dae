/**
 * TUF root signing on SoftHSM2 tokens, checked by tuf-js: a root signed on the token with each key
 * type TUF clients verify (ECDSA P-256, P-384, RSA-3072 RSA-PSS, Ed25519) is taken by tuf-js's
 * Updater as the next trusted root; in a rotation signed on two tokens plus an imported
 * signature, one missing signature leaves the threshold unmet (and tuf-js refuses the root), and a
 * signature over other bytes is refused on import.
 */
import { randomBytes } from 'node:crypto';
import { Metadata, MetadataKind } from '@tufjs/models';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTokenClient, type TokenClient } from '../../../electron/core/token/client';
import type { KeyAlgorithm } from '../../../electron/core/token/types';
import type { JsonObject } from '../../../electron/core/tuf/canonical';
import { tufKeyFromSpki } from '../../../electron/core/tuf/keys';
import { prepareRootSigning, serializeRoot, withSignatures, type RootSigning } from '../../../electron/core/tuf/root-signing';
import { importSignature, signRootOnToken, type TokenRootSigner } from '../../../electron/core/tuf/signatures';
import { rootThreshold } from '../../../electron/core/tuf/threshold';
import { rootMetadata, softKey, tufSign, type KeyEntry } from '../../fixtures/tuf/roots';
import { tufJsUpdate } from '../../fixtures/tuf/tuf-js-client';
import { makeToken, tempDir, USER_PIN } from '../../helpers/softhsm';

const tmp = tempDir('keyrite-tuf-');
const NOW = new Date();
const online = softKey('p256');
const clients: TokenClient[] = [];
const signers = new Map<KeyAlgorithm, TokenRootSigner>();
let ed25519 = false;

/** Opens a token and makes one key per algorithm on it. */
async function tokenWith(label: string, algorithms: KeyAlgorithm[]): Promise<void> {
  const token = await makeToken(tmp.dir, label);
  const client = createTokenClient({ modulePath: token.modulePath, env: token.env });
  clients.push(client);
  const session = await client.openSession({ label }, { pin: USER_PIN });
  const view = (await client.listSlots()).find((s) => s.token?.label === label)?.token;
  for (const algorithm of algorithms) {
    if (!view?.algorithms.includes(algorithm)) continue;
    const pair = await client.generateKeyPair(session, { algorithm, label: `tuf-${algorithm}`, id: randomBytes(8).toString('hex'), extractableForBackup: false, finalAttributes: true });
    signers.set(algorithm, { token: client, session, key: { id: pair.id, label: pair.label }, spki: pair.spki });
    if (algorithm === 'ed25519') ed25519 = true;
  }
}

beforeAll(async () => {
  await tokenWith('tuf-a', ['ec-p256', 'ec-p384']);
  await tokenWith('tuf-b', ['rsa-3072', 'ed25519']);
});
afterAll(async () => {
  for (const c of clients) await c.close();
  tmp.cleanup();
});

/** The TUF key entry of the token key of this algorithm. */
const entryOf = (algorithm: KeyAlgorithm): KeyEntry => tufKeyFromSpki(signers.get(algorithm)!.spki);

async function signAll(s: RootSigning, algorithms: KeyAlgorithm[]): Promise<{ keyid: string; sig: string }[]> {
  const out = [];
  for (const a of algorithms) out.push(...await signRootOnToken(s, signers.get(a)!));
  return out;
}

const text = (m: { signatures: unknown[]; signed: JsonObject }): string => JSON.stringify(m);

describe.each(['ec-p256', 'ec-p384', 'rsa-3072', 'ed25519'] as KeyAlgorithm[])('a root signed on SoftHSM2 with %s', (algorithm) => {
  it('is the next trusted root for tuf-js (Updater root rotation), after a first root signed the same way', async (ctx) => {
    if (!signers.has(algorithm)) ctx.skip();
    const k = entryOf(algorithm);
    const v1 = prepareRootSigning({ next: text(rootMetadata({ version: 1, rootKeys: [k], threshold: 1, online })), now: NOW });
    const v1Signed = serializeRoot(withSignatures(v1.next, await signAll(v1, [algorithm])));
    const v2 = prepareRootSigning({ next: text(rootMetadata({ version: 2, rootKeys: [k], threshold: 1, online, expires: '2037-01-01T00:00:00Z' })), previous: v1Signed, now: NOW });
    const sigs = await signAll(v2, [algorithm]);
    expect(sigs).toEqual([{ keyid: k.keyid, sig: expect.stringMatching(/^[0-9a-f]+$/) }]);
    expect(rootThreshold(v2, sigs).met).toBe(true);
    const v2Signed = serializeRoot(withSignatures(v2.next, sigs));
    expect(await tufJsUpdate(v1Signed, [v2Signed], online)).toEqual({ ok: true, trustedVersion: 2 });
  });
});

describe('a root rotation signed on two tokens and by a key held elsewhere', () => {
  // Previous root (v1): P-256, P-384 (token A) and an offline key X, 2 of 3.
  // New root (v2): P-256, P-384 (token A), RSA-3072 and Ed25519 (token B), 3 of 4: X leaves.
  const x = softKey('p384');
  let v1Signed: string;
  let s: RootSigning;

  beforeAll(async () => {
    const tokenKeys = (['ec-p256', 'ec-p384', 'rsa-3072', 'ed25519'] as KeyAlgorithm[]).filter((a) => signers.has(a)).map(entryOf);
    const v1 = rootMetadata({ version: 1, rootKeys: [tokenKeys[0]!, tokenKeys[1]!, x], threshold: 2, online });
    const p1 = prepareRootSigning({ next: text(v1), now: NOW });
    v1Signed = serializeRoot(withSignatures(p1.next, await signAll(p1, ['ec-p256', 'ec-p384'])));
    s = prepareRootSigning({ next: text(rootMetadata({ version: 2, rootKeys: tokenKeys, threshold: 3, online })), previous: v1Signed, now: NOW });
  });

  it('shows what changes before signing: X out, the token B keys in, threshold 2 -> 3', () => {
    const root = s.changes!.roles.find((r) => r.role === 'root')!;
    expect(root.threshold).toEqual({ from: 2, to: 3, changed: true });
    expect(root.keyidsRemoved).toEqual([x.keyid]);
    expect(s.changes!.keysRemoved.map((k) => k.keyid)).toEqual([x.keyid]);
    expect(s.changes!.keysAdded.map((k) => k.scheme)).toEqual(ed25519 ? ['rsassa-pss-sha256', 'ed25519'] : ['rsassa-pss-sha256']);
  });

  it('meets both thresholds with the token signatures and an imported one; tuf-js takes it', async () => {
    const sigs = [...await signAll(s, ['ec-p256', 'ec-p384', 'rsa-3072']), importSignature(s, tufSign(x, s.next.signed))];
    const report = rootThreshold(s, sigs);
    expect(report).toMatchObject({ met: true, invalid: [], previous: { signedBy: [entryOf('ec-p256').keyid, entryOf('ec-p384').keyid, x.keyid] } });
    const signed = serializeRoot(withSignatures(s.next, sigs));
    expect(await tufJsUpdate(v1Signed, [signed], online)).toEqual({ ok: true, trustedVersion: 2 });
    const md = Metadata.fromJSON(MetadataKind.Root, JSON.parse(signed));
    expect(() => Metadata.fromJSON(MetadataKind.Root, JSON.parse(v1Signed)).verifyDelegate('root', md)).not.toThrow();
  });

  it('with one signature missing, the new threshold is not met and tuf-js keeps the previous root', async () => {
    const sigs = await signAll(s, ['ec-p256', 'ec-p384']);
    const report = rootThreshold(s, sigs);
    expect(report).toMatchObject({ met: false, previous: { met: true }, new: { met: false, needed: 1 } });
    const outcome = await tufJsUpdate(v1Signed, [serializeRoot(withSignatures(s.next, sigs))], online);
    expect(outcome).toEqual({ ok: false, trustedVersion: 1, error: expect.stringMatching(/signed by 2\/3 keys/) });
  });

  it('refuses an imported signature over other bytes (another draft of the root)', () => {
    const draft = { ...s.next.signed, expires: '2030-01-01T00:00:00Z' };
    expect(() => importSignature(s, tufSign(x, draft))).toThrow(expect.objectContaining({ code: 'TUF_SIGNATURE_INVALID' }));
  });

  it('signs with Ed25519 on the token when it can', async (ctx) => {
    if (!ed25519) ctx.skip();
    const sigs = await signAll(s, ['ed25519', 'rsa-3072', 'ec-p256', 'ec-p384']);
    expect(rootThreshold(s, sigs)).toMatchObject({ met: true, new: { signedBy: expect.arrayContaining([entryOf('ed25519').keyid]) } });
  });
});
