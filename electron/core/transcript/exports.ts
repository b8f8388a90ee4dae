/**
 * Sealing exports, each written atomically (temp file, fsync, rename, fsync folder): the
 * transcript and its checkpoints, the latest checkpoint, the public key PEM, and the printable
 * report for the people in the room to sign by hand.
 */
import { promises as fsp, readFileSync } from 'node:fs';
import path from 'node:path';
import { KeyriteError } from '../util/errors';
import { makePrivateDir, PRIVATE_FILE_MODE, PUBLIC_FILE_MODE, writeFileAtomic } from '../util/fs-durable';
import { CHECKPOINT_DIR, LATEST_CHECKPOINT } from './checkpoint';
import { renderReportHtml } from './report-html';
import { TRANSCRIPT_FILE, verifyTranscript, type VerificationReport } from './verify';

export const PUBLIC_KEY_FILE = 'public-key.pem';
export const REPORT_FILE = 'report.html';

export function spkiToPem(spkiBase64: string): string {
  const lines = spkiBase64.match(/.{1,64}/g) ?? [];
  return `-----BEGIN PUBLIC KEY-----\n${lines.join('\n')}\n-----END PUBLIC KEY-----\n`;
}

export interface ExportResult {
  files: string[];
  report: VerificationReport;
}

/**
 * Verifies the ceremony folder `dir` and writes the exports into `outDir` (default: `dir`).
 * Into another folder, the transcript and checkpoints are copied too; existing files there are
 * never replaced. An invalid transcript is still exported (the report says INVALID) so nothing is hidden.
 */
export async function writeExports(dir: string, opts: { outDir?: string; generatedAt?: Date } = {}): Promise<ExportResult> {
  const outDir = opts.outDir ?? dir;
  const separate = path.resolve(outDir) !== path.resolve(dir);
  const report = await verifyTranscript(dir, { files: false });
  const files: string[] = [];
  const put = async (name: string, data: string | Uint8Array, overwrite: boolean, mode = PRIVATE_FILE_MODE) => {
    const target = path.join(outDir, name);
    await makePrivateDir(path.dirname(target));
    await writeFileAtomic(target, data, { overwrite, mode });
    files.push(name);
  };
  if (separate) {
    await put(TRANSCRIPT_FILE, readFileSync(path.join(dir, TRANSCRIPT_FILE)), false);
    const cps = await fsp.readdir(path.join(dir, CHECKPOINT_DIR)).catch(() => [] as string[]);
    for (const n of cps.filter((x) => x.endsWith('.note')).sort()) {
      await put(path.join(CHECKPOINT_DIR, n), readFileSync(path.join(dir, CHECKPOINT_DIR, n)), false);
    }
    const latest = await fsp.readFile(path.join(dir, LATEST_CHECKPOINT)).catch(() => undefined);
    if (latest) await put(LATEST_CHECKPOINT, latest, false);
  }
  const key = report.keys[report.keys.length - 1];
  if (key) {
    if (!key.fingerprintMatches) {
      throw new KeyriteError('EXPORT_KEY_MISMATCH', `The recorded public key of "${key.label}" does not match its recorded fingerprint; no PEM was written.`, {
        action: 'Do not use this key. Keep the transcript as evidence and run `keyrite verify`.',
      });
    }
    await put(PUBLIC_KEY_FILE, spkiToPem(key.spki), !separate, PUBLIC_FILE_MODE);
  }
  await put(REPORT_FILE, renderReportHtml(report, { generatedAt: opts.generatedAt ?? new Date() }), !separate);
  return { files, report };
}
