import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import type { ModuleReport } from '../../../electron/core/token/probe';
import { tempDir } from '../../helpers/softhsm';

const run = promisify(execFile);
const BIN = path.resolve(__dirname, '../../../bin/keyrite.mjs');

describe('keyrite rehearsal-token and keyrite tokens', () => {
  const tmp = tempDir();
  afterAll(() => tmp.cleanup());

  it('rehearsal-token create, then tokens --json with its SOFTHSM2_CONF lists the token and its mechanisms', async () => {
    const created = await run('node', [BIN, 'rehearsal-token', 'create', '--dir', tmp.dir, '--label', 'cli-root', '--pin', '4321', '--so-pin', '87654321', '--json']);
    const t = JSON.parse(created.stdout) as { modulePath: string; softhsm2Conf: string; label: string; serial: string };
    expect(t).toMatchObject({ label: 'cli-root', softhsm2Conf: path.join(tmp.dir, 'softhsm2.conf') });
    expect(t.serial).toMatch(/^[0-9a-f]{16}$/);
    expect(created.stdout).not.toContain('4321');

    const listed = await run('node', [BIN, 'tokens', '--json'], { env: { ...process.env, SOFTHSM2_CONF: t.softhsm2Conf } });
    const { modules } = JSON.parse(listed.stdout) as { modules: ModuleReport[] };
    expect(modules.map((m) => m.id)).toEqual(expect.arrayContaining(['softhsm2', 'opensc', 'yubihsm2', 'ykcs11', 'luna', 'nshield', 'cloudhsm', 'utimaco']));
    const softhsm = modules.find((m) => m.id === 'softhsm2');
    expect(softhsm).toMatchObject({ present: true, path: t.modulePath });
    const token = softhsm?.slots?.find((s) => s.token?.serial === t.serial)?.token;
    expect(token).toMatchObject({ label: 'cli-root', rehearsal: true, flags: { loginRequired: true, tokenInitialized: true } });
    expect(token?.mechanisms.map((m) => m.name)).toEqual(expect.arrayContaining(['CKM_RSA_PKCS_KEY_PAIR_GEN', 'CKM_EC_KEY_PAIR_GEN', 'CKM_ECDSA', 'CKM_AES_KEY_WRAP_PAD']));
    expect(token?.algorithms).toContain('ec-p384');

    const text = await run('node', [BIN, 'tokens', '--module', t.modulePath, '--only'], { env: { ...process.env, SOFTHSM2_CONF: t.softhsm2Conf } });
    expect(text.stdout).toMatch(/token "cli-root"\s+serial [0-9a-f]{16}/);
    expect(text.stdout).toMatch(/REHEARSAL token/);
  });

  it('has --help on both commands and refuses a second token with the same label', async () => {
    expect((await run('node', [BIN, 'tokens', '--help'])).stdout).toMatch(/^Usage: keyrite tokens/);
    expect((await run('node', [BIN, 'rehearsal-token', '--help'])).stdout).toMatch(/^Usage: keyrite rehearsal-token create --dir DIR/);
    const again = await run('node', [BIN, 'rehearsal-token', 'create', '--dir', tmp.dir, '--label', 'cli-root']).catch((e: { code: number; stderr: string }) => e);
    expect(again).toMatchObject({ code: 1, stderr: expect.stringMatching(/TOKEN_LABEL_IN_USE/) });
    const usage = await run('node', [BIN, 'rehearsal-token', 'create']).catch((e: { code: number; stderr: string }) => e);
    expect(usage).toMatchObject({ code: 2 });
  });
});
