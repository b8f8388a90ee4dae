/**
 * The transcript key's handover as it happens: the key file exists until the login step and is
 * gone before the next step touches the token; the checkpoint of the login step is the one both
 * keys sign.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { drive } from '../../../electron/core/ceremony/headless';
import { loadInputsFile } from '../../../electron/core/ceremony/inputs';
import { loadPolicyFile, loadScriptFile } from '../../../electron/core/ceremony/load';
import { defaultPolicyPath } from '../../../electron/core/ceremony/paths';
import { openCeremonyRun } from '../../../electron/core/ceremony/runner';
import { defaultTokenFactory } from '../../../electron/core/ceremony/run-token';
import { TRANSCRIPT_KEY_FILE } from '../../../electron/core/ceremony/transcript-key-file';
import { readJournalEntries } from '../../../electron/core/ceremony/prior-run';
import { createRehearsalToken } from '../../../electron/core/token/rehearsal';
import type { TokenApi } from '../../../electron/core/token/types';
import { verifyTranscript } from '../../../electron/core/transcript/verify';
import { tempDir } from '../../helpers/softhsm';
import { captureIo, TEMPLATES } from './helpers';

const tmp = tempDir('keyrite-ceremony-handover-');
afterAll(() => tmp.cleanup());
const SCRIPT = path.join(TEMPLATES, 'root-keygen.yaml');

describe('the transcript key handover at login', () => {
  it('destroys the key file right after the login step, before the root key is generated', async () => {
    const out = path.join(tmp.dir, 'root');
    const token = await createRehearsalToken({ dir: path.join(out, 'token'), label: 'keyrite-rehearsal', pin: '123456' });
    const seen: { label: string; keyFile: boolean }[] = [];
    const clients: { close?: () => Promise<void> }[] = [];
    const run = await openCeremonyRun({
      script: loadScriptFile(SCRIPT), policy: loadPolicyFile(defaultPolicyPath()).policy, outDir: out, rehearsal: true, tokenEnv: token.env,
      tokens: async (o) => {
        const client = await defaultTokenFactory(o);
        clients.push(client);
        return { ...client, generateKeyPair: async (...a: Parameters<TokenApi['generateKeyPair']>) => {
          seen.push({ label: a[1].label, keyFile: existsSync(path.join(out, TRANSCRIPT_KEY_FILE)) });
          return client.generateKeyPair(...a);
        } } as TokenApi;
      },
    });
    try {
      await drive(run, loadInputsFile(path.join(TEMPLATES, 'root-keygen.rehearsal.yaml')), { io: captureIo() });
    } finally {
      await run.close();
      for (const c of clients) await c.close?.();
    }
    expect(seen).toEqual([
      { label: 'keyrite-transcript-root-2026', keyFile: true },
      { label: expect.not.stringMatching(/^keyrite-transcript-/) as unknown as string, keyFile: false },
    ]);
    const entries = readJournalEntries(path.join(out, 'transcript.jsonl'));
    const handover = entries.find((e) => e.kind === 'transcript.key-handover')!;
    const loginDone = entries.find((e) => e.kind === 'step.done' && e.step === 'login')!;
    expect(handover.seq).toBeLessThan(loginDone.seq);
    // The handover checkpoint is the one written right after the login step.
    const report = await verifyTranscript(out);
    expect(report.failure).toBeUndefined();
    const first = report.checkpoints.find((c) => c.size > handover.seq)!;
    expect(first.size).toBe(loginDone.seq + 1);
    expect(first.signedBy.filter((s) => s.startsWith('keyrite.transcript/'))).toHaveLength(2);
    expect(readFileSync(path.join(out, 'checkpoint.note'), 'utf8').match(/^\u2014 keyrite\.transcript\//gm)).toHaveLength(1);
  }, 120_000);
});
