import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRehearsalToken, type RehearsalToken } from '../../electron/core/token/rehearsal';

export const USER_PIN = '123456';
export const SO_PIN = '12345678';

/** A fresh folder for one test file's token store; removed by cleanup(). */
export function tempDir(prefix = 'keyrite-test-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export async function makeToken(dir: string, label: string): Promise<RehearsalToken> {
  return createRehearsalToken({ dir, label, pin: USER_PIN, soPin: SO_PIN });
}
