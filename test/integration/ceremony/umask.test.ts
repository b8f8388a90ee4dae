/**
 * Modes are explicit whatever the umask. A root-keygen rehearsal is run through the CLI under
 * umask 000 (which lets every mode a program asks for through): no file or folder in the ceremony
 * folder, the rehearsal token's store included, is writable by anyone but its owner, and nothing
 * but the public key and the certificate is readable by others. Checked with GNU find's -perm, not
 * with Keyrite's own code.
 */
import { execFileSync, spawn } from 'node:child_process';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { tempDir } from '../../helpers/softhsm';
import { ROOT, TEMPLATES } from './helpers';

const tmp = tempDir('keyrite-umask-');
afterAll(() => tmp.cleanup());

/** Paths under dir (relative) that GNU find matches with the given -perm test. */
function findPerm(dir: string, ...test: string[]): string[] {
  return execFileSync('find', [dir, ...test], { encoding: 'utf8' }).split('\n').filter(Boolean).map((p) => path.relative(dir, p) || '.').sort();
}

describe('a rehearsal under umask 000', () => {
  it('leaves nothing writable by others and nothing but public keys and certificates readable by others', async () => {
    const out = path.join(tmp.dir, 'ceremony');
    const script = path.join(TEMPLATES, 'root-keygen.yaml');
    const run = await new Promise<{ code: number | null; output: string }>((resolve) => {
      const child = spawn('/bin/sh', ['-c', 'umask 000 && exec "$0" "$@"', process.execPath, path.join(ROOT, 'bin/keyrite.mjs'), 'ceremony', 'run', script, '--rehearsal', '--out', out], { stdio: ['ignore', 'pipe', 'pipe'] });
      let output = '';
      child.stdout.on('data', (d) => { output += String(d); });
      child.stderr.on('data', (d) => { output += String(d); });
      child.on('exit', (code) => resolve({ code, output }));
    });
    expect(run.code, run.output).toBe(0);
    expect(findPerm(out, '-perm', '/022')).toEqual([]);
    expect(findPerm(out, '-type', 'd', '-perm', '/077')).toEqual([]);
    // Public keys and certificates are made to be handed out; everything else is the owner's alone.
    expect(findPerm(out, '-type', 'f', '-perm', '/044')).toEqual(['public-key.pem', 'root-cert.pem']);
    expect(findPerm(out, '-type', 'f', '-name', '*.pem', '-perm', '0644')).toEqual(['public-key.pem', 'root-cert.pem']);
    // The folder holds what a sealed rehearsal holds: the check covered the real files.
    expect(findPerm(out, '-maxdepth', '1', '-type', 'f', '-perm', '0600')).toEqual(expect.arrayContaining(['backup.json', 'checkpoint.note', 'report.html', 'transcript.jsonl']));
    expect(findPerm(out, '-maxdepth', '1', '-type', 'd', '-perm', '0700')).toEqual(expect.arrayContaining(['.', 'checkpoints', 'shares', 'token', 'rehearsal-witness-keys']));
  }, 300_000);
});
