/**
 * A real root-key ceremony for the audit and home specs: the ceremony runner
 * (electron/core/ceremony, headless, rehearsal inputs) on its own SoftHSM2 token, writing the
 * transcript, checkpoints and exports into the test's data folder.
 */
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { runHeadless } from '../../electron/core/ceremony/headless';
import { REPO_ROOT } from './build-renderer';

export const ROOT_KEYGEN_SCRIPT = path.join(REPO_ROOT, 'resources/ceremonies/root-keygen.yaml');

export async function runRootCeremony(outDir: string): Promise<string> {
  const quiet = new PassThrough();
  quiet.resume();
  const { view } = await runHeadless({ scriptFile: ROOT_KEYGEN_SCRIPT, outDir, rehearsal: true, io: { stdout: quiet, stderr: quiet, stdin: new PassThrough() } });
  if (view.need.kind !== 'done') throw new Error(`The rehearsal ceremony stopped at ${view.need.kind}`);
  return outDir;
}

/**
 * Copies a ceremony folder and changes one entry after the fact, as a forger would: the first
 * attestation's statement is reworded, the JSON stays valid. Returns the changed entry's seq.
 */
export function tamperCopy(from: string, to: string): { dir: string; seq: number; original: string } {
  cpSync(from, to, { recursive: true });
  const file = path.join(to, 'transcript.jsonl');
  const lines = readFileSync(file, 'utf8').split('\n');
  const seq = lines.findIndex((l) => l.includes('"kind":"step.attest"'));
  if (seq < 0) throw new Error('The ceremony has no attestation to tamper with');
  const entry = JSON.parse(lines[seq] as string) as { data: { statement: string } };
  const original = entry.data.statement;
  entry.data.statement = `${original} (amended)`;
  lines[seq] = JSON.stringify(entry);
  writeFileSync(file, lines.join('\n'));
  return { dir: to, seq, original };
}
