/**
 * Named kill points for the crash tests. Each step boundary (every fsynced journal append) and each
 * stage of a file publish calls `killPoint(name)`. Without KEYRITE_TEST_KILL_AT in the environment
 * this does nothing (one map lookup); with it, the process SIGKILLs itself at the named point, as a
 * power cut would stop it there: no `finally`, no flush, no exit handler.
 *
 *   KEYRITE_TEST_KILL_AT=<point>[:<n>]   die the n-th time (default 1) this process reaches <point>;
 *                                        `*` in <point> matches any run of characters
 *   KEYRITE_TEST_KILL_TRACE=<file>       append every point reached to <file>, one per line
 *
 * Point names (docs/FAULTS.md, "Kill points"):
 *   append:<kind>:<step>               after the entry is fsynced
 *   publish.tmp-created:<name>         temp file made, nothing written
 *   publish.tmp-synced:<name>          temp file written and fsynced, not renamed
 *   publish.renamed:<name>             renamed over the target, folder not fsynced
 *   publish.dir-synced:<name>          folder fsynced
 *   transcript-key.renamed             key file moved aside for destruction, not overwritten
 *   transcript-key.overwritten         key bytes overwritten and fsynced, not unlinked
 *   rehearsal-token.configured         SoftHSM2 config written, token not initialised
 * <name> is the file's base name with each run of digits replaced by `#` (checkpoints/000012.note
 * is `#.note`), so a point names the same publish in a fresh and in a resumed run.
 */
import { appendFileSync } from 'node:fs';

const hits = new Map<string, number>();

function matcher(spec: string): { test: (name: string) => boolean; n: number } {
  const m = /^(.*?)(?::(\d+))?$/.exec(spec);
  const pattern = m?.[1] ?? spec;
  const n = m?.[2] ? Number(m[2]) : 1;
  const re = new RegExp(`^${pattern.split('*').map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
  return { test: (name) => re.test(name), n };
}

export function fileKillName(file: string): string {
  const base = file.split(/[\\/]/).pop() ?? file;
  return base.replace(/\d+/g, '#');
}

export function killPoint(name: string): void {
  const spec = process.env.KEYRITE_TEST_KILL_AT;
  const trace = process.env.KEYRITE_TEST_KILL_TRACE;
  if (!spec && !trace) return;
  if (trace) appendFileSync(trace, `${name}\n`);
  if (!spec) return;
  const m = matcher(spec);
  if (!m.test(name)) return;
  const count = (hits.get(spec) ?? 0) + 1;
  hits.set(spec, count);
  if (count === m.n) process.kill(process.pid, 'SIGKILL');
}
