import path from 'node:path';
import { Readable, Writable } from 'node:stream';
import { writeFileSync, readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { command } from '../../../electron/cli/commands/ceremony';
import { tempDir } from '../../helpers/softhsm';

const ROOT = path.resolve(__dirname, '../../..');
const tmp = tempDir('keyrite-check-cli-');
afterAll(() => tmp.cleanup());

function io() {
  let out = '';
  const w = new Writable({ write(c, _e, cb) { out += String(c); cb(); } });
  return { stdout: w, stderr: w, stdin: Readable.from([]), text: () => out };
}

describe('keyrite ceremony check', () => {
  it('passes every template against the default policy', async () => {
    for (const name of ['root-keygen', 'recovery', 'reshare', 'sign-intermediate', 'sign-crl', 'sign-artifact', 'rotate', 'destroy']) {
      const o = io();
      expect(await command.run(['check', path.join(ROOT, 'resources/ceremonies', `${name}.yaml`)], o), o.text()).toBe(0);
    }
  });

  it('refuses a script with too few witnesses for the policy given, naming the line', async () => {
    const strict = readFileSync(path.join(ROOT, 'resources/policy/default.yaml'), 'utf8').replace('minWitnesses: 2', 'minWitnesses: 3');
    writeFileSync(path.join(tmp.dir, 'strict.yaml'), strict);
    await expect(command.run(['check', path.join(ROOT, 'resources/ceremonies/root-keygen.yaml'), '--policy', path.join(tmp.dir, 'strict.yaml')], io()))
      .rejects.toMatchObject({ code: 'SCRIPT_POLICY_VIOLATION', message: expect.stringMatching(/root-keygen\.yaml:\d+:\d+ {2}participants: 2 witness\(es\) listed; policy requires at least 3/) });
  });
});
