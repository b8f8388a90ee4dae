/**
 * The security gate: fails when the built shell falls short of the lockdown.
 *   1. Each bundle in out/main and out/preload is parsed: no network module, no Electron network or
 *      shell API, and the main bundle shows every lockdown call and window setting
 *      (test/security/lockdown-rules.ts).
 *   2. Electronegativity scans the built output and the shell's sources; any finding not in the
 *      reviewed allowlist (test/security/electronegativity-allowlist.json, each with its reason)
 *      fails the gate.
 * Run: `npm run build && node --import tsx scripts/security-gate.ts [outDir]`; `npm test` runs it
 * through test/unit/shell/security-gate.test.ts.
 */
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleFacts } from '../test/security/bundle-facts';
import { scanWithElectronegativity, type Finding } from '../test/security/electronegativity';
import { commonBundleProblems, mainBundleProblems, preloadProblems } from '../test/security/lockdown-rules';

const ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));
export const ALLOWLIST_PATH = join(ROOT, 'test/security/electronegativity-allowlist.json');

export interface AllowEntry {
  scan: string;
  id: string;
  file: string;
  reason: string;
}

export interface GateOptions {
  /** The build output folder (out/ by default). */
  outDir: string;
  /** Check out/renderer too (false when only main and preload were built). */
  includeRenderer: boolean;
  /** Scan the shell's sources as well as the build (default true). */
  scanSources?: boolean;
  allowlist?: readonly AllowEntry[];
  /** Stop after the bundle rules when they already fail (the mutation tests use this). */
  failFast?: boolean;
}

export interface GateReport {
  failures: string[];
  allowed: Array<Finding & { reason: string }>;
  /** Allowlist entries no finding matched: candidates for removal. */
  unusedAllowances: AllowEntry[];
}

export function loadAllowlist(path = ALLOWLIST_PATH): AllowEntry[] {
  const data = JSON.parse(readFileSync(path, 'utf8')) as { entries?: unknown };
  if (!Array.isArray(data.entries)) throw new Error(`${path}: expected { "entries": [...] }`);
  return data.entries.map((e: Partial<AllowEntry>, i: number) => {
    if (!e.scan || !e.id || !e.file || !e.reason || e.reason.trim().length < 20) {
      throw new Error(`${path}: entry ${i} needs scan, id, file and a reason (a sentence a reviewer can check)`);
    }
    return { scan: e.scan, id: e.id, file: e.file, reason: e.reason };
  });
}

function matches(entry: AllowEntry, f: Finding): boolean {
  return entry.scan === f.scan && entry.id === f.id && entry.file === f.file;
}

function listJs(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((d) => d.isFile() && /\.(c|m)?js$/.test(d.name))
    .map((d) => join(d.parentPath, d.name));
}

/** Part 1: parse every main and preload bundle and apply the lockdown rules. */
export function bundleProblems(outDir: string): string[] {
  const failures: string[] = [];
  for (const required of ['main/index.js', 'main/token-host.js', 'preload/index.cjs']) {
    if (!existsSync(join(outDir, required))) failures.push(`${required} is missing: run npm run build`);
  }
  for (const file of [...listJs(join(outDir, 'main')), ...listJs(join(outDir, 'preload'))]) {
    const rel = relative(outDir, file).split('\\').join('/');
    const facts = bundleFacts(readFileSync(file, 'utf8'), file);
    const problems = rel === 'main/index.js' ? mainBundleProblems(facts) : rel.startsWith('preload/') ? preloadProblems(facts) : commonBundleProblems(facts);
    for (const p of problems) failures.push(`${rel}: ${p}`);
  }
  return failures;
}

function stage(files: Array<[from: string, to: string]>): string {
  const dir = mkdtempSync(join(tmpdir(), 'keyrite-gate-'));
  for (const [from, to] of files) if (existsSync(from)) cpSync(from, join(dir, to), { recursive: true });
  return dir;
}

/** Part 2: Electronegativity over the build and over the sources, judged against the allowlist. */
export async function electronegativityFindings(opts: GateOptions): Promise<Finding[]> {
  const html = opts.includeRenderer ? join(opts.outDir, 'renderer') : join(ROOT, 'renderer/index.html');
  const bundle = stage([
    [join(opts.outDir, 'main'), 'main'],
    [join(opts.outDir, 'preload'), 'preload'],
    [html, opts.includeRenderer ? 'renderer' : 'renderer/index.html'],
  ]);
  const scans: Array<[string, string]> = [['bundle', bundle]];
  if (opts.scanSources !== false) {
    scans.push([
      'sources',
      stage([
        [join(ROOT, 'electron/main'), 'electron/main'],
        [join(ROOT, 'electron/preload'), 'electron/preload'],
        [join(ROOT, 'renderer/index.html'), 'renderer/index.html'],
      ]),
    ]);
  }
  const findings: Finding[] = [];
  try {
    for (const [name, dir] of scans) findings.push(...(await scanWithElectronegativity(dir, name)));
  } finally {
    for (const [, dir] of scans) rmSync(dir, { recursive: true, force: true });
  }
  return findings;
}

export async function runSecurityGate(opts: GateOptions): Promise<GateReport> {
  const allowlist = opts.allowlist ?? loadAllowlist();
  const failures = bundleProblems(opts.outDir);
  if (opts.failFast && failures.length > 0) return { failures, allowed: [], unusedAllowances: [] };
  const allowed: GateReport['allowed'] = [];
  const used = new Set<AllowEntry>();
  for (const f of await electronegativityFindings(opts)) {
    const entry = allowlist.find((e) => matches(e, f));
    if (entry) {
      used.add(entry);
      allowed.push({ ...f, reason: entry.reason });
    } else {
      failures.push(`electronegativity (${f.scan}) ${f.id} ${f.severity}/${f.confidence} at ${f.file}:${f.line}: ${f.description}${f.sample ? ` [${f.sample}]` : ''}`);
    }
  }
  return { failures, allowed, unusedAllowances: allowlist.filter((e) => !used.has(e)) };
}

async function main(): Promise<void> {
  const outDir = resolve(process.argv[2] ?? join(ROOT, 'out'));
  const report = await runSecurityGate({ outDir, includeRenderer: existsSync(join(outDir, 'renderer/index.html')) });
  for (const a of report.allowed) console.log(`allowed: ${a.scan} ${a.id} ${a.file}: ${a.reason}`);
  for (const u of report.unusedAllowances) console.log(`note: allowlist entry not needed any more: ${u.scan} ${u.id} ${u.file}`);
  if (report.failures.length > 0) {
    console.error(`security gate FAILED (${report.failures.length}):`);
    for (const f of report.failures) console.error(`  - ${f}`);
    process.exit(1);
  }
  console.log('security gate passed');
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((e: unknown) => {
    console.error(e);
    process.exit(1);
  });
}
