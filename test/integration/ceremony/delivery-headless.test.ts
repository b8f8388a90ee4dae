/**
 * `keyrite ceremony run` with file and token custodians: passphrases from the rehearsal inputs'
 * sharePassphrases, the custodian token found by the label the script names and its PIN from
 * `pins`, share files written to --custody-dir.
 */
import { createPublicKey } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runHeadless } from '../../../electron/core/ceremony/headless';
import { runCommand } from '../../../electron/cli/commands/ceremony-run';
import { readJournalEntries } from '../../../electron/core/ceremony/prior-run';
import { createTokenClient } from '../../../electron/core/token/client';
import { createRehearsalToken } from '../../../electron/core/token/rehearsal';
import { verifyTranscript } from '../../../electron/core/transcript/verify';
import { tempDir } from '../../helpers/softhsm';
import { captureIo, filesUnder, rootKeygenWithGraceOnCard, ROOT } from './helpers';

const tmp = tempDir('keyrite-ceremony-delivery-cli-');
afterAll(() => tmp.cleanup());

const CARD_PIN = '11223344';
const PASSPHRASE = 'rehearsal passphrase for erin';

async function graceCard(tokenDir: string): Promise<string> {
  const hsm = await createRehearsalToken({ dir: tokenDir, label: 'keyrite-rehearsal', pin: '123456' });
  await createRehearsalToken({ dir: tokenDir, label: 'grace-card', pin: CARD_PIN });
  const client = createTokenClient({ modulePath: hsm.modulePath, env: hsm.env });
  try {
    const s = await client.openSession({ label: 'grace-card' }, { pin: CARD_PIN });
    const key = await client.generateKeyPair(s, { algorithm: 'rsa-3072', label: 'grace-share', id: '6ac0', extractableForBackup: false, usage: 'decrypt' });
    return createPublicKey({ key: Buffer.from(key.spki), format: 'der', type: 'spki' }).export({ format: 'pem', type: 'spki' }).toString();
  } finally {
    await client.close();
  }
}

function script(pem: string): string {
  return rootKeygenWithGraceOnCard(pem, { Erin: 'file', Frank: 'file' });
}

const INPUTS = `administrator: Alice Admin
pins:
  keyrite-rehearsal: "123456"
  grace-card: "${CARD_PIN}"
airGapOverride: { reason: Test machine on a network. }
attest: all
shareVerification: echo
rehearsalWitnessKeys: all
sharePassphrases:
  Erin: "${PASSPHRASE}"
  Frank: "${PASSPHRASE} too"
`;

describe('keyrite ceremony run with file and token custodians', () => {
  it('writes the share files to --custody-dir, opens each again, and the transcript verifies', async () => {
    const dir = path.join(tmp.dir, 'cli');
    const out = path.join(dir, 'out');
    const custody = path.join(dir, 'usb');
    mkdirSync(dir, { recursive: true });
    // The rehearsal reuses a token store already in OUT/token: Grace's card sits beside the HSM.
    const pem = await graceCard(path.join(out, 'token'));
    writeFileSync(path.join(dir, 'keygen.yaml'), script(pem));
    writeFileSync(path.join(dir, 'inputs.yaml'), INPUTS);
    const io = captureIo();
    const code = await runCommand([path.join(dir, 'keygen.yaml'), '--rehearsal', '--out', out, '--inputs', path.join(dir, 'inputs.yaml'), '--custody-dir', custody], io);
    expect(code).toBe(0);
    expect(io.text()).toContain('Share file for Erin written: root-2026-Erin.keyrite-share.age');
    expect(io.text()).toMatch(/Key fingerprint \(SHA-256\): [0-9a-f]{64}/);
    expect(existsSync(path.join(custody, 'root-2026-Frank.keyrite-share.age'))).toBe(true);
    expect(existsSync(path.join(custody, 'root-2026-Grace.keyrite-share.json'))).toBe(true);
    expect(existsSync(path.join(out, 'custody'))).toBe(false);
    const verified = readJournalEntries(path.join(out, 'transcript.jsonl')).filter((e) => e.kind === 'share.verified').map((e) => e.data as { custodian: string; method: string; ok: boolean });
    expect(verified.map((d) => `${d.custodian}:${d.method}:${d.ok}`)).toEqual(['Carol:words:true', 'Dan:words:true', 'Erin:file:true', 'Frank:file:true', 'Grace:token:true']);
    expect((await verifyTranscript(out)).failure).toBeUndefined();
    for (const f of [...filesUnder(out).filter((x) => !x.includes(`${path.sep}token${path.sep}`)), ...filesUnder(custody)]) {
      const text = readFileSync(f, 'utf8');
      expect(text.includes(PASSPHRASE) || text.includes(CARD_PIN), `${f} holds a passphrase or PIN`).toBe(false);
    }
  });

  it('refuses sharePassphrases outside a rehearsal, before anything runs', async () => {
    const dir = path.join(tmp.dir, 'real');
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, 'inputs.yaml'), `administrator: Alice Admin\nsharePassphrases:\n  Frank: "${PASSPHRASE}"\n`);
    await expect(runHeadless({ scriptFile: path.join(ROOT, 'resources/ceremonies/root-keygen.yaml'), outDir: path.join(dir, 'out'), rehearsal: false, io: captureIo(), inputsFile: path.join(dir, 'inputs.yaml') }))
      .rejects.toMatchObject({ code: 'INPUT_FILE_INVALID' });
    expect(existsSync(path.join(dir, 'out', 'transcript.jsonl'))).toBe(false);
  });
});
