/**
 * Tokens named by RFC 7512 URI end to end: `keyrite tokens` prints a URI that GnuTLS's p11tool
 * agrees with, a script naming its token by that URI runs, and the transcript records the URI.
 */
import { execFile, execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { runHeadless } from '../../../electron/core/ceremony/headless';
import { verifyTranscript } from '../../../electron/core/transcript/verify';
import { parsePkcs11Uri } from '../../../electron/core/token/pkcs11-uri';
import { findSoftHsmModule } from '../../../electron/core/token/rehearsal';
import { makeToken, tempDir } from '../../helpers/softhsm';
import { captureIo, TEMPLATES } from '../ceremony/helpers';

const run = promisify(execFile);
const BIN = path.resolve(__dirname, '../../../bin/keyrite.mjs');
const tmp = tempDir('keyrite-uri-');
afterAll(() => tmp.cleanup());

describe('PKCS#11 URIs on a real token', () => {
  it('keyrite tokens prints the URI p11tool gives for the same token, with the module path to reach it', async () => {
    const t = await makeToken(path.join(tmp.dir, 'list'), 'URI CA; 2026');
    const modulePath = findSoftHsmModule()!;
    const env = { ...process.env, ...t.env };
    const text = (await run('node', [BIN, 'tokens', '--module', modulePath, '--only'], { env })).stdout;
    const printed = text.split('\n').map((l) => l.trim()).filter((l) => l.startsWith('uri: pkcs11:token=URI%20CA%3B%202026')).map((l) => l.slice('uri: '.length));
    expect(printed).toHaveLength(1);
    const ours = parsePkcs11Uri(printed[0]!);
    expect(ours.query).toEqual({ 'module-path': modulePath });
    const p11tool = execFileSync('p11tool', ['--provider', modulePath, '--list-tokens'], { env, encoding: 'utf8' });
    const theirs = p11tool.split('\n').map((l) => l.trim()).filter((l) => l.startsWith('URL: ')).map((l) => parsePkcs11Uri(l.slice(5)));
    const same = theirs.find((u) => u.path.serial === ours.path.serial);
    expect(same?.path).toEqual(ours.path);
    expect(ours.path).toMatchObject({ token: 'URI CA; 2026', model: 'SoftHSM v2', manufacturer: 'SoftHSM project' });

    const json = JSON.parse((await run('node', [BIN, 'tokens', '--module', modulePath, '--only', '--json'], { env })).stdout) as { modules: { slots?: { token?: { label: string; uri?: string } }[] }[] };
    const listed = json.modules.flatMap((m) => m.slots ?? []).find((s) => s.token?.label === 'URI CA; 2026');
    expect(listed?.token?.uri).toBe(printed[0]);
  });

  it('a root-keygen script naming its token by URI rehearses, and the transcript records the token URI', async () => {
    const modulePath = findSoftHsmModule()!;
    const template = readFileSync(path.join(TEMPLATES, 'root-keygen.yaml'), 'utf8');
    const block = 'token:\n  module: softhsm\n  label: keyrite-rehearsal\n';
    expect(template).toContain(block);
    const script = path.join(tmp.dir, 'root-keygen.yaml');
    writeFileSync(script, template.replace(block, `token:\n  uri: "pkcs11:token=keyrite-rehearsal?module-path=${modulePath}"\n`));
    const out = path.join(tmp.dir, 'run');
    const io = captureIo();
    await runHeadless({ scriptFile: script, outDir: out, rehearsal: true, io, inputsFile: path.join(TEMPLATES, 'root-keygen.rehearsal.yaml') });
    const report = await verifyTranscript(out);
    expect(report.failure, io.text()).toBeUndefined();
    expect(report.valid).toBe(true);
    const entries = readFileSync(path.join(out, 'transcript.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { kind: string; data: { token?: { label: string; serial: string; uri?: string } } });
    const opened = entries.find((e) => e.kind === 'session.opened')!.data.token!;
    expect(opened.uri).toBeDefined();
    expect(parsePkcs11Uri(opened.uri!).path).toMatchObject({ token: 'keyrite-rehearsal', serial: opened.serial, model: 'SoftHSM v2' });
    // The recorded URI names the token, not this machine's module path.
    expect(parsePkcs11Uri(opened.uri!).query).toEqual({});
  });
});
