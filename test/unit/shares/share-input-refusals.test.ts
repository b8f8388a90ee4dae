/**
 * What a custodian or operator reads when a share is entered: every way a share can arrive reaches
 * the same envelope, an encrypted file given where plain text is expected is refused with what to
 * open it with, and a share that is not one of this backup's is refused with why, what to do, and
 * the details the screens and `--json` carry (docs/SHARES.md). No token: a token share file is made
 * to a software RSA key and opened by an in-memory opener standing in for the custodian's token.
 */
import { constants, generateKeyPairSync, privateDecrypt } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { generateX25519Identity, identityToRecipient } from 'age-encryption';
import { encryptShareToPassphrase } from '../../../electron/core/shares/age-file';
import { encryptShareToRecipient } from '../../../electron/core/shares/age-recipient';
import { decodeEnvelope, encodeEnvelope, makeEnvelope, type ShareEnvelope } from '../../../electron/core/shares/envelope';
import { shareQrPayload } from '../../../electron/core/shares/qr';
import { decodeShareInput, enteredShareToInput, matchShareToBackup, verifyShareAgainstBackup, type OpenShareOnToken } from '../../../electron/core/shares/share-input';
import { encryptShareToTokenKey } from '../../../electron/core/shares/token-file';
import { encodeShareWords } from '../../../electron/core/shares/words';
import { fromBase64 } from '../../../electron/core/shares/bytes';
import { thrownKeyriteError as thrown } from '../../helpers/keyrite-error';
import { softBackup } from './fixtures';

/** A custodian's RSA key in software, and an opener that does what their token would: RSA-OAEP with it. */
function softTokenKey() {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const spki = new Uint8Array(publicKey.export({ format: 'der', type: 'spki' }));
  const asked: [string, string][] = [];
  const open: OpenShareOnToken = async (tokenSerial, pin, content) => {
    asked.push([tokenSerial, pin]);
    const file = JSON.parse(content) as { ciphertext: string };
    return decodeEnvelope(new Uint8Array(privateDecrypt({ key: privateKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' }, fromBase64(file.ciphertext))));
  };
  return { spki, open, asked };
}

describe('every way a share arrives gives the same envelope', () => {
  it('a token share file is handed with its serial and PIN to the opener, and its envelope comes back', async () => {
    const { shares } = await softBackup();
    const e = shares[1]!;
    const token = softTokenKey();
    const content = encryptShareToTokenKey(e, token.spki);
    const input = await enteredShareToInput({ kind: 'token', fileName: 'bob.share.json', content, tokenSerial: '0a1b2c', pin: '123456' }, token.open);
    expect(decodeShareInput(input)).toEqual(e);
    expect(token.asked).toEqual([['0a1b2c', '123456']]);
  });

  it('raw bytes, words as one string, and a QR payload read from a file with blank lines around it', async () => {
    const { shares } = await softBackup();
    const e = shares[2]!;
    expect(decodeShareInput({ bytes: encodeEnvelope(e) })).toEqual(e);
    expect(decodeShareInput({ words: encodeShareWords(e).join(' ') })).toEqual(e);
    expect(decodeShareInput({ words: encodeShareWords(e) })).toEqual(e);
    expect(decodeShareInput({ text: `\n  ${shareQrPayload(e)}\n\n` })).toEqual(e);
  });

  it('a malformed envelope object is refused as malformed, with what to do', async () => {
    const { shares } = await softBackup();
    const err = thrown(() => decodeShareInput({ envelope: { ...shares[0]!, ceremonyTag: 'zz' } }));
    expect(err.code).toBe('SHARE_FORMAT');
    expect(err.message).toMatch(/malformed/);
    expect(err.action).toMatch(/again from its sheet or file/);
  });
});

describe('an encrypted share given as text is refused with what opens it, not read as words', () => {
  it('an age passphrase file', async () => {
    const { shares } = await softBackup();
    const file = await encryptShareToPassphrase(shares[0]!, 'correct horse battery', { scryptLogN: 10 });
    const refused = thrown(() => decodeShareInput({ text: file }));
    expect(refused.code).toBe('SHARE_FORMAT');
    expect(refused.message).toMatch(/age file.*passphrase/);
    expect(refused.action).toMatch(/passphrase/);
  });

  it('an age file to the custodian\'s recipient', async () => {
    const { shares } = await softBackup();
    const sealed = await encryptShareToRecipient(shares[0]!, await identityToRecipient(await generateX25519Identity()));
    const refused = thrown(() => decodeShareInput({ text: sealed.text }));
    expect(refused.code).toBe('SHARE_FORMAT');
    expect(refused.message).toMatch(/identity/);
    expect(refused.action).toMatch(/--age-identity/);
  });

  it('a file encrypted to a custodian\'s token key', async () => {
    const { shares } = await softBackup();
    const refused = thrown(() => decodeShareInput({ text: encryptShareToTokenKey(shares[0]!, softTokenKey().spki) }));
    expect(refused.code).toBe('SHARE_FORMAT');
    expect(refused.message).toMatch(/token key/);
    expect(refused.action).toMatch(/token and PIN/);
  });
});

describe('a share that is not one of this backup\'s', () => {
  it('of another ceremony: names both ceremony tags, says to set it aside, and carries the share\'s tag', async () => {
    const { backup } = await softBackup();
    const other = (await softBackup({ ceremonyId: 'another-ceremony' })).shares[0]!;
    const err = thrown(() => verifyShareAgainstBackup(backup, { envelope: other }));
    expect(err.code).toBe('SHARE_WRONG_CEREMONY');
    expect(err.message).toContain(other.ceremonyTag);
    expect(err.message).toContain(backup.split.ceremonyTag);
    expect(err.action).toMatch(/Set this share aside/);
    expect(err.details).toEqual({ ceremonyTag: other.ceremonyTag });
  });

  it('of a voided split: names who voided it and the current split; of another split: not called void', async () => {
    const { backup } = await softBackup();
    const old = (await softBackup()).shares[0]!;
    const stranger = (await softBackup()).shares[0]!;
    const voided = structuredClone(backup);
    voided.split.voids = [
      { splitId: stranger.splitId === 'a1b2c3d4' ? 'a1b2c3d5' : 'a1b2c3d4', voidedBy: 'reshare-2026-01', at: '2026-01-02T00:00:00Z' },
      { splitId: old.splitId, voidedBy: 'reshare-2026-12', at: '2026-12-01T00:00:00Z' },
    ];
    const err = thrown(() => verifyShareAgainstBackup(voided, { envelope: old }));
    expect(err.code).toBe('SHARE_SPLIT_VOID');
    expect(err.message).toContain(old.splitId);
    expect(err.message).toContain('reshare-2026-12');
    expect(err.message).toContain(backup.split.id);
    expect(err.action).toMatch(/must not be used.*destruction/);
    expect(err.details).toEqual({ splitId: old.splitId });

    const wrong = thrown(() => verifyShareAgainstBackup(voided, { envelope: stranger }));
    expect(wrong.code).toBe('SHARE_WRONG_SPLIT');
    expect(wrong.message).toContain(stranger.splitId);
    expect(wrong.message).toContain(backup.split.id);
    expect(wrong.action).toMatch(/backup file that goes with this share/);
    expect(wrong.details).toEqual({ splitId: stranger.splitId });
  });

  it('with another k-of-n header: says both, and that something was altered', async () => {
    const { backup, shares } = await softBackup();
    const e = shares[0]!;
    const err = thrown(() => verifyShareAgainstBackup(backup, { envelope: makeEnvelope({ ...e, k: 2 }) }));
    expect(err.code).toBe('SHARE_WRONG_SPLIT');
    expect(err.message).toContain('2-of-5');
    expect(err.message).toContain('3-of-5');
    expect(err.action).toMatch(/altered/);
    expect(err.details).toEqual({ k: 2, n: 5 });
  });

  it('with an x no custodian was given (the backup file lost that record): SHARE_UNKNOWN with the x', async () => {
    const { backup, shares } = await softBackup();
    const e = shares[4]!;
    const altered = structuredClone(backup);
    altered.split.shares = altered.split.shares.filter((s) => s.x !== e.x);
    const err = thrown(() => matchShareToBackup(altered, e));
    expect(err.code).toBe('SHARE_UNKNOWN');
    expect(err.message).toMatch(/No custodian/);
    expect(err.action).toMatch(/altered/);
    expect(err.details).toEqual({ x: e.x });
    expect(matchShareToBackup(backup, e).custodian).toBe('erin');
  });

  it('whose bytes differ from the commitment: names the custodian and share number, and asks them to read it again', async () => {
    const { backup, shares } = await softBackup();
    const e: ShareEnvelope = shares[2]!;
    const share = new Uint8Array(e.share);
    share[0] = (share[0] ?? 0) ^ 1;
    const err = thrown(() => verifyShareAgainstBackup(backup, { envelope: makeEnvelope({ ...e, share }) }));
    expect(err.code).toBe('SHARE_COMMITMENT_MISMATCH');
    expect(err.message).toContain('carol\'s share (#3)');
    expect(err.action).toMatch(/^Ask carol to read the share again/);
  });
});
