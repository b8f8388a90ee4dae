/**
 * One usage style across the keyrite command, through the built CLI: every command the top-level
 * help lists has a --help of one shape (Usage lines, description, one aligned two-column option
 * list); an unknown option is refused once, named, with a pointer to --help (exit 2); a missing
 * input file is unusable input said once, typed, with no stack trace (exit 2).
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { keyrite } from '../../helpers/keyrite-cli';
import { tempDir } from '../../helpers/softhsm';

const tmp = tempDir('keyrite-cli-help-');
afterAll(() => tmp.cleanup());
const MISSING = path.join(tmp.dir, 'no-such-file');

/** The command names in the top-level help's Commands list. */
function listedCommands(help: string): string[] {
  const lines = help.split('\n');
  const from = lines.indexOf('Commands:') + 1;
  const to = lines.indexOf('', from);
  return lines.slice(from, to).map((l) => l.trim().split(/\s+/)[0]!);
}

/** Asserts the one shape and returns the usage forms' subcommands (the lowercase word after the command). */
function assertHelpShape(text: string, command: string | null): string[] {
  const lines = text.replace(/\n$/, '').split('\n');
  const head = command === null ? 'keyrite' : `keyrite ${command}`;
  // Usage block: the first form after "Usage: ", the others aligned under it, long ones continued deeper.
  const blank = lines.indexOf('');
  const usage = lines.slice(0, blank);
  expect(usage[0]!.startsWith(`Usage: ${head}`)).toBe(true);
  const forms = [usage[0]!.slice('Usage: '.length)];
  for (const l of usage.slice(1)) {
    if (l.startsWith(`       ${head}`)) forms.push(l.trim());
    else expect(l, `usage continuation: ${l}`).toMatch(/^ {11}\S/);
  }
  // Description: at least one paragraph of unindented text, paragraphs split by one blank line.
  const options = lines.indexOf('Options:');
  expect(options).toBeGreaterThan(blank + 1);
  expect(lines[options - 1]).toBe('');
  const body = lines.slice(blank + 1, options - 1);
  expect(body[0]).toMatch(/^\S/);
  expect(body.join('\n')).not.toMatch(/\n\n\n/);
  const commandsAt = lines.indexOf('Commands:');
  for (const l of commandsAt > 0 ? body.slice(0, commandsAt - blank - 2) : body) expect(l, `description line: ${l}`).toMatch(/^(\S|$)/);
  // Options (and the top level's commands): one two-column table, every text starting at one column.
  const last = lines[lines.length - 1]!;
  expect(last).toMatch(/^ {2}-h, --help +show this help$/);
  const col = last.indexOf('show this help');
  const rows = lines.slice(options + 1).concat(commandsAt > 0 ? lines.slice(commandsAt + 1, options - 1) : []);
  for (const l of rows) {
    const continued = l.slice(0, col).trim() === '' && l[col] !== ' ';
    const named = /^ {2}\S/.test(l) && ((l[col - 1] === ' ' && l[col - 2] === ' ' && l[col] !== ' ') || l.trimEnd().length <= col - 2);
    expect(continued || named, `row out of the two columns: "${l}"`).toBe(true);
  }
  return forms.map((f) => f.split(' ')[command === null ? 1 : 2]).filter((w): w is string => w !== undefined && /^[a-z][a-z-]*$/.test(w));
}

/** A file where a folder is asked for. */
const NOT_A_FOLDER = path.join(tmp.dir, 'not-a-folder');
writeFileSync(NOT_A_FOLDER, '');

/** Each listed command given an input file that is not there (rehearsal-token: a token folder it cannot make). */
const MISSING_INPUT: Record<string, string[]> = {
  tokens: ['tokens', '--only', '--module', MISSING],
  'rehearsal-token': ['rehearsal-token', 'create', '--dir', path.join(NOT_A_FOLDER, 'token')],
  verify: ['verify', MISSING],
  shares: ['shares', 'verify', '--backup', MISSING],
  recover: ['recover', '--backup', MISSING, '--module', MISSING, '--token', 'any'],
  reshare: ['reshare', '--backup', MISSING, '--k', '2', '--custodian', 'A', '--custodian', 'B', '--out', path.join(tmp.dir, 'new-split')],
  ceremony: ['ceremony', 'check', MISSING],
  inventory: ['inventory', MISSING],
  attestation: ['attestation', 'verify', '--key-cert', MISSING, '--device-cert', MISSING],
  export: ['export', 'cbom', MISSING],
  dnskey: ['dnskey', MISSING, '--owner', 'example.com.'],
  'tuf-root': ['tuf-root', 'key', MISSING],
};

/** Exit 2 and one typed message on stderr: said once, a code in brackets, no stack trace. */
function expectUnusable(r: { code: number; stdout: string; stderr: string }, command: string, names: string): void {
  expect(r.code, r.stderr).toBe(2);
  expect(r.stderr.match(new RegExp(`^keyrite ${command}: `, 'gm'))).toHaveLength(1);
  expect(r.stderr.match(/What to do:/g)).toHaveLength(1);
  expect(r.stderr).toContain(names);
  expect(r.stderr).toMatch(/\n {2}\[[A-Z0-9_]+\]\n$/);
  expect(r.stderr).not.toMatch(/\n\s+at /);
}

describe('one usage style', async () => {
  const top = await keyrite('--help');
  const commands = listedCommands(top.stdout);

  it('the top-level help has the shape, exit 0, and lists every command', () => {
    expect(top.code).toBe(0);
    assertHelpShape(top.stdout, null);
    expect(commands.sort()).toEqual(Object.keys(MISSING_INPUT).sort());
  });

  it.each(commands)('%s --help has the shape, exit 0; an unknown option is refused once, naming it (exit 2)', async (command) => {
    const help = await keyrite(command, '--help');
    expect(help.code).toBe(0);
    expect(help.stderr).toBe('');
    const subs = [...new Set(assertHelpShape(help.stdout, command))];
    for (const args of [[command, '--no-such-option'], ...subs.map((s) => [command, s, '--no-such-option'])]) {
      const r = await keyrite(...args);
      expectUnusable(r, command, "'--no-such-option'");
      expect(r.stderr.split('--no-such-option').length - 1, r.stderr).toBe(1);
      expect(r.stderr).toContain(`keyrite ${command} --help`);
      expect(r.stdout).toBe('');
    }
  });

  it.each(Object.entries(MISSING_INPUT))('%s given an input file that is not there: exit 2, said once', async (command, args) => {
    const r = await keyrite(...args);
    expectUnusable(r, command, command === 'rehearsal-token' ? NOT_A_FOLDER : MISSING);
  });

  // Node's recursive mkdir loops forever under /proc (each mkdir there answers ENOENT): a typo'd
  // --dir or --out there hung the command instead of refusing it.
  it('a token or output folder under /proc: exit 2, INPUT_PATH_UNUSABLE, no hang', async () => {
    const token = await keyrite('rehearsal-token', 'create', '--dir', '/proc/keyrite-no-such/token');
    expectUnusable(token, 'rehearsal-token', '/proc/keyrite-no-such');
    expect(token.stderr).toContain('[INPUT_PATH_UNUSABLE]');
    const out = await keyrite('ceremony', 'run', 'resources/ceremonies/root-keygen.yaml', '--rehearsal', '--out', '/proc/keyrite-no-such/out');
    expectUnusable(out, 'ceremony', '/proc/keyrite-no-such');
    expect(out.stderr).toContain('[INPUT_PATH_UNUSABLE]');
  });

  it('an unknown command or top-level option: exit 2, named once, pointing to --help', async () => {
    for (const word of ['no-such-command', '--no-such-option']) {
      const r = await keyrite(word);
      expect(r.code).toBe(2);
      expect(r.stderr.split(word).length - 1).toBe(1);
      expect(r.stderr).toContain('keyrite --help');
      expect(r.stdout).toBe('');
    }
  });
});
