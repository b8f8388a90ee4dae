/**
 * People's own tokens behind another PKCS#11 module than the ceremony's (card modules): the HSM is
 * one SoftHSM2 store, loaded from the installed library; Grace's and Wendy's cards are another store,
 * loaded from a copy of the library under another name with its own SOFTHSM2_CONF, in their own
 * token host. Nothing of the cards is reachable through the ceremony's module.
 *
 * A rehearsal run without the card module stops at Grace's check, saying her token is not found
 * and what to do; run again with --card-module it resumes, Grace opens her share on her card and
 * Wendy cosigns on hers. Grace's card key is EC, so her share is opened by ECDH on the card. Recovery in the app then opens Grace's share on her card, found through
 * the card module.
 */
import { isP256TagAgeFile } from '../../../electron/core/shares/age-p256tag';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createPublicKey } from 'node:crypto';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runHeadless } from '../../../electron/core/ceremony/headless';
import { runCommand } from '../../../electron/cli/commands/ceremony-run';
import { readJournalEntries } from '../../../electron/core/ceremony/prior-run';
import { defaultTokenFactory, openOtherRunToken } from '../../../electron/core/ceremony/run-token';
import { ensureWitnessTokenKey } from '../../../electron/core/ceremony/witness-keys';
import { parsePolicy, parseScript } from '../../../electron/core/ceremony/load';
import { createCeremonyHandlers } from '../../../electron/core/ipc/ceremony-handlers';
import { listAcrossModules, locateToken, parseCardModules, type CardModule } from '../../../electron/core/token/card-modules';
import { createTokenClient, type TokenClient } from '../../../electron/core/token/client';
import { createRehearsalToken, findSoftHsmModule } from '../../../electron/core/token/rehearsal';
import { verifyTranscript } from '../../../electron/core/transcript/verify';
import { tempDir } from '../../helpers/softhsm';
import { captureIo, rootKeygenWithGraceOnCard } from './helpers';

const tmp = tempDir('keyrite-card-modules-');
const DIR = tmp.dir;
const OUT = path.join(DIR, 'out');
const CUSTODY = path.join(DIR, 'usb');
const HSM_PIN = '123456';
const GRACE_PIN = '11223344';
const WENDY_PIN = '55667788';

let cards: CardModule;
let cardClient: TokenClient;
let gracePem: string;
let graceSerial: string;
let wendyKey: string;

beforeAll(async () => {
  // The rehearsal run makes its HSM in OUT/token; the cards live elsewhere, behind their own library.
  const libDir = path.join(DIR, 'cards-lib');
  mkdirSync(libDir, { recursive: true });
  const lib = path.join(libDir, 'libkeyrite-cards-pkcs11.so');
  copyFileSync(findSoftHsmModule()!, lib);
  const grace = await createRehearsalToken({ dir: path.join(DIR, 'cards'), label: 'grace-card', pin: GRACE_PIN });
  await createRehearsalToken({ dir: path.join(DIR, 'cards'), label: 'wendy-card', pin: WENDY_PIN });
  cards = { ...parseCardModules(lib)[0]!, env: grace.env };
  graceSerial = grace.serial;
  cardClient = createTokenClient({ modulePath: lib, env: grace.env });
  const g = await cardClient.openSession({ label: 'grace-card' }, { pin: GRACE_PIN });
  // Grace's card key is EC P-256: her share is opened by ECDH on the card (version 2 share file).
  const key = await cardClient.generateKeyPair(g, { algorithm: 'ec-p256', label: 'grace-share', id: '6ac1', extractableForBackup: false, usage: 'decrypt' });
  gracePem = createPublicKey({ key: Buffer.from(key.spki), format: 'der', type: 'spki' }).export({ format: 'pem', type: 'spki' }).toString();
  await cardClient.closeSession(g);
  const w = await cardClient.openSession({ label: 'wendy-card' }, { pin: WENDY_PIN });
  wendyKey = (await ensureWitnessTokenKey(cardClient, w, 'Wendy Witness', ['ed25519'])).verifierKey;
  await cardClient.closeSession(w);
}, 120_000);
afterAll(async () => {
  await cardClient?.close();
  tmp.cleanup();
});

function script(): string {
  return rootKeygenWithGraceOnCard(gracePem, { Erin: 'paper', Frank: 'paper' })
    .replace('  - { name: Wendy Witness, role: witness }', `  - { name: Wendy Witness, role: witness, key: "${wendyKey}" }`);
}

const INPUTS = `administrator: Alice Admin
pins:
  keyrite-rehearsal: "${HSM_PIN}"
  grace-card: "${GRACE_PIN}"
  wendy-card: "${WENDY_PIN}"
airGapOverride: { reason: Test machine on a network. }
attest: all
shareVerification: echo
rehearsalWitnessKeys: [Walter Witness]
witnessTokens:
  Wendy Witness: wendy-card
`;

describe('custodian and witness tokens behind a card module', () => {
  it('a token on no module searched is refused naming each module; with the card module it is opened there', async () => {
    const hsm = await createRehearsalToken({ dir: path.join(DIR, 'probe-hsm'), label: 'probe-hsm', pin: HSM_PIN });
    const opts = {
      script: parseScript(script().replace('label: keyrite-rehearsal', 'label: probe-hsm'), 'probe.yaml'),
      policy: parsePolicy('version: 1\nname: p\nclasses: {}\n').policy,
      outDir: path.join(DIR, 'probe'), tokens: defaultTokenFactory, tokenEnv: hsm.env, rehearsal: true,
    };
    const selection = { module: 'softhsm', serial: graceSerial };
    const refused = openOtherRunToken(opts, selection, GRACE_PIN);
    await expect(refused).rejects.toMatchObject({ code: 'TOKEN_NOT_FOUND', details: { serial: graceSerial, modules: ['SoftHSM2 (rehearsal tokens)'] } });
    await expect(refused).rejects.toMatchObject({ action: expect.stringContaining('KEYRITE_CARD_MODULES') });

    const opened = await openOtherRunToken({ ...opts, cardModules: [cards] }, selection, GRACE_PIN);
    expect(opened.info).toMatchObject({ label: 'grace-card', serial: graceSerial });
    expect((await opened.token.api.moduleInfo()).path).toBe(cards.path);
    await opened.token.api.closeSession(opened.session);
    await opened.token.close();

    const wrongPin = openOtherRunToken({ ...opts, cardModules: [cards] }, selection, '00000000');
    await expect(wrongPin).rejects.toMatchObject({ code: 'PIN_INCORRECT' });
  }, 60_000);

  it('lists the tokens of every module, each with its module\'s name', async () => {
    const hsm = await createRehearsalToken({ dir: path.join(DIR, 'list-hsm'), label: 'list-hsm', pin: HSM_PIN });
    const primary = createTokenClient({ modulePath: hsm.modulePath, env: hsm.env });
    try {
      const slots = await listAcrossModules({ api: primary, name: 'SoftHSM2 (rehearsal tokens)' }, [{ module: cards, api: cardClient }]);
      // (SoftHSM2 also lists a free slot with an uninitialised token in each store.)
      const named = slots.filter((s) => s.token?.label).map((s) => `${s.token!.label}@${s.module}`);
      expect(named.sort()).toEqual(['grace-card@libkeyrite-cards-pkcs11.so', 'list-hsm@SoftHSM2 (rehearsal tokens)', 'wendy-card@libkeyrite-cards-pkcs11.so']);
      expect(slots.filter((s) => s.module === 'SoftHSM2 (rehearsal tokens)').map((s) => s.token?.label)).not.toContain('grace-card');
      // A card module that cannot list (here: a library path that does not load) shows no slots, and is told to the caller.
      const broken = createTokenClient({ modulePath: path.join(DIR, 'no-such-pkcs11.so') });
      const told: string[] = [];
      try {
        const withBroken = await listAcrossModules({ api: primary, name: 'hsm' }, [{ module: { name: 'broken', path: '/x' }, api: broken }], (m, e) => told.push(`${m.name}: ${(e as { code?: string }).code}`));
        expect(withBroken.map((s) => s.module)).not.toContain('broken');
        expect(withBroken.some((s) => s.token?.label === 'list-hsm')).toBe(true);
        expect(told).toEqual(['broken: MODULE_LOAD_FAILED']);
      } finally {
        await broken.close();
      }
      // Looking for a token: the module that could not be read is named in the refusal.
      const missing = { name: 'no-such-pkcs11.so', path: path.join(DIR, 'no-such-pkcs11.so') };
      await expect(locateToken({ api: primary, name: 'hsm' }, [missing], defaultTokenFactory, { label: 'grace-card' }))
        .rejects.toThrow(/No token with label "grace-card" is present on hsm or no-such-pkcs11\.so\. no-such-pkcs11\.so could not be read: /);
    } finally {
      await primary.close();
    }
  }, 60_000);

  it('keyrite ceremony run stops at Grace\'s check without the card module, and resumes with --card-module; Wendy cosigns on her card', async () => {
    mkdirSync(OUT, { recursive: true });
    writeFileSync(path.join(DIR, 'keygen.yaml'), script());
    writeFileSync(path.join(DIR, 'inputs.yaml'), INPUTS);
    const base = { scriptFile: path.join(DIR, 'keygen.yaml'), outDir: OUT, rehearsal: true, inputsFile: path.join(DIR, 'inputs.yaml'), custodyDir: CUSTODY };
    await expect(runHeadless({ ...base, io: captureIo() })).rejects.toMatchObject({
      code: 'CUSTODIAN_TOKEN_NOT_FOUND', details: { custodian: 'Grace', tokenLabel: 'grace-card' },
      message: 'Grace\'s token is not connected: No token with label "grace-card" is present on SoftHSM2 (rehearsal tokens).',
      action: expect.stringContaining('--card-module'),
    });
    const stopped = readJournalEntries(path.join(OUT, 'transcript.jsonl'));
    expect(stopped.some((e) => e.kind === 'share.delivered' && (e.data as { custodian: string }).custodian === 'Grace')).toBe(true);
    expect(stopped.some((e) => e.kind === 'ceremony.sealed')).toBe(false);

    // The card module's host reads its SOFTHSM2_CONF from the environment, as a real OpenSC needs none.
    const saved = process.env.SOFTHSM2_CONF;
    process.env.SOFTHSM2_CONF = cards.env!.SOFTHSM2_CONF;
    const io = captureIo();
    try {
      expect(await runCommand([base.scriptFile, '--rehearsal', '--out', OUT, '--inputs', base.inputsFile, '--custody-dir', CUSTODY, '--card-module', cards.path], io)).toBe(0);
    } finally {
      if (saved === undefined) delete process.env.SOFTHSM2_CONF; else process.env.SOFTHSM2_CONF = saved;
    }
    const entries = readJournalEntries(path.join(OUT, 'transcript.jsonl'));
    // Grace's card key is EC P-256: her share is an age file with a p256tag recipient.
    expect(isP256TagAgeFile(readFileSync(path.join(CUSTODY, 'root-2026-Grace.keyrite-share.age'), 'utf8'))).toBe(true);
    const verified = entries.filter((e) => e.kind === 'share.verified').map((e) => e.data as { custodian: string; method: string; ok: boolean });
    expect(verified.filter((d) => d.custodian === 'Grace')).toEqual([expect.objectContaining({ method: 'token', ok: true })]);
    const report = await verifyTranscript(OUT);
    expect(report.failure).toBeUndefined();
    expect(report.witnesses.map((w) => [w.name, w.checkpointsCosigned])).toEqual([['Wendy Witness', 1], ['Walter Witness', 1]]);
    expect(io.text()).not.toContain(GRACE_PIN);
    expect(io.text()).not.toContain(WENDY_PIN);
  }, 180_000);

  it('recovery in the app opens Grace\'s share on her card, found through the card module', async () => {
    const backupText = readFileSync(path.join(OUT, 'backup.json'), 'utf8');
    const content = readFileSync(path.join(CUSTODY, 'root-2026-Grace.keyrite-share.age'), 'utf8');
    const hsmEnv = { SOFTHSM2_CONF: path.join(OUT, 'token', 'softhsm2.conf') };
    const services = { rehearsal: true, modulePath: findSoftHsmModule()!, tokenEnv: hsmEnv, tokens: defaultTokenFactory };
    const input = { kind: 'token' as const, fileName: 'root-2026-Grace.keyrite-share.age', content, tokenSerial: graceSerial, pin: GRACE_PIN };

    const without = createCeremonyHandlers({ dataDir: DIR, ceremony: services });
    expect((await without['recovery/start']({ backupFileName: 'backup.json', backupText })).ok).toBe(true);
    const refused = await without['recovery/add-share'](input);
    expect(refused.ok ? null : refused.error).toMatchObject({ code: 'TOKEN_NOT_FOUND', details: { serial: graceSerial } });
    await without['recovery/close']();

    const withCards = createCeremonyHandlers({ dataDir: DIR, ceremony: { ...services, cardModules: [cards] } });
    expect((await withCards['recovery/start']({ backupFileName: 'backup.json', backupText })).ok).toBe(true);
    const ok = await withCards['recovery/add-share'](input);
    expect(ok.ok ? ok.value.accepted.map((s) => s.custodian) : ok.error).toEqual(['Grace']);
    expect(JSON.stringify(ok)).not.toContain(GRACE_PIN);
    await withCards['recovery/close']();
  }, 60_000);
});
