import path from 'node:path';
import { readFileSync, writeFileSync } from 'node:fs';
import { Readable, Writable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { parseScript } from '../../../electron/core/ceremony/load';
import { command } from '../../../electron/cli/commands/ceremony';
import { KeyriteError } from '../../../electron/core/util/errors';
import { tempDir } from '../../helpers/softhsm';

const ROOT = path.resolve(__dirname, '../../..');
const TEMPLATE = readFileSync(path.join(ROOT, 'resources/ceremonies/root-keygen.yaml'), 'utf8');
const TOKEN_BLOCK = 'token:\n  module: softhsm\n  label: keyrite-rehearsal\n';
const tmp = tempDir('keyrite-script-uri-');
afterAll(() => tmp.cleanup());

function withToken(block: string): string {
  expect(TEMPLATE).toContain(TOKEN_BLOCK);
  return TEMPLATE.replace(TOKEN_BLOCK, block);
}

function lineOf(text: string, needle: string): number {
  return text.split('\n').findIndex((l) => l.includes(needle)) + 1;
}

function refusal(text: string): KeyriteError {
  try {
    parseScript(text, 'script.yaml');
  } catch (e) {
    if (e instanceof KeyriteError) return e;
    throw e;
  }
  throw new Error('the script was accepted');
}

function io() {
  let out = '';
  const w = new Writable({ write(c, _e, cb) { out += String(c); cb(); } });
  return { stdout: w, stderr: w, stdin: Readable.from([]), text: () => out };
}

describe('tokens named by PKCS#11 URI in a script', () => {
  it('reads the module, label and serial from the URI', () => {
    const s = parseScript(withToken('token:\n  uri: "pkcs11:token=Root%20CA;serial=5b2e9f1c?module-path=/opt/hsm/lib%20x.so"\n')).script;
    expect(s.token).toEqual({ module: '/opt/hsm/lib x.so', label: 'Root CA', serial: '5b2e9f1c', uri: 'pkcs11:token=Root%20CA;serial=5b2e9f1c?module-path=/opt/hsm/lib%20x.so' });
  });

  it('takes module-name=softhsm as the platform SoftHSM2, and module beside a URI without one', () => {
    expect(parseScript(withToken('token:\n  uri: pkcs11:token=keyrite-rehearsal?module-name=softhsm2\n')).script.token).toMatchObject({ module: 'softhsm', label: 'keyrite-rehearsal' });
    expect(parseScript(withToken('token:\n  module: softhsm\n  uri: pkcs11:serial=abc\n')).script.token).toMatchObject({ module: 'softhsm', serial: 'abc' });
  });

  it('keeps module + label working as before', () => {
    expect(parseScript(TEMPLATE).script.token).toEqual({ module: 'softhsm', label: 'keyrite-rehearsal' });
  });

  it.each([
    ['no module', 'token:\n  uri: pkcs11:token=a\n', /names no module/],
    ['an unknown module-name', 'token:\n  uri: pkcs11:token=a?module-name=acme\n', /module-name "acme" is not one Keyrite knows/],
    ['an object attribute', 'token:\n  uri: pkcs11:token=a;object=k?module-name=softhsm\n', /only token, serial, manufacturer, model \(not object\)/],
    ['no label or serial', 'token:\n  uri: pkcs11:model=x?module-name=softhsm\n', /must give token=LABEL or serial=SERIAL/],
    ['both a URI and a label', 'token:\n  uri: pkcs11:token=a?module-name=softhsm\n  label: a\n', /by uri or by label\/serial, not both/],
    ['a module that disagrees', 'token:\n  module: /x.so\n  uri: pkcs11:token=a?module-path=/y.so\n', /module \(\/y\.so\) is not the module given \(\/x\.so\)/],
    ['a malformed URI', 'token:\n  uri: pkcs11:token=a b\n', /must be percent-encoded/],
    ['a pin-source', 'token:\n  uri: pkcs11:token=a?module-name=softhsm&pin-source=file:/p\n', /--pin-source/],
  ])('refuses a URI with %s, naming the line', (_what, block, message) => {
    const text = withToken(block);
    const e = refusal(text);
    expect(e.code).toBe('SCRIPT_INVALID');
    expect(e.message).toMatch(message);
    expect(e.message).toContain(`script.yaml:${lineOf(text, '  uri:') || lineOf(text, 'token:')}:`);
  });
});

describe('a script never carries a PIN', () => {
  it.each([
    ['a pin-value in the token URI', 'token:\n  uri: "pkcs11:token=a?module-name=softhsm&pin-value=739164"\n', '  uri:', 'token.uri'],
    ['a pin key on the token', 'token:\n  module: softhsm\n  label: keyrite-rehearsal\n  pin: "739164"\n', '  pin:', 'token.pin'],
    ['a userPin key at the top', `${TOKEN_BLOCK}userPin: 739164\n`, 'userPin:', 'userPin'],
  ])('refuses %s with SCRIPT_CARRIES_PIN naming the line, never the PIN', (_what, block, needle, where) => {
    const text = withToken(block);
    const e = refusal(text);
    expect(e.code).toBe('SCRIPT_CARRIES_PIN');
    expect(e.message).toContain(`script.yaml:${lineOf(text, needle)}:`);
    expect(e.message).toContain(where);
    expect(JSON.stringify({ m: e.message, a: e.action, d: e.details })).not.toContain('739164');
  });

  it('finds a PIN nested in a list (a card token of another person)', () => {
    const text = withToken(`${TOKEN_BLOCK}otherTokens:\n  - module: softhsm\n    label: copy\n    so-pin: "12345678"\n`);
    const e = refusal(text);
    expect(e.code).toBe('SCRIPT_CARRIES_PIN');
    expect(e.message).toContain(`script.yaml:${lineOf(text, 'so-pin')}:`);
    expect(e.message).toContain('otherTokens[0].so-pin');
  });

  it('does not mistake a step that talks about the PIN for one', () => {
    expect(() => parseScript(TEMPLATE.replace(/instruction: .*/, 'instruction: "The administrator types the PIN (pin-value is never written down)."'))).not.toThrow();
  });

  it('is refused by keyrite ceremony check before the policy is consulted', async () => {
    const file = path.join(tmp.dir, 'pin.yaml');
    writeFileSync(file, withToken('token:\n  module: softhsm\n  label: keyrite-rehearsal\n  pin: "739164"\n'));
    const o = io();
    await expect(command.run(['check', file], o)).rejects.toMatchObject({ code: 'SCRIPT_CARRIES_PIN', message: expect.stringContaining(`pin.yaml:${lineOf(readFileSync(file, 'utf8'), '  pin:')}:`) });
    expect(o.text()).not.toContain('739164');
  });
});
