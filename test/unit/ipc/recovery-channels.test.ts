/**
 * The recovery channels as the renderer reaches them (the handler table): the word helper the share
 * entry screen uses, the view of a recovery (what was accepted, whether the key is rebuilt, and
 * then the facts the room reads), a share that does not fit taken back out so the session stays
 * usable, and a token share that cannot be opened where no token module is configured. No token:
 * backups are split in software (softBackup) and signed by a software P-384 key.
 */
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { wordlist } from '@scure/bip39/wordlists/english.js';
import { describe, expect, it } from 'vitest';
import { createHandlerTable, invokeChannel } from '../../../electron/core/ipc/handlers';
import { checkShareWord } from '../../../electron/core/ipc/recovery-handlers';
import { serializeBackupFile, type BackupFile } from '../../../electron/core/shares/backup-file';
import { shareCommitment } from '../../../electron/core/shares/commitments';
import { makeEnvelope, type ShareEnvelope } from '../../../electron/core/shares/envelope';
import { encryptShareToTokenKey } from '../../../electron/core/shares/token-file';
import { encodeShareWords } from '../../../electron/core/shares/words';
import { signBackup, softBackup } from '../shares/fixtures';
import { refusalOf } from '../../helpers/keyrite-error';

function recovery() {
  const table = createHandlerTable({ dataDir: '/nonexistent', app: { version: 'test', platform: 'linux', rehearsal: true }, tokens: { listSlots: async () => [] } });
  return {
    start: (backup: BackupFile) => invokeChannel(table, 'recovery/start', { backupFileName: 'backup.json', backupText: serializeBackupFile(signBackup(backup)) }),
    add: (e: ShareEnvelope) => invokeChannel(table, 'recovery/add-share', { kind: 'words', words: encodeShareWords(e) }),
    call: (channel: string, req?: unknown) => invokeChannel(table, channel, req),
  };
}

const errorOf = refusalOf;

describe('recovery/check-word', () => {
  it('completes a unique prefix in any case, suggests words for a short one, and says when nothing fits', async () => {
    const { call } = recovery();
    expect(await call('recovery/check-word', { input: '  ABAN ' })).toEqual({ ok: true, value: { word: 'abandon', suggestions: [], unknown: false } });
    expect(checkShareWord('zoo')).toEqual({ word: 'zoo', suggestions: [], unknown: false });
    expect(checkShareWord('   ')).toEqual({ word: null, suggestions: [], unknown: false });
    const ab = wordlist.filter((w) => w.startsWith('ab'));
    expect(ab.length).toBeGreaterThan(8);
    expect(checkShareWord('Ab')).toEqual({ word: null, suggestions: ab.slice(0, 8), unknown: false });
    expect(checkShareWord('ze')).toEqual({ word: null, suggestions: ['zebra', 'zero'], unknown: false });
    expect(checkShareWord('xq')).toEqual({ word: null, suggestions: [], unknown: true });
    expect(checkShareWord('abxy')).toEqual({ word: null, suggestions: [], unknown: true });
  });
});

describe('a recovery through the handler table', () => {
  it('shows what was accepted, and once k are in, the rebuilt key\'s facts', async () => {
    const { backup, shares } = await softBackup();
    const r = recovery();
    expect(await r.start(backup)).toEqual({
      ok: true,
      value: { sessionId: 'recovery-1', ceremonyId: backup.sealed.ceremonyId, keyLabel: 'root', k: 3, n: 5, wordCount: 37, accepted: [], complete: false, facts: [] },
    });
    expect(await r.add(shares[3]!)).toMatchObject({ ok: true, value: { complete: false, facts: [], accepted: [{ ordinal: 1, custodian: 'dave', x: 4 }] } });
    await r.add(shares[0]!);
    expect(await r.add(shares[4]!)).toMatchObject({
      ok: true,
      value: {
        complete: true,
        accepted: [{ ordinal: 1, custodian: 'dave' }, { ordinal: 2, custodian: 'alice' }, { ordinal: 3, custodian: 'erin' }],
        facts: [
          { label: 'Wrapping key', value: 'Rebuilt from the shares and matches its commitment in the backup' },
          { label: 'Key', value: 'root (ec-p384), id 01', mono: true },
          { label: 'Shares used', value: 'dave (#4), alice (#1), erin (#5)' },
        ],
      },
    });
  });

  it('numbers each recovery started, and a new start begins with no share', async () => {
    const { backup, shares } = await softBackup();
    const r = recovery();
    await r.start(backup);
    await r.add(shares[0]!);
    expect(await r.start(backup)).toMatchObject({ ok: true, value: { sessionId: 'recovery-2', accepted: [] } });
    expect(await r.add(shares[0]!)).toMatchObject({ ok: true, value: { accepted: [{ custodian: 'alice' }] } });
  });

  it('refuses a share, and says what to do, when no recovery is open or after it is closed', async () => {
    const { backup, shares } = await softBackup();
    const r = recovery();
    const notOpen = { code: 'RECOVERY_NOT_OPEN', message: 'No recovery is open.', action: 'Choose the backup file first.' };
    expect(errorOf(await r.add(shares[0]!))).toEqual(notOpen);
    await r.start(backup);
    expect(await r.call('recovery/close')).toEqual({ ok: true, value: null });
    expect(errorOf(await r.add(shares[0]!))).toEqual(notOpen);
  });

  it('takes a share that does not fit the others back out, so it can be looked at and entered again', async () => {
    const { backup, shares } = await softBackup();
    // An altered backup: erin's recorded commitment is for a forged share, which is then accepted on entry.
    const y = new Uint8Array(randomBytes(33));
    y[32] = shares[4]!.x;
    const forged = makeEnvelope({ ...shares[4]!, share: y });
    backup.split.shares[4]!.commitment = shareCommitment(backup.split.id, forged.share);
    const r = recovery();
    await r.start(backup);
    for (const e of [shares[0]!, shares[1]!, shares[2]!]) await r.add(e);
    const bad = errorOf(await r.add(forged));
    expect(bad.code).toBe('SHARE_BAD');
    expect(bad.details).toEqual({ bad: [{ index: 5, custodian: 'erin' }] });
    // Taken out: entered again it is checked again (not refused as a duplicate), and found bad again.
    expect(errorOf(await r.add(forged)).code).toBe('SHARE_BAD');
  });

  it('a rebuild refused without naming a share keeps every share, and says why', async () => {
    const { backup, shares } = await softBackup();
    backup.splitMac = (backup.splitMac.startsWith('0') ? '1' : '0') + backup.splitMac.slice(1);
    const r = recovery();
    await r.start(backup);
    for (const e of [shares[0]!, shares[1]!]) await r.add(e);
    expect(errorOf(await r.add(shares[2]!)).code).toBe('BACKUP_SPLIT_MAC_INVALID');
    expect(errorOf(await r.add(shares[2]!)).code).toBe('SHARE_DUPLICATE');
  });

  it('closing when no recovery is open is not an error', async () => {
    expect(await recovery().call('recovery/close')).toEqual({ ok: true, value: null });
  });

  it('a share on a custodian\'s token cannot be opened where no token module is configured', async () => {
    const { backup, shares } = await softBackup();
    const r = recovery();
    await r.start(backup);
    const { publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const content = encryptShareToTokenKey(shares[0]!, new Uint8Array(publicKey.export({ format: 'der', type: 'spki' })));
    const err = errorOf(await r.call('recovery/add-share', { kind: 'token', fileName: 'alice.share.json', content, tokenSerial: '0a1b2c', pin: '123456' }));
    expect(err.code).toBe('TOKEN_MODULE_UNAVAILABLE');
    expect(JSON.stringify(err)).not.toContain('123456');
  });
});
