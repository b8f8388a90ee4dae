/**
 * Witnesses cosigning with a key on their own token, on real SoftHSM2 tokens in one store (reached
 * through the ceremony token's module): Wendy with an Ed25519 key made by
 * `keyrite ceremony witness-key --token`, Walter with an EC P-256 key, Fanny by key file beside
 * them. A wrong PIN shows the tries and the need stays; a token without the key is refused naming
 * witness and token. The sealed transcript verifies with all three cosignatures counted.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { command as ceremonyCommand, witnessTokenKey } from '../../../electron/cli/commands/ceremony';
import { command as verifyCommand } from '../../../electron/cli/commands/verify';
import { runHeadless } from '../../../electron/core/ceremony/headless';
import { parsePolicy, parseScript } from '../../../electron/core/ceremony/load';
import { openCeremonyRun } from '../../../electron/core/ceremony/runner';
import { defaultTokenFactory } from '../../../electron/core/ceremony/run-token';
import type { RunInput, RunNeed, RunView, TokenFactory } from '../../../electron/core/ceremony/run-types';
import { ensureWitnessTokenKey, loadWitnessSigner, witnessKeyName, witnessTokenKeyLabel } from '../../../electron/core/ceremony/witness-keys';
import { createTokenClient, type TokenClient } from '../../../electron/core/token/client';
import { createRehearsalToken } from '../../../electron/core/token/rehearsal';
import { generateNoteKey, parseVerifierKey } from '../../../electron/core/transcript/note-keys';
import { verifyTranscript } from '../../../electron/core/transcript/verify';
import { tempDir } from '../../helpers/softhsm';
import { captureIo, transcriptSecretsIn } from './helpers';

const tmp = tempDir('keyrite-witness-token-');
const TOKENS = path.join(tmp.dir, 'tokens');
const HSM_PIN = '123456';
const WENDY_PIN = '11223344';
const WALTER_PIN = '55667788';
const OTHER_PIN = '99990000';
const POLICY_TEXT = `version: 1
name: witness-token-test
classes:
  signing:
    algorithms: [ec-p256]
    minK: 2
    minN: 2
    minWitnesses: 3
    requiredAttributes: [local, sensitive, token, private]
    rotationPeriodDays: 730
    airGapOverride: true
    backupRequired: false
    witnessKeysRequired: true
`;
const POLICY = parsePolicy(POLICY_TEXT).policy;
const fanny = generateNoteKey(witnessKeyName('Fanny File'));
const fannyKeyFile = path.join(tmp.dir, 'fanny.key');

function script(id: string, hsmLabel: string, keys: { wendy: string; walter: string }): string {
  return `version: 1
id: ${id}
title: Witness token test
purpose: Make a signing key, cosigned by witnesses on their own tokens and by key file.
type: root-keygen
participants:
  - { name: Alice Admin, role: administrator }
  - { name: Wendy Witness, role: witness, key: "${keys.wendy}" }
  - { name: Walter Witness, role: witness, key: "${keys.walter}" }
  - { name: Fanny File, role: witness, key: "${fanny.verifierKey}" }
token: { module: softhsm, label: ${hsmLabel} }
key:
  algorithm: ec-p256
  label: witnessed-signing
  class: signing
steps:
  - { id: air-gap, instruction: Check the air gap., action: air-gap-check }
  - { id: login, instruction: Log in., action: login }
  - { id: generate, instruction: Generate the key., action: generate-key, attest: [Wendy Witness] }
  - { id: proof, instruction: Read the proof., action: read-proof }
  - { id: public-key, instruction: Export the public key., action: export-public-key }
  - { id: seal, instruction: Seal., action: seal }
`;
}

let env: Record<string, string>;
let client: TokenClient;
let serials: Record<string, string>;
const keys = { wendy: '', walter: '' };
/** The run's token factory: a token host per use, in this file's SoftHSM2 store. */
const tokens: TokenFactory = (o) => defaultTokenFactory({ ...o, env: { ...o.env, ...env } });

beforeAll(async () => {
  const hsm = await createRehearsalToken({ dir: TOKENS, label: 'witness-hsm', pin: HSM_PIN });
  await createRehearsalToken({ dir: TOKENS, label: 'headless-hsm', pin: HSM_PIN });
  await createRehearsalToken({ dir: TOKENS, label: 'wendy-card', pin: WENDY_PIN });
  await createRehearsalToken({ dir: TOKENS, label: 'walter-card', pin: WALTER_PIN });
  await createRehearsalToken({ dir: TOKENS, label: 'other-card', pin: OTHER_PIN });
  env = hsm.env;
  client = createTokenClient({ modulePath: hsm.modulePath, env });
  serials = Object.fromEntries((await client.listSlots()).flatMap((s) => (s.token ? [[s.token.label, s.token.serial]] : [])));
  // Walter's token key is EC P-256 (made through the TokenApi: SoftHSM2 would get Ed25519 from the CLI).
  const s = await client.openSession({ label: 'walter-card' }, { pin: WALTER_PIN });
  keys.walter = (await ensureWitnessTokenKey(client, s, 'Walter Witness', [], 'ec-p256')).verifierKey;
  // The other card holds a key for Wendy too, but not the one her script records.
  const o = await client.openSession({ label: 'other-card' }, { pin: OTHER_PIN });
  await ensureWitnessTokenKey(client, o, 'Wendy Witness', ['ed25519']);
  await client.closeSession(s);
  await client.closeSession(o);
  writeFileSync(fannyKeyFile, `${fanny.signerKey}\n`, { mode: 0o600 });
}, 60_000);
afterAll(async () => {
  await client?.close();
  tmp.cleanup();
});

describe('keyrite ceremony witness-key --token', () => {
  it('makes a sign-only, non-extractable Ed25519 key on the witness token, prints its verifier key, and reuses it on a second call', async () => {
    const pinFile = path.join(tmp.dir, 'wendy.pin');
    writeFileSync(pinFile, `${WENDY_PIN}\n`, { mode: 0o600 });
    const saved = process.env.SOFTHSM2_CONF;
    process.env.SOFTHSM2_CONF = env.SOFTHSM2_CONF;
    const io = captureIo();
    try {
      expect(await ceremonyCommand.run(['witness-key', '--name', 'Wendy Witness', '--token', 'wendy-card', '--pin-file', pinFile], io)).toBe(0);
    } finally {
      if (saved === undefined) delete process.env.SOFTHSM2_CONF; else process.env.SOFTHSM2_CONF = saved;
    }
    const printed = io.text().trim().split('\n').at(-1)!;
    expect(io.text()).toContain('Made Wendy Witness\'s cosigning key "keyrite-witness-Wendy-Witness" (ed25519');
    expect(io.text()).not.toContain(WENDY_PIN);
    const v = parseVerifierKey(printed);
    expect(v).toMatchObject({ name: 'witness/Wendy-Witness', type: 'cosignature/v1' });
    keys.wendy = printed;

    const again = await witnessTokenKey({ name: 'Wendy Witness', token: 'wendy-card', pinFile, io: captureIo(), env });
    expect(again).toEqual({ verifierKey: printed, label: 'keyrite-witness-Wendy-Witness', algorithm: 'ed25519', created: false });

    const s = await client.openSession({ label: 'wendy-card' }, { pin: WENDY_PIN });
    const found = await client.findKeys(s, { label: witnessTokenKeyLabel('Wendy Witness'), class: 'private' });
    expect(found).toHaveLength(1);
    const proof = await client.readKeyProof(s, found[0]!);
    expect(proof).toMatchObject({ sign: true, decrypt: false, extractable: false, sensitive: true, token: true, local: true });
    await client.closeSession(s);
  }, 60_000);

  it('refuses --out with --token, and a wrong PIN file', async () => {
    await expect(ceremonyCommand.run(['witness-key', '--name', 'W', '--token', 'wendy-card', '--out', path.join(tmp.dir, 'x.key')], captureIo())).rejects.toMatchObject({ code: 'USAGE' });
    const bad = path.join(tmp.dir, 'bad.pin');
    writeFileSync(bad, '00000000\n');
    await expect(witnessTokenKey({ name: 'Walter Witness', token: 'walter-card', pinFile: bad, io: captureIo(), env })).rejects.toMatchObject({ code: 'PIN_INCORRECT' });
    await expect(witnessTokenKey({ name: 'Walter Witness', token: 'no-such-card', pinFile: bad, io: captureIo(), env })).rejects.toMatchObject({ code: 'TOKEN_NOT_FOUND' });
  }, 60_000);
});

function happy(need: RunNeed): RunInput {
  switch (need.kind) {
    case 'confirm': return { kind: 'confirm', who: 'Alice Admin' };
    case 'pin': return { kind: 'pin', pin: HSM_PIN };
    case 'attest': return { kind: 'attest', witness: 'Wendy Witness' };
    case 'air-gap-override': return { kind: 'air-gap-override', who: 'Alice Admin', reason: 'test machine' };
    default: throw new Error(`unexpected need ${need.kind}`);
  }
}

describe('cosigning at the seal on the witnesses\' own tokens', () => {
  const out = path.join(tmp.dir, 'run');

  it('refuses a wrong PIN (tries shown) and a token without the key (typed, naming both), then seals with Wendy and Walter on their tokens and Fanny by file', async () => {
    const fileAsked: string[] = [];
    // Token hosts the run has started and not stopped: a witness's token is used once and let go.
    let live = 0;
    const counted: TokenFactory = async (o) => {
      const client = await tokens(o);
      const original = client.close;
      const stop = async () => { await original?.call(client); };
      live++;
      return Object.assign(client, { close: async () => { live--; await stop(); } });
    };
    const run = await openCeremonyRun({
      script: parseScript(script('witness-token-2026', 'witness-hsm', keys), 'w.yaml'), policy: POLICY, policyText: POLICY_TEXT,
      outDir: out, tokens: counted, tokenEnv: {}, rehearsal: false, airGapProbe: async () => [],
      witnessCosigner: async (w) => { fileAsked.push(w.name); return loadWitnessSigner(fannyKeyFile, w); },
    });
    try {
      let v: RunView = run.view();
      for (let guard = 0; v.need.kind !== 'witness-cosign' && guard < 30; guard++) v = await run.submit(happy(v.need));
      expect(v.need).toMatchObject({ kind: 'witness-cosign', witness: 'Wendy Witness', keyType: 'ed25519', tries: null, cosigned: [], pending: ['Wendy Witness', 'Walter Witness', 'Fanny File'] });

      v = await run.submit({ kind: 'witness-cosign', witness: 'Wendy Witness', token: { tokenSerial: serials['wendy-card']!, pin: '00000000' } });
      expect(v.error?.code).toBe('PIN_INCORRECT');
      expect(v.error?.message).not.toContain('00000000');
      expect(v.need).toMatchObject({ kind: 'witness-cosign', witness: 'Wendy Witness', tries: { locked: false }, cosigned: [] });

      // A token that is not (or no longer) there: typed, and still Wendy's turn, not the ceremony token's PIN.
      v = await run.submit({ kind: 'witness-cosign', witness: 'Wendy Witness', token: { tokenSerial: 'unplugged-0000', pin: WENDY_PIN } });
      expect(v.error?.code).toBe('TOKEN_NOT_FOUND');
      expect(v.need).toMatchObject({ kind: 'witness-cosign', witness: 'Wendy Witness', cosigned: [] });

      v = await run.submit({ kind: 'witness-cosign', witness: 'Wendy Witness', token: { tokenSerial: serials['other-card']!, pin: OTHER_PIN } });
      expect(v.error).toMatchObject({ code: 'WITNESS_KEY_NOT_ON_TOKEN', details: { witness: 'Wendy Witness', tokenSerial: serials['other-card'], tokenLabel: 'other-card' } });
      expect(v.error!.message).toContain('Wendy Witness');
      expect(v.error!.message).toContain('other-card');
      expect(v.need).toMatchObject({ kind: 'witness-cosign', witness: 'Wendy Witness', tries: null, cosigned: [] });
      expect(readFileSync(path.join(out, 'checkpoint.note'), 'utf8')).not.toContain('witness/');

      v = await run.submit({ kind: 'witness-cosign', witness: 'Wendy Witness', token: { tokenSerial: serials['wendy-card']!, pin: WENDY_PIN } });
      expect(v.error).toBeNull();
      expect(v.need).toMatchObject({ kind: 'witness-cosign', witness: 'Walter Witness', keyType: 'keyrite.spki/v1', cosigned: ['Wendy Witness'] });

      // Walter's key is ECDSA: it can only be on a token, so a key file is not even asked for.
      v = await run.submit({ kind: 'witness-cosign', witness: 'Walter Witness' });
      expect(v.error).toMatchObject({ code: 'WITNESS_TOKEN_REQUIRED', details: { witness: 'Walter Witness' } });
      expect(fileAsked).toEqual([]);

      v = await run.submit({ kind: 'witness-cosign', witness: 'Walter Witness', token: { tokenSerial: serials['walter-card']!, pin: WALTER_PIN } });
      expect(v.error).toBeNull();
      expect(v.need).toMatchObject({ kind: 'witness-cosign', witness: 'Fanny File', keyType: 'ed25519', cosigned: ['Wendy Witness', 'Walter Witness'] });
      // Four witness-token logins (other-card, Wendy's, Walter's, and the wrong PIN) left no host running: only the ceremony token's.
      expect(live).toBe(1);

      v = await run.submit({ kind: 'witness-cosign', witness: 'Fanny File' });
      expect(v.error).toBeNull();
      expect(v.need.kind).toBe('done');
      expect(fileAsked).toEqual(['Fanny File']);
    } finally {
      await run.close();
    }
    const report = await verifyTranscript(out);
    expect(report.failure).toBeUndefined();
    expect(report.witnesses.map((w) => [w.name, w.checkpointsCosigned])).toEqual([['Wendy Witness', 1], ['Walter Witness', 1], ['Fanny File', 1]]);
    expect(transcriptSecretsIn(out)).toEqual([]);
    const io = captureIo();
    expect(await verifyCommand.run([out], io)).toBe(0);
    for (const name of ['Wendy Witness', 'Walter Witness', 'Fanny File']) expect(io.text()).toMatch(new RegExp(`Witness +${name}: .*cosigned 1 checkpoint`));
  }, 120_000);

  it('headless: witnessTokens names each witness\'s token, PINs from pins by label; Fanny by key file', async () => {
    const dir = path.join(tmp.dir, 'headless');
    mkdirSync(dir, { recursive: true });
    const scriptFile = path.join(dir, 'w.yaml'), policyFile = path.join(dir, 'policy.yaml'), inputsFile = path.join(dir, 'inputs.yaml');
    writeFileSync(scriptFile, script('witness-token-headless', 'headless-hsm', keys));
    writeFileSync(policyFile, POLICY_TEXT);
    writeFileSync(inputsFile, `administrator: Alice Admin
pins: { headless-hsm: "${HSM_PIN}", wendy-card: "${WENDY_PIN}", walter-card: "${WALTER_PIN}" }
attest: all
airGapOverride: { reason: test machine }
witnessTokens: { Wendy Witness: wendy-card, Walter Witness: walter-card }
witnessKeys: { Fanny File: ${fannyKeyFile} }
`);
    const hout = path.join(dir, 'out');
    const io = captureIo();
    const { view } = await runHeadless({ scriptFile, outDir: hout, policyFile, inputsFile, rehearsal: false, io, tokenFactory: tokens, airGapProbe: async () => [] });
    expect(view.need.kind).toBe('done');
    expect(io.text()).not.toContain(WENDY_PIN);
    const report = await verifyTranscript(hout);
    expect(report.failure).toBeUndefined();
    expect(report.witnesses.map((w) => [w.name, w.checkpointsCosigned])).toEqual([['Wendy Witness', 1], ['Walter Witness', 1], ['Fanny File', 1]]);
  }, 120_000);

  it('headless: a witness token not present stops the run with a typed error naming the witness', async () => {
    const dir = path.join(tmp.dir, 'headless-missing');
    mkdirSync(dir, { recursive: true });
    const scriptFile = path.join(dir, 'w.yaml'), inputsFile = path.join(dir, 'inputs.yaml'), policyFile = path.join(dir, 'policy.yaml');
    writeFileSync(scriptFile, script('witness-token-missing', 'headless-hsm', keys).replace('label: witnessed-signing', 'label: witnessed-signing-2'));
    writeFileSync(policyFile, POLICY_TEXT);
    writeFileSync(inputsFile, `administrator: Alice Admin
pins: { headless-hsm: "${HSM_PIN}" }
attest: all
airGapOverride: { reason: test machine }
witnessTokens: { Wendy Witness: not-plugged-in }
`);
    await expect(runHeadless({ scriptFile, outDir: path.join(dir, 'out'), policyFile, inputsFile, rehearsal: false, io: captureIo(), tokenFactory: tokens, airGapProbe: async () => [] }))
      .rejects.toMatchObject({ code: 'WITNESS_TOKEN_NOT_FOUND', details: { witness: 'Wendy Witness' }, message: expect.stringContaining('Wendy Witness\'s token is not connected: No token with label "not-plugged-in" is present on') });
  }, 120_000);
});
