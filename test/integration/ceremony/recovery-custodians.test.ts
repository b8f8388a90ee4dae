/**
 * The promise: in a recovery the room knows whose share went in, and only the custodians the signed
 * script lists take part. A real SoftHSM2 backup (root-keygen rehearsal, 3-of-5: Carol, Dan, Erin,
 * Frank, Grace); the recovery script lists Carol, Dan and Erin. Grace's share is refused with a
 * typed error naming her, nothing about it is journaled as accepted; once a deviation naming Grace
 * is recorded in the step, her share is accepted and the journal says it is hers.
 * Also: the rehearsal's report.html says REHEARSAL (derived from the transcript, so verify still
 * finds it matching); delivery.test.ts checks a real run's report does not.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { command as verifyCommand } from '../../../electron/cli/commands/verify';
import { runHeadless } from '../../../electron/core/ceremony/headless';
import { loadPolicyFile, loadScriptFile } from '../../../electron/core/ceremony/load';
import { defaultPolicyPath } from '../../../electron/core/ceremony/paths';
import { custodianFileName, readJournalEntries } from '../../../electron/core/ceremony/prior-run';
import { openCeremonyRun } from '../../../electron/core/ceremony/runner';
import type { RunView } from '../../../electron/core/ceremony/run-types';
import { wordsFromText } from '../../../electron/core/shares';
import { createTokenClient } from '../../../electron/core/token/client';
import { verifyTranscript } from '../../../electron/core/transcript/verify';
import { tempDir } from '../../helpers/softhsm';
import { captureIo, TEMPLATES } from './helpers';

const tmp = tempDir('keyrite-recovery-custodians-');
afterAll(() => tmp.cleanup());
const D = path.join(tmp.dir, 'D');
const R = path.join(tmp.dir, 'R');
const RECOVERY = path.join(TEMPLATES, 'recovery.yaml');

const accepted = () => readJournalEntries(path.join(R, 'transcript.jsonl')).filter((e) => e.kind === 'share.accepted');
const wordsOf = (who: string) => wordsFromText(readFileSync(path.join(D, 'shares', `${custodianFileName(who)}.txt`), 'utf8'));

// The backup every test here starts from: a root-keygen rehearsal (3-of-5 on a SoftHSM2 token).
beforeAll(async () => {
  await runHeadless({ scriptFile: path.join(TEMPLATES, 'root-keygen.yaml'), outDir: D, rehearsal: true, io: captureIo() });
}, 180_000);

describe('a rehearsal\'s printed report', () => {
  it('says REHEARSAL at the top and in its title, from the transcript, and verify finds it matches the transcript', async () => {
    const html = readFileSync(path.join(D, 'report.html'), 'utf8');
    expect(html).toMatch(/<title>REHEARSAL - /);
    expect(html).toMatch(/<body>\s*<div class="rehearsal"[^>]*>REHEARSAL: not a real ceremony/);
    const report = await verifyTranscript(D);
    expect(report.rehearsal).toBe(true);
    expect(report.files?.find((f) => f.file === 'report.html')?.status).toBe('report-matches');
    // keyrite verify (text) says it too.
    const out = captureIo();
    expect(await verifyCommand.run([D], out)).toBe(0);
    expect(out.text()).toMatch(/^Rehearsal {3}REHEARSAL: not a real ceremony/m);
  });
});

describe('recovery: whose share, and only the listed custodians', () => {
  it('refuses the share of a custodian the script does not list, naming them, and journals whose each accepted share is', async () => {
    const inputs = path.join(tmp.dir, 'grace.inputs.yaml');
    writeFileSync(inputs, readFileSync(path.join(TEMPLATES, 'recovery.rehearsal.yaml'), 'utf8').replace('custodians: [Carol, Dan, Erin]', 'custodians: [Carol, Dan, Grace]'));
    const io = captureIo();
    const run = runHeadless({ scriptFile: RECOVERY, outDir: R, rehearsal: true, from: D, inputsFile: inputs, io });
    await expect(run).rejects.toMatchObject({ code: 'SHARE_CUSTODIAN_NOT_LISTED', message: expect.stringMatching(/Grace's share .*Carol, Dan, Erin/) });
    await expect(run).rejects.toMatchObject({ action: expect.stringMatching(/deviation naming Grace/) });
    const got = accepted();
    expect(got.map((e) => [e.actor.name, (e.data as { custodian: string }).custodian])).toEqual([['Carol', 'Carol'], ['Dan', 'Dan']]);
    expect(readFileSync(path.join(R, 'transcript.jsonl'), 'utf8')).not.toMatch(/"custodian":"Grace"/);
  }, 180_000);

  it('accepts that share once a deviation naming the custodian is recorded, and the need and the result say whose shares are in', async () => {
    const clients: { close: () => Promise<void> }[] = [];
    const run = await openCeremonyRun({
      script: loadScriptFile(RECOVERY), policy: loadPolicyFile(defaultPolicyPath()).policy, outDir: R, rehearsal: true, from: D,
      tokenEnv: { SOFTHSM2_CONF: path.join(R, 'token', 'softhsm2.conf') },
      tokens: async ({ modulePath, env }) => { const c = createTokenClient({ modulePath, env }); clients.push(c); return c; },
    });
    try {
      let v: RunView = run.view();
      if (v.need.kind === 'pin') v = await run.submit({ kind: 'pin', pin: '123456' });
      expect(v.need.kind).toBe('share-input');
      for (const who of ['Carol', 'Dan']) v = await run.submit({ kind: 'share-input', share: { kind: 'words', words: wordsOf(who) } });
      expect(v.need).toMatchObject({ kind: 'share-input', received: 2, accepted: [{ custodian: 'Carol' }, { custodian: 'Dan' }] });
      // Still refused without a deviation after the resume.
      v = await run.submit({ kind: 'share-input', share: { kind: 'words', words: wordsOf('Grace') } });
      expect(v.error?.code).toBe('SHARE_CUSTODIAN_NOT_LISTED');
      // A deviation about someone else does not let Grace in.
      await run.recordDeviation('Alice Admin', 'Erin is abroad and cannot come');
      v = await run.submit({ kind: 'share-input', share: { kind: 'words', words: wordsOf('Grace') } });
      expect(v.error?.code).toBe('SHARE_CUSTODIAN_NOT_LISTED');
      await run.recordDeviation('Alice Admin', 'Grace presents her share in place of Erin; both witnesses agree');
      v = await run.submit({ kind: 'share-input', share: { kind: 'words', words: wordsOf('Grace') } });
      expect(v.error).toBeNull();
      expect(v.need.kind).toBe('attest');
      const last = accepted().at(-1)!;
      expect([last.actor.name, (last.data as { custodian: string }).custodian]).toEqual(['Grace', 'Grace']);
      const recover = v.steps.find((s) => s.id === 'recover');
      expect(JSON.stringify(recover)).toMatch(/Carol \(#\d\), Dan \(#\d\), Grace \(#\d\)/);
    } finally {
      await run.close();
      for (const c of clients) await c.close();
    }
  }, 180_000);
});
