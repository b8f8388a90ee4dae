/**
 * The CLI and its token host run built JavaScript, so a TypeScript loader's shared compile cache is
 * never read. The attack (issue #17): tsx keeps compiled files in os.tmpdir()/tsx-<uid> and runs
 * whatever it finds there, whoever wrote it. Here the cache is filled by tsx from Keyrite's own
 * sources, every entry gets a planted line, and a run through tsx shows the plant is live. Then
 * `keyrite --help` and `keyrite tokens` (which starts the token host) run with that TMPDIR: the
 * planted code never runs and no cache is written.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { makeToken, tempDir } from '../../helpers/softhsm';

const ROOT = path.resolve(__dirname, '../../..');
const BIN = path.join(ROOT, 'bin/keyrite.mjs');

function node(args: string[], env: NodeJS.ProcessEnv): { status: number | null; stdout: string; stderr: string } {
  const { NODE_OPTIONS: _drop, ...rest } = process.env;
  const r = spawnSync(process.execPath, args, { cwd: ROOT, env: { ...rest, ...env }, encoding: 'utf8', timeout: 120_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function listing(dir: string): string[] {
  return readdirSync(dir, { recursive: true }).map(String).sort();
}

describe('no TypeScript loader at run time', () => {
  const tmp = tempDir('keyrite-hostile-tmp-');
  const store = tempDir('keyrite-hostile-token-');
  afterAll(() => {
    tmp.cleanup();
    store.cleanup();
  });

  it('a hostile, pre-created tsx cache in TMPDIR is never run by keyrite or its token host', async () => {
    const env = { TMPDIR: tmp.dir };
    const marker = path.join(store.dir, 'planted-code-ran');
    // Loads, through tsx, the sources `keyrite tokens` and its token host are built from.
    const sources = ['./electron/cli/main.ts', './electron/cli/commands/tokens.ts', './electron/core/token/host-server.ts'];
    const viaLoader = ['--import', 'tsx', '--input-type=module', '-e', `for (const s of ${JSON.stringify(sources)}) await import(s);`];

    // The attacker's cache: what tsx writes for Keyrite's CLI and host sources, each entry with a line of theirs.
    expect(node(viaLoader, env).status).toBe(0);
    const cache = path.join(tmp.dir, `tsx-${process.getuid?.() ?? 0}`);
    const entries = readdirSync(cache);
    const plant = `process.getBuiltinModule('node:fs').appendFileSync(${JSON.stringify(marker)}, 'ran\\n');`;
    let planted = 0;
    for (const f of entries) {
      const file = path.join(cache, f);
      const text = readFileSync(file, 'utf8');
      // tsx writes entries in the background: one cut short by the host's exit is just skipped.
      if (!text.endsWith('}')) continue;
      const entry = JSON.parse(text) as { code: string };
      writeFileSync(file, JSON.stringify({ ...entry, code: plant + entry.code }));
      planted++;
    }
    expect(planted).toBeGreaterThan(10);

    // The plant is live for anything that loads TypeScript through tsx...
    expect(node(viaLoader, env).status).toBe(0);
    expect(existsSync(marker)).toBe(true);
    rmSync(marker);

    // ...and never for keyrite, the command or the token host it starts.
    const before = listing(tmp.dir);
    const help = node([BIN, '--help'], env);
    expect(help.status).toBe(0);
    // The one usage style (electron/cli/help.ts): the top-level help starts with its Usage line.
    expect(help.stdout).toMatch(/^Usage: keyrite <command> \[options\]\n/);
    const token = await makeToken(store.dir, 'hostile-tmp');
    const tokens = node([BIN, 'tokens', '--module', token.modulePath, '--only'], { ...env, ...token.env });
    expect(tokens.stderr).toBe('');
    expect(tokens.status).toBe(0);
    expect(tokens.stdout).toMatch(/token "hostile-tmp"\s+serial [0-9a-f]{16}/);
    expect(existsSync(marker)).toBe(false);
    expect(listing(tmp.dir)).toEqual(before);
  });

  it('without a build, keyrite says to run npm run build and exits 2 (it never falls back to a loader)', () => {
    const checkout = path.join(tmp.dir, 'unbuilt');
    mkdirSync(path.join(checkout, 'bin'), { recursive: true });
    copyFileSync(BIN, path.join(checkout, 'bin/keyrite.mjs'));
    const r = node([path.join(checkout, 'bin/keyrite.mjs'), '--help'], {});
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(path.join(checkout, 'out/cli/keyrite.js'));
    expect(r.stderr).toContain(`run \`npm run build\` in ${checkout}`);
  });
});
