/** The sign-dnskey script as `keyrite ceremony check` reads it: the template passes; a broken dnssec section is refused where it is. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseScript } from '../../../electron/core/ceremony/load';

const template = readFileSync(path.join(__dirname, '../../../resources/ceremonies/sign-dnskey.yaml'), 'utf8');
const W1 = '    - { inception: 2027-01-01T00:00:00Z, expiration: 2027-01-22T00:00:00Z }\n';

describe('sign-dnskey script', () => {
  it('the template is a valid sign-dnskey script with three windows', () => {
    const { script } = parseScript(template, 'sign-dnskey.yaml');
    expect(script.type).toBe('sign-dnskey');
    expect(script.dnssec?.windows).toHaveLength(3);
  });

  it.each([
    ['no dnssec section', (t: string) => t.replace(/\ndnssec:[\s\S]*?\n(?=steps:)/, '\n'), /needs the "dnssec" section/],
    ['no sign-dnskey step', (t: string) => t.replace('action: sign-dnskey', 'action: confirm'), /needs a step with action "sign-dnskey"/],
    ['a window that ends before it starts', (t: string) => t.replace(W1, '    - { inception: 2027-01-22T00:00:00Z, expiration: 2027-01-01T00:00:00Z }\n'), /expiration must come after inception/],
    ['a window of 68 years or more', (t: string) => t.replace(W1, '    - { inception: 2027-01-01T00:00:00Z, expiration: 2097-01-01T00:00:00Z }\n'), /shorter than 68 years/],
    ['a time that is not UTC', (t: string) => t.replace(W1, '    - { inception: 2027-01-01, expiration: 2027-01-22T00:00:00Z }\n'), /UTC time/],
    ['a window listed twice', (t: string) => t.replace(W1, W1 + W1), /listed twice/],
    ['no window', (t: string) => t.replace(/ {2}windows:\n(?: {4}- .*\n)+/, '  windows: []\n'), /windows/],
    ['an unknown field', (t: string) => t.replace('  dnskeySet:', '  dnskeyset: x\n  dnskeySet:'), /dnskeyset/],
  ])('refuses %s', (_what, edit, message) => {
    const text = edit(template);
    expect(text).not.toBe(template);
    expect(() => parseScript(text, 'sign-dnskey.yaml')).toThrow(message);
  });
});
