/**
 * The ceremony token's PIN from a source named on the command line (--pin-source), not the script
 * or the inputs file: the run logs in with it, and a PIN file others can read is refused.
 */
import { execFile, spawnSync } from 'node:child_process';
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { runHeadless } from '../../../electron/core/ceremony/headless';
import { verifyTranscript } from '../../../electron/core/transcript/verify';
import { findSoftHsmModule } from '../../../electron/core/token/rehearsal';
import { tempDir } from '../../helpers/softhsm';
import { captureIo, filesUnder, TEMPLATES } from '../ceremony/helpers';

const run = promisify(execFile);
const BIN = path.resolve(__dirname, '../../../bin/keyrite.mjs');
const tmp = tempDir('keyrite-pin-source-');
afterAll(() => tmp.cleanup());
const SCRIPT = path.join(TEMPLATES, 'root-keygen.yaml');
const INPUTS = path.join(TEMPLATES, 'root-keygen.rehearsal.yaml');

function login(conf: string, pin: string): number | null {
  return spawnSync('pkcs11-tool', ['--module', findSoftHsmModule()!, '--token-label', 'keyrite-rehearsal', '--login', '--pin', pin, '--list-objects'], { env: { ...process.env, SOFTHSM2_CONF: conf }, encoding: 'utf8' }).status;
}

describe('--pin-source', () => {
  it('file:PATH gives the ceremony token PIN over the inputs file, and it is nowhere in the output folder', async () => {
    const pinFile = path.join(tmp.dir, 'pin');
    writeFileSync(pinFile, '654321\n', { mode: 0o600 });
    const out = path.join(tmp.dir, 'run');
    const io = captureIo();
    await runHeadless({ scriptFile: SCRIPT, outDir: out, rehearsal: true, io, inputsFile: INPUTS, pinSource: { kind: 'file', path: pinFile } });
    const report = await verifyTranscript(out);
    expect(report.failure, io.text()).toBeUndefined();
    expect(report.sealed).toBe(true);
    // pkcs11-tool (OpenSC) logs in with the file's PIN and not with the inputs file's.
    const conf = path.join(out, 'token', 'softhsm2.conf');
    expect(login(conf, '654321')).toBe(0);
    expect(login(conf, '123456')).not.toBe(0);
    for (const f of filesUnder(out).filter((x) => !x.includes(`${path.sep}token${path.sep}`))) {
      expect(readFileSync(f).includes('654321'), f).toBe(false);
    }
  });

  it('refuses a PIN file others can read, and a source that is not file: or prompt', async () => {
    const loose = path.join(tmp.dir, 'loose-pin');
    writeFileSync(loose, '654321\n');
    chmodSync(loose, 0o644);
    const exposed = await run('node', [BIN, 'ceremony', 'run', SCRIPT, '--out', path.join(tmp.dir, 'loose'), '--rehearsal', '--inputs', INPUTS, '--pin-source', `file:${loose}`]).catch((e: { code: number; stderr: string }) => e);
    expect(exposed).toMatchObject({ code: 1, stderr: expect.stringMatching(/chmod 600[\s\S]*PIN_SOURCE_EXPOSED/) });
    expect(JSON.stringify(exposed)).not.toContain('654321');
    const command = await run('node', [BIN, 'ceremony', 'run', SCRIPT, '--out', path.join(tmp.dir, 'cmd'), '--rehearsal', '--pin-source', '|cat /etc/pin']).catch((e: { code: number; stderr: string }) => e);
    expect(command).toMatchObject({ code: 2, stderr: expect.stringMatching(/USAGE_PIN_SOURCE/) });
  });
});
