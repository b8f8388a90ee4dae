/**
 * Runs @doyensec/electronegativity through its API and returns its findings as plain data. Its
 * CLI exits 0 whatever it finds, so the gate judges the findings itself (security-gate.ts).
 *
 * Electronegativity fetches translations and Electron's release list with `got` on every run. The
 * gate must make no network connection, so `got` is replaced in its require cache by a function
 * that fails at once; the tool then uses its bundled English strings. The release-list check
 * (AvailableSecurityFixesGlobalCheck) needs the network to say anything and is excluded.
 */
import { createRequire } from 'node:module';
import { dirname, relative } from 'node:path';

export interface Finding {
  /** Which scan found it ("bundle" or "sources"). */
  scan: string;
  id: string;
  /** Path relative to the scanned folder, with forward slashes; "N/A" for whole-app findings. */
  file: string;
  line: number;
  description: string;
  severity: string;
  confidence: string;
  sample: string;
}

interface RawIssue {
  id: string;
  file: string;
  location?: { line: number };
  description: string;
  sample?: unknown;
  severity: { name: string };
  confidence: { name: string };
}

interface RawResult {
  errors: Array<{ file: string; message: string; tolerable: boolean }>;
  issues: RawIssue[];
}

type Runner = (options: Record<string, unknown>) => Promise<RawResult>;

const require = createRequire(import.meta.url);
let runner: Runner | undefined;

function offlineGot(): Promise<never> {
  return Promise.reject(new Error('Keyrite security gate: no network'));
}

function loadRunner(): Runner {
  if (runner) return runner;
  const enRoot = dirname(require.resolve('@doyensec/electronegativity/package.json'));
  const gotPath = require.resolve('got', { paths: [enRoot] });
  const stub = Object.assign(offlineGot, { head: offlineGot, get: offlineGot });
  require.cache[gotPath] = { id: gotPath, filename: gotPath, loaded: true, exports: stub } as unknown as NodeJS.Module;
  runner = require('@doyensec/electronegativity') as Runner;
  return runner;
}

/** The Electron version the app ships (package.json devDependencies), so version-dependent checks apply. */
export function shippedElectronVersion(): string {
  const pkg = require('../../package.json') as { devDependencies: Record<string, string> };
  const v = pkg.devDependencies.electron;
  if (v === undefined) throw new Error('package.json has no electron devDependency');
  return v.replace(/^[^0-9]*/, '');
}

export async function scanWithElectronegativity(input: string, scan: string): Promise<Finding[]> {
  const run = loadRunner();
  // The tool logs its progress and its (stubbed) fetch failures with console.log.
  const log = console.log;
  console.log = () => undefined;
  let result: RawResult;
  try {
    result = await run({
      input,
      electronVersionOverride: shippedElectronVersion(),
      excludeFromScan: ['AvailableSecurityFixesGlobalCheck'],
      parserPlugins: [],
    });
  } finally {
    console.log = log;
  }
  const hardErrors = result.errors.filter((e) => !e.tolerable);
  if (hardErrors.length > 0) {
    // A file it could not parse is a file it did not check: that fails the gate too.
    return hardErrors.map((e) => ({
      scan, id: 'PARSE_ERROR', file: relative(input, e.file).split('\\').join('/'), line: 0,
      description: e.message, severity: 'HIGH', confidence: 'CERTAIN', sample: '',
    }));
  }
  return result.issues.map((i) => ({
    scan,
    id: i.id,
    file: i.file === 'N/A' ? 'N/A' : relative(input, i.file).split('\\').join('/'),
    line: i.location?.line ?? 0,
    description: i.description,
    severity: i.severity.name,
    confidence: i.confidence.name,
    sample: typeof i.sample === 'string' ? i.sample.trim().slice(0, 200) : '',
  }));
}
