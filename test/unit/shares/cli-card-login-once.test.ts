/**
 * `--card-module/--card-token/--card-key [--card-pin-file]`: share files encrypted to a custodian's
 * card key open on that card (soft-token.ts stands in for the token host). One login serves every
 * file; the PIN comes from the PIN file, else from a hidden prompt naming the card; a failed login is
 * never retried with the same PIN (it would burn the card's PIN tries); the key is found by its label
 * among private keys; a missing key is named; close() stops the host, also when nothing was opened.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cardFromCli, cardShareOpener, type TokenConnector } from '../../../electron/core/shares/cli-input';
import { encryptShareForCard } from '../../../electron/core/shares/token-file';
import type { ShareEnvelope } from '../../../electron/core/shares/envelope';
import type { TokenClient } from '../../../electron/core/token/client';
import { fakeTerminal } from './fake-terminal';
import { softBackup } from './fixtures';
import { SoftToken } from './soft-token';

const dir = mkdtempSync(join(tmpdir(), 'keyrite-card-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const shares = softBackup({ k: 2, custodians: ['alice', 'bob', 'carol'] }).then((b) => b.shares);

/** A card with a decoy key and the custodian's key (both private), and what the CLI asked of it. */
function custodianCard() {
  const t = new SoftToken();
  t.addKeyPair('ec-p384', 'decoy');
  const key = t.addKeyPair('ec-p384', 'alice-share');
  const logins: unknown[][] = [];
  const finds: unknown[] = [];
  const modules: string[] = [];
  let closed = 0;
  const api = t.api();
  const client = new Proxy(api, {
    get: (target, p) => {
      if (p === 'close') return async () => { closed++; };
      if (p === 'openSession') return async (...a: unknown[]) => { logins.push(a); return target.openSession(...(a as Parameters<typeof api.openSession>)); };
      if (p === 'findKeys') return async (s: string, q: object) => { finds.push(q); return target.findKeys(s, q); };
      return target[p as keyof typeof target];
    },
  }) as unknown as TokenClient;
  const connect: TokenConnector = (modulePath) => { modules.push(modulePath); return client; };
  return { t, key, connect, logins, finds, modules, closed: () => closed };
}

describe('a custodian card', () => {
  it('opens several files with one login, the PIN read from the PIN file, the key found by label among private keys', async () => {
    const card = custodianCard();
    const files = await Promise.all((await shares).map((e) => encryptShareForCard(e, card.key.spki)));
    const pinFile = join(dir, 'pin');
    writeFileSync(pinFile, '314159\n');
    const term = fakeTerminal();
    const opener = cardFromCli({ 'card-module': '/usr/lib/pkcs11/card.so', 'card-token': 'alice-card', 'card-key': 'alice-share', 'card-pin-file': pinFile }, term, card.connect);
    for (const [i, f] of files.entries()) expect(await opener?.open(f)).toEqual((await shares)[i]);
    expect(card.modules).toEqual(['/usr/lib/pkcs11/card.so']);
    expect(card.logins).toEqual([[{ label: 'alice-card' }, { pin: '314159' }]]);
    expect(card.finds).toEqual(files.map(() => ({ label: 'alice-share', class: 'private' })));
    expect(term.shown()).toBe('');
    await opener?.close();
    expect(card.closed()).toBe(1);
  });

  it('without a PIN file asks once, hidden, naming the card', async () => {
    const card = custodianCard();
    const e = (await shares)[0] as ShareEnvelope;
    const file = await encryptShareForCard(e, card.key.spki);
    const term = fakeTerminal();
    const opener = cardFromCli({ 'card-module': 'm.so', 'card-token': 'alice-card', 'card-key': 'alice-share' }, term, card.connect);
    const first = opener?.open(file);
    await term.type('271828\r');
    expect(await first).toEqual(e);
    expect(await opener?.open(file)).toEqual(e);
    expect(card.logins).toEqual([[{ label: 'alice-card' }, { pin: '271828' }]]);
    expect(card.modules).toEqual(['m.so']);
    expect(term.shown()).toContain('PIN for card alice-card: ');
    expect(term.text()).not.toMatch(/[0-9]/);
  });

  it('a failed login is not tried again for the next file', async () => {
    const card = custodianCard();
    card.t.faults = { failWith: { call: 'openSession', code: 'PIN_INCORRECT' } };
    const file = await encryptShareForCard((await shares)[0] as ShareEnvelope, card.key.spki);
    const pinFile = join(dir, 'wrong-pin');
    writeFileSync(pinFile, '000000\n');
    const opener = cardShareOpener({ module: 'm.so', token: 'alice-card', keyLabel: 'alice-share', pinFile }, fakeTerminal(), card.connect);
    const first = await opener.open(file).catch((x: unknown) => x);
    expect(first).toMatchObject({ code: 'PIN_INCORRECT' });
    card.t.faults = {};
    expect(await opener.open(file).catch((x: unknown) => x)).toBe(first);
    expect(card.logins).toHaveLength(1);
  });

  it('a card without the named key says so and what to check; an unreadable PIN file names itself', async () => {
    const card = custodianCard();
    const file = await encryptShareForCard((await shares)[0] as ShareEnvelope, card.key.spki);
    const pinFile = join(dir, 'pin2');
    writeFileSync(pinFile, '314159');
    const opener = cardShareOpener({ module: 'm.so', token: 'alice-card', keyLabel: 'bob-share', pinFile }, fakeTerminal(), card.connect);
    await expect(opener.open(file)).rejects.toMatchObject({
      code: 'SHARE_TOKEN_DECRYPT_FAILED', message: 'Card alice-card has no private key labelled "bob-share".', action: 'Check --card-key against the key the share was encrypted to.',
    });
    const missing = join(dir, 'no-pin');
    const other = cardShareOpener({ module: 'm.so', token: 'alice-card', keyLabel: 'alice-share', pinFile: missing }, fakeTerminal(), card.connect);
    await expect(other.open(file)).rejects.toMatchObject({ code: 'INPUT_UNREADABLE', message: `Cannot read the card PIN file ${missing}: ENOENT.` });
  });

  it('close() before any file was opened starts nothing and does not fail', async () => {
    const card = custodianCard();
    const opener = cardShareOpener({ module: 'm.so', token: 'alice-card', keyLabel: 'alice-share' }, fakeTerminal(), card.connect);
    await opener.close();
    expect(card.modules).toEqual([]);
    expect(card.closed()).toBe(0);
  });
});
