/**
 * `npm run bench`: runs every test/bench/*.bench.ts in turn. Each exports
 * `run(): Promise<void>` and prints its own figures. Benchmarks measure; they never pass or fail.
 * `npm run bench -- transcript` runs only the files whose name contains "transcript".
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const filter = process.argv[2];
const files = readdirSync(here).filter((f) => f.endsWith('.bench.ts') && (!filter || f.includes(filter))).sort();
// One broken benchmark must not hide the others' figures: report it, go on, and exit non-zero.
const broken: string[] = [];
for (const f of files) {
  console.log(`\n== ${f.replace('.bench.ts', '')} ==`);
  try {
    const mod = (await import(pathToFileURL(path.join(here, f)).href)) as { run: () => Promise<void> };
    await mod.run();
  } catch (e) {
    broken.push(f);
    console.error(`bench ${f} failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
  }
}
if (broken.length > 0) {
  console.error(`\n${broken.length} benchmark(s) failed: ${broken.join(', ')}`);
  process.exitCode = 1;
}
