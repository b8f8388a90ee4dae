/**
 * backup.json as read by `shares verify` and `recover`: malformed content (a lone surrogate, bad
 * JSON, a split whose k/n or share list do not agree) is a typed BACKUP_FORMAT naming where; the
 * root-key signature binds the sealed section (wrapped key, commitment) with the scheme of the
 * key's algorithm; the transcript summary is the split's public facts, void splits included.
 */
import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import {
  backupSignatureScheme, backupTranscriptData, parseBackupFile, sealedSigningBytes, serializeBackupFile, verifyBackupFile, type BackupFile,
} from '../../../electron/core/shares/backup-file';
import { thrownKeyriteError as thrown } from '../../helpers/keyrite-error';
import { signBackup, softBackup } from './fixtures';

async function signed(): Promise<BackupFile> {
  return signBackup((await softBackup({ k: 2, custodians: ['alice', 'bob', 'carol'] })).backup);
}

function edited(b: BackupFile, edit: (j: BackupFile) => void): string {
  const j = JSON.parse(serializeBackupFile(b)) as BackupFile;
  edit(j);
  return JSON.stringify(j);
}

/** RFC 8785 for the plain objects of `sealed` (strings and small integers): keys sorted, no spaces. */
function jcs(v: unknown): string {
  if (v === null || typeof v !== 'object') return JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map(jcs).join(',')}]`;
  return `{${Object.keys(v).sort().map((k) => `${JSON.stringify(k)}:${jcs((v as Record<string, unknown>)[k])}`).join(',')}}`;
}

describe('serializeBackupFile', () => {
  it('writes indented JSON ending in a newline, which parses back to the same backup', async () => {
    const b = await signed();
    const text = serializeBackupFile(b);
    expect(text).toBe(`${JSON.stringify(b, null, 2)}\n`);
    expect(parseBackupFile(text)).toEqual(b);
  });
});

describe('parseBackupFile refusals', () => {
  it('a lone surrogate anywhere is BACKUP_FORMAT naming its path, not a stack trace', async () => {
    const b = await signed();
    const text = serializeBackupFile(b).replace('"alice"', '"al\\ud800ice"');
    const err = thrown(() => parseBackupFile(text));
    expect(err.code).toBe('BACKUP_FORMAT');
    expect(err.message).toContain('split.shares[0].custodian');
    expect(err.message).toContain('lone surrogate');
    expect(err.details).toEqual({ path: 'split.shares[0].custodian' });
  });

  it('text that is not JSON is BACKUP_FORMAT saying so', () => {
    const err = thrown(() => parseBackupFile('{"format": "keyrite.backup",'));
    expect(err.code).toBe('BACKUP_FORMAT');
    expect(err.message).toContain('not valid JSON');
    expect(err.action).toContain('backup.json');
  });

  it('a schema error names the field in the message and the details', async () => {
    const b = await signed();
    const err = thrown(() => parseBackupFile(edited(b, (j) => { (j.sealed.wrapping as { keyCommitment: string }).keyCommitment = 'zz'; })));
    expect(err.code).toBe('BACKUP_FORMAT');
    expect(err.message).toMatch(/^The backup file is not a Keyrite backup \(version 1\): sealed\.wrapping\.keyCommitment \S/);
    expect(err.details).toEqual({ path: 'sealed.wrapping.keyCommitment' });
    const top = thrown(() => parseBackupFile('[]'));
    expect(top.message).toMatch(/^The backup file is not a Keyrite backup \(version 1\) \S/);
    expect(top.details).toEqual({ path: '' });
  });

  it('base64 fields must be padded to a multiple of 4 characters', async () => {
    const b = await signed();
    for (const bad of ['QUJ', 'QUJDR', 'QU=D']) {
      const err = thrown(() => parseBackupFile(edited(b, (j) => { j.sealed.wrapping.wrappedKey = bad; })));
      expect(err.code).toBe('BACKUP_FORMAT');
      expect(err.details).toEqual({ path: 'sealed.wrapping.wrappedKey' });
    }
    expect(parseBackupFile(edited(b, (j) => { j.sealed.wrapping.wrappedKey = 'QUJD'; })).sealed.wrapping.wrappedKey).toBe('QUJD');
  });

  it('refuses k > n, a share list not of n records, and two records with one x', async () => {
    const b = await signed();
    const kOverN = thrown(() => parseBackupFile(edited(b, (j) => { j.split.k = 4; })));
    expect(kOverN.code).toBe('BACKUP_FORMAT');
    expect(kOverN.message).toContain('k <= n');
    const fewer = thrown(() => parseBackupFile(edited(b, (j) => { j.split.shares.pop(); })));
    expect(fewer.message).toContain('one share record per share');
    const more = thrown(() => parseBackupFile(edited(b, (j) => { j.split.shares.push({ ...j.split.shares[0]!, index: 4, x: 200 }); })));
    expect(more.message).toContain('one share record per share');
    const sameX = thrown(() => parseBackupFile(edited(b, (j) => { j.split.shares[2]!.x = j.split.shares[0]!.x; })));
    expect(sameX.message).toContain('x coordinates must be distinct');
    // k = n is a valid split.
    expect(parseBackupFile(edited(b, (j) => { j.split.k = 3; })).split.k).toBe(3);
  });
});

describe('the root-key signature over the sealed section', () => {
  it('signs a context line and the RFC 8785 form of sealed', async () => {
    const b = await signed();
    expect(Buffer.from(sealedSigningBytes(b.sealed)).toString('utf8')).toBe(`keyrite.backup.v1 sealed\n${jcs(b.sealed)}`);
  });

  it('one flipped bit in the wrapped key, the key commitment or the ceremony id is BACKUP_SIGNATURE_INVALID', async () => {
    const b = await signed();
    b.sealed.wrapping.wrappedKey = createHash('sha256').update('k').digest('base64').slice(0, 40);
    const resigned = signBackup(b);
    expect(verifyBackupFile(resigned)).toEqual({ scheme: 'ecdsa-sha384' });
    const raw = Buffer.from(resigned.sealed.wrapping.wrappedKey, 'base64');
    raw[3] = (raw[3] ?? 0) ^ 0x10;
    for (const alter of [
      (j: BackupFile) => { j.sealed.wrapping.wrappedKey = raw.toString('base64'); },
      (j: BackupFile) => { j.sealed.wrapping.keyCommitment = `${j.sealed.wrapping.keyCommitment.slice(0, 63)}${j.sealed.wrapping.keyCommitment.endsWith('0') ? '1' : '0'}`; },
      (j: BackupFile) => { j.sealed.ceremonyId += 'x'; },
    ]) {
      const err = thrown(() => verifyBackupFile(parseBackupFile(edited(resigned, alter))));
      expect(err.code).toBe('BACKUP_SIGNATURE_INVALID');
      expect(err.message).toContain('does not verify');
      expect(err.action).toContain('compare it with the one recorded in the transcript');
    }
  });

  it('a signature scheme other than the key algorithm\'s is refused by name', async () => {
    const b = await signed();
    const err = thrown(() => verifyBackupFile(parseBackupFile(edited(b, (j) => { j.signature.scheme = 'ecdsa-sha256'; }))));
    expect(err.code).toBe('BACKUP_SIGNATURE_INVALID');
    expect(err.message).toBe('The backup is signed with ecdsa-sha256; a ec-p384 key signs with ecdsa-sha384.');
  });

  it('names the scheme of each key algorithm', () => {
    expect(['rsa-3072', 'rsa-4096', 'ec-p256', 'ec-p384', 'ec-p521', 'ed25519'].map((a) => backupSignatureScheme(a as 'ec-p256')))
      .toEqual(['rsa-pkcs1-sha256', 'rsa-pkcs1-sha256', 'ecdsa-sha256', 'ecdsa-sha384', 'ecdsa-sha512', 'ed25519']);
  });
});

describe('backupTranscriptData', () => {
  it('is the split\'s public facts: ids, k/n, custodians with fingerprints, void splits', async () => {
    const b = await signed();
    b.split.voids = [{ splitId: 'aabbccdd', voidedBy: 'x', at: 'y' }];
    expect(backupTranscriptData(b)).toEqual({
      ceremonyId: b.sealed.ceremonyId,
      key: { label: 'root', id: '01', algorithm: 'ec-p384' },
      mechanism: 'CKM_AES_KEY_WRAP_PAD',
      wrappingKeyCommitment: b.sealed.wrapping.keyCommitment,
      splitId: b.split.id,
      k: 2,
      n: 3,
      custodians: b.split.shares.map((s) => ({ index: s.index, custodian: s.custodian, fingerprint: s.fingerprint })),
      voidSplits: ['aabbccdd'],
    });
    expect(JSON.stringify(backupTranscriptData(b))).not.toContain(b.split.shares[0]!.commitment);
  });
});
