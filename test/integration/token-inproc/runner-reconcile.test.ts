/**
 * An irreversible step with an open intent is reconciled on resume, never done again (runner.ts,
 * through the headless runner as `keyrite ceremony run` resumes a folder): the root key is made on a
 * real SoftHSM2 token (token host's server in the test process) and the run "dies" before the result
 * is journaled. The resumed run finds the key by its CKA_ID, journals the reconciled result, makes no
 * second key, finishes VALID and reports the time it spent in the token.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { Writable, Readable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { runHeadless } from '../../../electron/core/ceremony/headless';
import type { TokenApi } from '../../../electron/core/token/types';
import { verifyTranscript } from '../../../electron/core/transcript/verify';
import { tempDir, USER_PIN } from '../../helpers/softhsm';
import { ADMIN, makeRoom, SCRIPT_TEXT, TOKEN_LABEL } from './runner-room';

const tmp = tempDir('keyrite-runner-reconcile-');
afterAll(() => tmp.cleanup());

describe('a key generation interrupted before its result is journaled', () => {
  it('is reconciled by CKA_ID on resume: one key on the token, one generation, VALID', async () => {
    const dir = path.join(tmp.dir, 'crash');
    const room = await makeRoom(dir);
    try {
      let made = false;
      const crashing: TokenApi = {
        ...room.client,
        generateKeyPair: async (...a) => {
          const key = await room.client.generateKeyPair(...a);
          if (a[1].label.startsWith('keyrite-transcript-')) return key;
          made = true;
          return new Promise(() => undefined); // the process dies: no result comes back
        },
      };
      const run1 = await room.open(crashing);
      void room.driveUntil(run1, () => false);
      while (!made) await new Promise((r) => setTimeout(r, 10));
      const before = room.transcript();
      expect(before.at(-1)).toMatchObject({ kind: 'step.intent', step: 'generate', data: { operation: 'generateKeyPair' } });

      // `keyrite ceremony run` on the same folder, with the room's token.
      const scriptFile = path.join(dir, 'root-keygen.yaml');
      writeFileSync(scriptFile, SCRIPT_TEXT);
      const inputsFile = path.join(dir, 'inputs.yaml');
      writeFileSync(inputsFile, `administrator: ${ADMIN}\npins:\n  ${TOKEN_LABEL}: "${USER_PIN}"\nattest: all\nshareVerification: echo\n`);
      let printed = '';
      const sink = new Writable({ write(chunk, _enc, cb) { printed += String(chunk); cb(); } });
      const result = await runHeadless({
        scriptFile, outDir: room.out, inputsFile, rehearsal: true, airGapProbe: async () => [],
        io: { stdout: sink, stderr: sink, stdin: Readable.from([]) },
        tokenFactory: async () => ({ ...room.client, close: async () => undefined }),
      });
      expect(result.view.need, printed).toEqual({ kind: 'done' });
      expect(Number.isFinite(result.tokenMs)).toBe(true);
      expect(result.tokenMs).toBeGreaterThan(0);

      const all = room.transcript();
      expect(all.slice(0, before.length)).toEqual(before);
      const intent = before.at(-1)!.data as { opId: string; ckaId: string };
      const results = all.filter((e) => e.kind === 'step.result' && e.data.opId === intent.opId);
      expect(results).toHaveLength(1);
      expect(results[0]!.data).toMatchObject({ outcome: 'ok', reconciled: true });
      expect(all.filter((e) => e.kind === 'step.intent' && e.data.operation === 'generateKeyPair')).toHaveLength(1);
      expect(all.filter((e) => e.kind === 'key.generated')).toHaveLength(1);
      expect(all.filter((e) => e.kind === 'step.start' && e.step === 'generate')).toHaveLength(1);
      const s = await room.client.openSession({ label: TOKEN_LABEL }, { pin: USER_PIN });
      const keys = await room.client.findKeys(s, { class: 'private' });
      await room.client.closeSession(s);
      expect(keys.filter((k) => !k.label.startsWith('keyrite-transcript-')).map((k) => k.id)).toEqual([intent.ckaId]);
      expect((await verifyTranscript(room.out)).failure).toBeUndefined();
    } finally {
      await room.close();
    }
  }, 120_000);
});
