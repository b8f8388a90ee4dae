/**
 * Debian's age (an implementation Keyrite's authors did not write) and Keyrite's passphrase shares,
 * both ways, at age's own work factor (2^18, Keyrite's default): seconds of scrypt each, so
 * vitest.stryker.config.ts leaves this file out of `npm run mutate`; age-passphrase-promises.test.ts
 * pins the same code with a low work factor. .ci/run installs age; without it this test fails.
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { armor } from 'age-encryption';
import { decryptAgeShare, encryptShareToPassphrase, isAgeArmored } from '../../../electron/core/shares/age-file';
import { decodeEnvelope, encodeEnvelope, type ShareEnvelope } from '../../../electron/core/shares/envelope';
import { softBackup } from './fixtures';

const PASS = 'correct horse battery';
const AGE = '/usr/bin/age';

/** Runs Debian's age on a pseudo-terminal (it reads passphrases only from one), answering each passphrase prompt. */
function ageOnPty(args: string[], passphrase: string): void {
  const py = [
    'import os, pty, sys',
    'pid, fd = pty.fork()',
    'if pid == 0: os.execvp(sys.argv[1], sys.argv[1:])',
    'n = 0',
    'while True:',
    '    try: d = os.read(fd, 1024)',
    '    except OSError: break',
    '    if not d: break',
    '    if b"assphrase" in d and n < 2: os.write(fd, (os.environ["PASS"] + "\\n").encode()); n += 1',
    'sys.exit(os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]))',
  ].join('\n');
  const r = spawnSync('python3', ['-c', py, AGE, ...args], { env: { ...process.env, PASS: passphrase }, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`age ${args.join(' ')}: ${r.status} ${r.stdout} ${r.stderr}`);
}

describe('passphrase shares and Debian\'s age', () => {
  it('age opens a share made with Keyrite\'s default work factor, and Keyrite opens one age made', async () => {
    const e = (await softBackup({ k: 2, custodians: ['alice', 'bob'] })).shares[0] as ShareEnvelope;
    const dir = mkdtempSync(join(tmpdir(), 'keyrite-age-debian-'));
    try {
      const ours = await encryptShareToPassphrase(e, PASS);
      expect(Buffer.from(armor.decode(ours)).toString('latin1').split('\n')[1]).toMatch(/^-> scrypt [A-Za-z0-9+/]{22} 18$/);
      writeFileSync(join(dir, 'k.age'), ours);
      ageOnPty(['-d', '-o', join(dir, 'k.bin'), join(dir, 'k.age')], PASS);
      expect(decodeEnvelope(new Uint8Array(readFileSync(join(dir, 'k.bin'))))).toEqual(e);
      writeFileSync(join(dir, 'e.bin'), encodeEnvelope(e));
      ageOnPty(['-p', '-a', '-o', join(dir, 'a.age'), join(dir, 'e.bin')], PASS);
      const made = readFileSync(join(dir, 'a.age'), 'utf8');
      expect(isAgeArmored(made)).toBe(true);
      expect(await decryptAgeShare(made, PASS)).toEqual(e);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);

  it('at the ceiling, 2^20 (1 GiB of scrypt): Keyrite writes and opens the share, and age opens it', async () => {
    const e = (await softBackup({ k: 2, custodians: ['alice', 'bob'] })).shares[1] as ShareEnvelope;
    const dir = mkdtempSync(join(tmpdir(), 'keyrite-age-debian-'));
    try {
      const ours = await encryptShareToPassphrase(e, PASS, { scryptLogN: 20 });
      expect(Buffer.from(armor.decode(ours)).toString('latin1').split('\n')[1]).toMatch(/ 20$/);
      expect(await decryptAgeShare(ours, PASS)).toEqual(e);
      writeFileSync(join(dir, 'c.age'), ours);
      ageOnPty(['-d', '-o', join(dir, 'c.bin'), join(dir, 'c.age')], PASS);
      expect(decodeEnvelope(new Uint8Array(readFileSync(join(dir, 'c.bin'))))).toEqual(e);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 180_000);
});
