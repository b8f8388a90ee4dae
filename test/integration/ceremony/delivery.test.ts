/**
 * Share delivery as the script says, through openCeremonyRun on real SoftHSM2 tokens: Carol on
 * paper, Frank as an age file to his passphrase, Grace as a file encrypted to the RSA key on her
 * own token (a second token in the same SoftHSM2 store, its public key inlined in the script).
 * Then a recovery run takes Grace's token-held share and Frank's age file.
 */
import { createPublicKey } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parsePolicy, parseScript } from '../../../electron/core/ceremony/load';
import { openCeremonyRun } from '../../../electron/core/ceremony/runner';
import { readJournalEntries } from '../../../electron/core/ceremony/prior-run';
import type { RunInput, RunNeed, RunView } from '../../../electron/core/ceremony/run-types';
import { decryptAgeShare, encodeShareWords, openTokenShareOnToken, parseBackupFile, verifyShareAgainstBackup } from '../../../electron/core/shares';
import { createTokenClient, type TokenClient } from '../../../electron/core/token/client';
import { createRehearsalToken } from '../../../electron/core/token/rehearsal';
import { verifyTranscript } from '../../../electron/core/transcript/verify';
import { renderReportHtml } from '../../../electron/core/transcript/report-html';
import { shareOutcome } from '../../../electron/core/transcript/share-outcome';
import { tempDir } from '../../helpers/softhsm';
import { filesUnder } from './helpers';

const tmp = tempDir('keyrite-ceremony-delivery-');
const TOKENS = path.join(tmp.dir, 'tokens');
const OUT = path.join(tmp.dir, 'keygen');
const MEDIA = path.join(tmp.dir, 'grace-usb');
const HSM_PIN = '123456';
const GRACE_PIN = '24681357';
const FRANK_PASSPHRASE = 'frank keeps this in his head';
const INTERIM_PASSPHRASE = 'a first choice frank forgot';
const POLICY = parsePolicy(`version: 1
name: delivery-test
classes:
  signing:
    algorithms: [ec-p256]
    minK: 2
    minN: 3
    minWitnesses: 1
    requiredAttributes: [local, sensitive, token, private]
    rotationPeriodDays: 730
    airGapOverride: true
    backupRequired: true
`);

const PARTICIPANTS = `participants:
  - { name: Alice Admin, role: administrator }
  - { name: Wendy Witness, role: witness }
  - { name: Carol, role: custodian }
  - { name: Frank, role: custodian }
  - { name: Grace, role: custodian }
key:
  algorithm: ec-p256
  label: delivery-signing
  class: signing
`;

function keygenScript(gracePem: string): string {
  return `version: 1
id: delivery-2026
title: Delivery test
purpose: Back up a signing key to paper, file and token custodians.
type: root-keygen
${PARTICIPANTS}token: { module: softhsm, label: delivery-hsm }
backup:
  k: 2
  n: 3
  custodians:
    - { name: Carol, delivery: paper }
    - { name: Frank, delivery: file }
    - name: Grace
      delivery: token
      recipient:
        keyLabel: grace-share
        token: { label: grace-card }
        publicKey: |
${gracePem.trim().split('\n').map((l) => `          ${l}`).join('\n')}
steps:
  - { id: air-gap, instruction: Check the air gap., action: air-gap-check }
  - { id: login, instruction: Log in., action: login }
  - { id: generate, instruction: Generate the key., action: generate-key }
  - { id: proof, instruction: Read the proof., action: read-proof }
  - { id: public-key, instruction: Export the public key., action: export-public-key }
  - { id: backup, instruction: Back up 2-of-3 and hand out the shares., action: backup, attest: [Wendy Witness] }
  - { id: seal, instruction: Seal., action: seal }
`;
}

const RECOVERY_SCRIPT = `version: 1
id: delivery-2026-recovery
title: Delivery recovery test
purpose: Restore the key from Grace's token-held share and Frank's age file.
type: recovery
${PARTICIPANTS}token: { module: softhsm, label: recovery-hsm }
steps:
  - { id: air-gap, instruction: Check the air gap., action: air-gap-check }
  - { id: login, instruction: Log in., action: login }
  - { id: recover, instruction: Enter the shares., action: recover }
  - { id: seal, instruction: Seal., action: seal }
`;

let client: TokenClient;
let graceSerial: string;
let gracePem: string;
let env: Record<string, string>;

beforeAll(async () => {
  const hsm = await createRehearsalToken({ dir: TOKENS, label: 'delivery-hsm', pin: HSM_PIN });
  await createRehearsalToken({ dir: TOKENS, label: 'grace-card', pin: GRACE_PIN });
  await createRehearsalToken({ dir: TOKENS, label: 'recovery-hsm', pin: HSM_PIN });
  env = hsm.env;
  client = createTokenClient({ modulePath: hsm.modulePath, env });
  const card = await client.openSession({ label: 'grace-card' }, { pin: GRACE_PIN });
  const key = await client.generateKeyPair(card, { algorithm: 'rsa-3072', label: 'grace-share', id: '67ace0', extractableForBackup: false, usage: 'decrypt' });
  gracePem = createPublicKey({ key: Buffer.from(key.spki), format: 'der', type: 'spki' }).export({ format: 'pem', type: 'spki' }).toString();
  await client.closeSession(card);
  graceSerial = (await client.listSlots()).find((s) => s.token?.label === 'grace-card')!.token!.serial;
});
afterAll(async () => {
  await client?.close();
  tmp.cleanup();
});

/** The input a careful person gives for each need (the test's deliberate mistakes come first, below). */
function happyInput(need: RunNeed): RunInput {
  switch (need.kind) {
    case 'confirm': return { kind: 'confirm', who: 'Alice Admin' };
    case 'pin': return { kind: 'pin', pin: HSM_PIN };
    case 'attest': return { kind: 'attest', witness: 'Wendy Witness' };
    case 'show-share': return { kind: 'share-shown', custodian: need.custodian };
    case 'verify-share': {
      const { words } = lastShown!;
      return { kind: 'verify-share', custodian: need.custodian, words: need.positions.map((p) => words[p - 1]!) };
    }
    case 'share-file': return { kind: 'share-file', custodian: need.custodian, passphrase: FRANK_PASSPHRASE };
    case 'verify-share-file': return { kind: 'verify-share-file', custodian: need.custodian, passphrase: FRANK_PASSPHRASE };
    case 'share-token': return { kind: 'share-token', custodian: need.custodian };
    case 'verify-share-token': return { kind: 'verify-share-token', custodian: need.custodian, tokenSerial: graceSerial, pin: GRACE_PIN };
    default: throw new Error(`unexpected need ${need.kind}`);
  }
}
let lastShown: { words: string[] } | undefined;

describe('share delivery: paper, file and token custodians', () => {
  const seen: Record<string, RunView> = {};
  const sinkCalls: { custodian: string; suggestedName: string }[] = [];

  it('hands each share out as the script says, refusing wrong words, passphrases and PINs with typed errors', async () => {
    mkdirSync(MEDIA, { recursive: true });
    const run = await openCeremonyRun({
      script: parseScript(keygenScript(gracePem), 'delivery.yaml'), policy: POLICY.policy, outDir: OUT, tokens: client, rehearsal: false,
      airGapProbe: async () => [],
      // Grace's file goes onto her own medium; Frank's to the same place through the same sink.
      shareFileSink: async ({ custodian, suggestedName, content }) => {
        sinkCalls.push({ custodian, suggestedName });
        const target = path.join(MEDIA, suggestedName);
        writeFileSync(target, content, { mode: 0o600 });
        return target;
      },
    });
    try {
      let v = run.view();
      for (let guard = 0; v.need.kind !== 'done' && guard < 100; guard++) {
        const need = v.need;
        if (need.kind === 'show-share') lastShown = await run.revealShare(need.custodian);
        if (!seen[need.kind]) {
          seen[need.kind] = v;
          if (need.kind === 'verify-share') {
            const words = need.positions.map((p) => lastShown!.words[p - 1]!);
            const wrong = [...words];
            wrong[1] = lastShown!.words.find((w) => w !== words[1])!;
            v = await run.submit({ kind: 'verify-share', custodian: need.custodian, words: wrong });
            expect(v.error).toMatchObject({ code: 'SHARE_VERIFY_FAILED', details: { wrongPositions: [need.positions[1]] } });
            expect(v.error!.message).toContain(`word ${need.positions[1]}`);
            // No share word in the message; the message's own wording is made of words that are also on the BIP-39 list.
            const wording = new Set(['word', 'words', 'of', 'the', 'asked', 'does', 'do', 'not', 'match', 'their', 'share']);
            // Compared as whole words: a share word such as "ask" is a prefix of the wording's "asked".
            const messageWords = new Set(v.error!.message.toLowerCase().match(/[a-z]+/g) ?? []);
            for (const w of lastShown!.words) if (!wording.has(w)) expect(messageWords.has(w), `share word "${w}" in the message`).toBe(false);
            expect(v.need).toEqual(need);
          }
          if (need.kind === 'share-file') {
            expect(need).toMatchObject({ custodian: 'Frank', position: 2, total: 3, minPassphraseChars: 12 });
            v = await run.submit({ kind: 'share-file', custodian: 'Frank', passphrase: 'too short' });
            expect(v.error?.code).toBe('SHARE_PASSPHRASE_TOO_SHORT');
            expect(v.need).toEqual(need);
          }
          if (need.kind === 'verify-share-file') {
            expect(need).toEqual({ kind: 'verify-share-file', custodian: 'Frank', fileName: 'delivery-2026-Frank.keyrite-share.age', minPassphraseChars: 12 });
            v = await run.submit({ kind: 'verify-share-file', custodian: 'Frank', passphrase: 'not what frank chose' });
            expect(v.error?.code).toBe('SHARE_AGE_PASSPHRASE');
            expect(v.need).toEqual(need);
            // Frank cannot repeat his passphrase: he chooses another, the file is written again and
            // only the new passphrase opens it; then he settles on the one he will keep.
            v = await run.submit({ kind: 'share-file', custodian: 'Frank', passphrase: INTERIM_PASSPHRASE });
            expect(v.error).toBeNull();
            expect(v.need).toEqual(need);
            v = await run.submit({ kind: 'verify-share-file', custodian: 'Frank', passphrase: FRANK_PASSPHRASE });
            expect(v.error?.code).toBe('SHARE_AGE_PASSPHRASE');
            v = await run.submit({ kind: 'share-file', custodian: 'Frank', passphrase: FRANK_PASSPHRASE });
            expect(v.error).toBeNull();
            expect(v.need).toEqual(need);
          }
          if (need.kind === 'share-token') {
            expect(need.recipient).toMatchObject({ keyLabel: 'grace-share', tokenLabel: 'grace-card', tokenSerial: null });
            expect(need.recipient.spkiSha256).toMatch(/^[0-9a-f]{64}$/);
            expect(need.recipient.words.split(' ')).toHaveLength(32);
          }
          if (need.kind === 'verify-share-token') {
            v = await run.submit({ kind: 'verify-share-token', custodian: 'Grace', tokenSerial: graceSerial, pin: '99999999' });
            expect(v.error?.code).toBe('PIN_INCORRECT');
            expect(v.need).toMatchObject({ kind: 'verify-share-token', custodian: 'Grace', fileName: 'delivery-2026-Grace.keyrite-share.json' });
            expect((v.need as Extract<RunNeed, { kind: 'verify-share-token' }>).tries).toMatchObject({ locked: false });
          }
        }
        v = await run.submit(happyInput(v.need));
        expect(v.error).toBeNull();
      }
      expect(v.need.kind).toBe('done');
      expect(v.handedOff).toEqual(['Carol', 'Frank', 'Grace']);
    } finally {
      await run.close();
    }
    expect(Object.keys(seen)).toEqual(expect.arrayContaining(['show-share', 'verify-share', 'share-file', 'verify-share-file', 'share-token', 'verify-share-token']));
    expect(sinkCalls).toEqual([
      { custodian: 'Frank', suggestedName: 'delivery-2026-Frank.keyrite-share.age' },
      { custodian: 'Frank', suggestedName: 'delivery-2026-Frank.keyrite-share.age' },
      { custodian: 'Frank', suggestedName: 'delivery-2026-Frank.keyrite-share.age' },
      { custodian: 'Grace', suggestedName: 'delivery-2026-Grace.keyrite-share.json' },
    ]);
  });

  it('the age file opens with Frank\'s passphrase and the token file on Grace\'s token, each giving that custodian\'s share', async () => {
    const backup = parseBackupFile(readFileSync(path.join(OUT, 'backup.json'), 'utf8'));
    const age = readFileSync(path.join(MEDIA, 'delivery-2026-Frank.keyrite-share.age'), 'utf8');
    expect(age).toContain('-----BEGIN AGE ENCRYPTED FILE-----');
    await expect(decryptAgeShare(age, 'wrong passphrase here')).rejects.toMatchObject({ code: 'SHARE_AGE_PASSPHRASE' });
    expect(verifyShareAgainstBackup(backup, { envelope: await decryptAgeShare(age, FRANK_PASSPHRASE) }).custodian).toBe('Frank');
    const tokenFile = readFileSync(path.join(MEDIA, 'delivery-2026-Grace.keyrite-share.json'), 'utf8');
    const opened = await openTokenShareOnToken(client, graceSerial, GRACE_PIN, tokenFile);
    expect(verifyShareAgainstBackup(backup, { envelope: opened }).custodian).toBe('Grace');
  });

  it('the transcript verifies and records deliveries and verifications, never a passphrase, PIN or share', async () => {
    const report = await verifyTranscript(OUT);
    expect(report.failure).toBeUndefined();
    const entries = readJournalEntries(path.join(OUT, 'transcript.jsonl'));
    const delivered = entries.filter((e) => e.kind === 'share.delivered').map((e) => e.data as Record<string, unknown>);
    const frankFile = expect.objectContaining({ custodian: 'Frank', medium: 'file', fileName: 'delivery-2026-Frank.keyrite-share.age', sha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
    // Frank's file was written three times (he chose his passphrase again twice): each delivery is on record.
    expect(delivered).toEqual([
      frankFile, frankFile, frankFile,
      expect.objectContaining({ custodian: 'Grace', medium: 'token', fileName: 'delivery-2026-Grace.keyrite-share.json' }),
    ]);
    // What the auditor reads: Carol's failed first check does not hide her passing one; Frank's file is named.
    const split = report.shares[0]!;
    expect(shareOutcome(split, 1)).toMatchObject({ status: 'verified', method: 'words', failedChecks: 1, medium: 'paper' });
    expect(shareOutcome(split, 2)).toMatchObject({ status: 'verified', method: 'file', failedChecks: 0, medium: 'file', file: { name: 'delivery-2026-Frank.keyrite-share.age' } });
    expect(shareOutcome(split, 3)).toMatchObject({ status: 'verified', method: 'token', medium: 'token', file: { name: 'delivery-2026-Grace.keyrite-share.json' } });
    const html = renderReportHtml(report, { generatedAt: new Date('2026-11-28T00:00:00Z') });
    expect(html).toContain('verified (words re-entered; 1 failed check before)');
    expect(html).toContain('verified (opened on the custodian&#39;s token)');
    expect(html).not.toContain('REJECTED');
    const verified = entries.filter((e) => e.kind === 'share.verified').map((e) => e.data as { custodian: string; ok: boolean; method: string });
    expect(verified.map((d) => [d.custodian, d.ok, d.method])).toEqual([['Carol', false, 'words'], ['Carol', true, 'words'], ['Frank', true, 'file'], ['Grace', true, 'token']]);
    // Carol's words appear nowhere (not a rehearsal: no share files), nor Frank's or Grace's share, passphrases or PINs.
    const backup = parseBackupFile(readFileSync(path.join(OUT, 'backup.json'), 'utf8'));
    const frank = await decryptAgeShare(readFileSync(path.join(MEDIA, 'delivery-2026-Frank.keyrite-share.age'), 'utf8'), FRANK_PASSPHRASE);
    const secrets = [FRANK_PASSPHRASE, INTERIM_PASSPHRASE, 'too short', 'not what frank chose', GRACE_PIN, '99999999', HSM_PIN, encodeShareWords(frank).slice(0, 6).join(' '), lastShown!.words.slice(0, 6).join(' ')];
    for (const f of filesUnder(OUT)) {
      const text = readFileSync(f, 'utf8');
      for (const s of secrets) expect(text.includes(s), `${path.relative(OUT, f)} holds a secret`).toBe(false);
    }
    expect(backup.split.shares.map((s) => s.custodian)).toEqual(['Carol', 'Frank', 'Grace']);
  });

  it('a recovery run takes Grace\'s token-held share (wrong PIN refused first) and Frank\'s age file', async () => {
    const out = path.join(tmp.dir, 'recovery');
    const run = await openCeremonyRun({
      script: parseScript(RECOVERY_SCRIPT, 'recovery.yaml'), policy: POLICY.policy, outDir: out, tokens: client, rehearsal: false, from: OUT, airGapProbe: async () => [],
    });
    const tokenFile = readFileSync(path.join(MEDIA, 'delivery-2026-Grace.keyrite-share.json'), 'utf8');
    const age = readFileSync(path.join(MEDIA, 'delivery-2026-Frank.keyrite-share.age'), 'utf8');
    try {
      let v = run.view();
      while (v.need.kind !== 'share-input') {
        v = await run.submit(happyInput(v.need));
        expect(v.error).toBeNull();
      }
      const grace = { kind: 'token' as const, fileName: 'grace.json', content: tokenFile, tokenSerial: graceSerial };
      v = await run.submit({ kind: 'share-input', share: { ...grace, pin: '99999999' } });
      expect(v.error?.code).toBe('PIN_INCORRECT');
      expect(v.need).toMatchObject({ kind: 'share-input', received: 0, needed: 2 });
      v = await run.submit({ kind: 'share-input', share: { ...grace, pin: GRACE_PIN } });
      expect(v.error).toBeNull();
      expect(v.need).toMatchObject({ kind: 'share-input', received: 1 });
      v = await run.submit({ kind: 'share-input', share: { kind: 'age-file', fileName: 'frank.age', content: age, passphrase: FRANK_PASSPHRASE } });
      expect(v.error).toBeNull();
      while (v.need.kind !== 'done') {
        v = await run.submit(happyInput(v.need));
        expect(v.error).toBeNull();
      }
    } finally {
      await run.close();
    }
    const entries = readJournalEntries(path.join(out, 'transcript.jsonl'));
    expect(entries.filter((e) => e.kind === 'share.accepted').map((e) => (e.data as { custodian: string }).custodian)).toEqual(['Grace', 'Frank']);
    expect(entries.some((e) => e.kind === 'key.restored')).toBe(true);
    const verified = await verifyTranscript(out);
    expect(verified.failure).toBeUndefined();
    // A real (non-rehearsal) run: its printed report is not marked as a rehearsal.
    expect(verified.rehearsal).toBeUndefined();
    expect(readFileSync(path.join(out, 'report.html'), 'utf8')).not.toMatch(/REHEARSAL/);
    for (const f of filesUnder(out)) expect(readFileSync(f, 'utf8').includes(GRACE_PIN)).toBe(false);
  });
});
