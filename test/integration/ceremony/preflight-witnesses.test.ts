/**
 * Pre-flight looks for the witnesses' cards, on SoftHSM2: the ceremony token is one store loaded
 * from the installed library; Wendy's card is another store behind a copy of the library under
 * another name (a card module, as test/integration/ceremony/card-modules.test.ts makes them), holding
 * her EC P-256 cosigning key made by ensureWitnessTokenKey. Walter's recorded EC key is on no token;
 * Wanda keeps an Ed25519 key file; Winnie an Ed25519 key on the same card as Wendy.
 *
 * With the card module given, Wendy's card is seen (by the SPKI of its public key, read without a
 * PIN) and Walter is told to plug in his card before the seal; without it, Wendy is not seen either.
 * A card not seen is information, never a failure: the ceremony may still start.
 */
import { execFileSync } from 'node:child_process';
import { createPublicKey, generateKeyPairSync } from 'node:crypto';
import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';
import { parsePolicy, parseScript } from '../../../electron/core/ceremony/load';
import { runPreflight, type PreflightDeps } from '../../../electron/core/ceremony/preflight';
import { defaultTokenFactory } from '../../../electron/core/ceremony/run-token';
import { ensureWitnessTokenKey, witnessKeyName, witnessTokenKeyLabel } from '../../../electron/core/ceremony/witness-keys';
import { parseCardModules, type CardModule } from '../../../electron/core/token/card-modules';
import { createTokenClient } from '../../../electron/core/token/client';
import { createRehearsalToken, findSoftHsmModule, type RehearsalToken } from '../../../electron/core/token/rehearsal';
import { ecdsaKeyHash, generateWitnessKey, hashHex } from '../../../electron/core/transcript/note-keys';
import { tempDir } from '../../helpers/softhsm';

const ROOT = path.resolve(__dirname, '../../..');
const tmp = tempDir('keyrite-preflight-witnesses-');
const WENDY_PIN = '55667788';
const policy = parsePolicy(readFileSync(path.join(ROOT, 'resources/policy/default.yaml'), 'utf8')).policy;

let hsm: RehearsalToken;
let cards: CardModule;
let wendyKey: string;
let winnieKey: string;

/** An ECDSA (0x02) signed-note verifier key for a P-256 key that no token holds. */
function ecdsaVerifierKeyOnNoToken(name: string): string {
  const spki = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ format: 'der', type: 'spki' });
  return `${witnessKeyName(name)}+${hashHex(ecdsaKeyHash(spki))}+${Buffer.concat([Buffer.of(0x02), spki]).toString('base64')}`;
}

/** root-keygen (witnesses Wendy and Walter) with the witness keys given, a witness it does not list added. */
function script(keys: Record<string, string>) {
  const doc = parseDocument(readFileSync(path.join(ROOT, 'resources/ceremonies/root-keygen.yaml'), 'utf8'));
  const listed = (doc.toJS() as { participants: { name: string; role: string }[] }).participants;
  // The template's witnesses attest its steps: those not given a key stay, attesting by name.
  const participants = listed.map((p) => (keys[p.name] ? { ...p, key: keys[p.name] } : p))
    .concat(Object.entries(keys).filter(([name]) => !listed.some((p) => p.name === name)).map(([name, key]) => ({ name, role: 'witness', key })));
  doc.set('participants', doc.createNode(participants));
  return parseScript(doc.toString({ lineWidth: 0 })).script;
}

function deps(withCards: boolean): PreflightDeps {
  return {
    tokens: defaultTokenFactory, modulePath: hsm.modulePath, tokenEnv: hsm.env, ...(withCards ? { cardModules: [cards] } : {}),
    airGapProbe: async () => [], rehearsal: true, dataDir: tmp.dir, policy,
  };
}

async function witnessesCheck(keys: Record<string, string>, withCards: boolean) {
  const report = await runPreflight(script(keys), deps(withCards));
  return { report, check: report.checks.find((c) => c.id === 'witnesses')! };
}

beforeAll(async () => {
  hsm = await createRehearsalToken({ dir: path.join(tmp.dir, 'hsm') });
  const libDir = path.join(tmp.dir, 'cards-lib');
  mkdirSync(libDir, { recursive: true });
  const lib = path.join(libDir, 'libkeyrite-cards-pkcs11.so');
  copyFileSync(findSoftHsmModule()!, lib);
  const wendy = await createRehearsalToken({ dir: path.join(tmp.dir, 'cards'), label: 'wendy-card', pin: WENDY_PIN });
  cards = { ...parseCardModules(lib)[0]!, env: wendy.env };
  const client = createTokenClient({ modulePath: lib, env: wendy.env });
  try {
    const session = await client.openSession({ label: 'wendy-card' }, { pin: WENDY_PIN });
    // Offered no Ed25519, the witness key is EC P-256, recorded as an ECDSA (0x02) verifier key.
    wendyKey = (await ensureWitnessTokenKey(client, session, 'Wendy Witness', ['ec-p256'])).verifierKey;
    // Winnie keeps an Ed25519 cosigning key on the same card: a key that could be a file, seen on a card.
    winnieKey = (await ensureWitnessTokenKey(client, session, 'Winnie Witness', ['ed25519'])).verifierKey;
    await client.closeSession(session);
  } finally {
    await client.close();
  }
}, 120_000);
afterAll(() => tmp.cleanup());

describe('pre-flight: witness cards', () => {
  it('sees Wendy\'s card through the card module, tells Walter to bring his, and asks Wanda\'s key file at the seal', async () => {
    const wanda = generateWitnessKey(witnessKeyName('Wanda Witness')).verifierKey;
    const { report, check } = await witnessesCheck({ 'Wendy Witness': wendyKey, 'Walter Witness': ecdsaVerifierKeyOnNoToken('Walter Witness'), 'Wanda Witness': wanda }, true);
    expect(check.status).toBe('info');
    expect(check.detail).toBe('Wendy Witness: seen on wendy-card; not seen: Walter Witness plugs in their card before the seal; Wanda Witness: key file (or own card), asked for at the seal.');
    // Information only: the ceremony may start (the air gap aside, none fails).
    expect(report.ready).toBe(true);
  }, 120_000);

  it('pkcs11-tool, not Keyrite, reads without a PIN the public key the script records for Wendy from her card', () => {
    const der = execFileSync('pkcs11-tool', ['--module', cards.path, '--token-label', 'wendy-card', '--read-object', '--type', 'pubkey', '--label', witnessTokenKeyLabel('Wendy Witness')], { env: { ...process.env, ...cards.env }, stdio: ['pipe', 'pipe', 'pipe'] });
    const recorded = Buffer.from(wendyKey.split('+').slice(2).join('+'), 'base64').subarray(1);
    expect(createPublicKey({ key: der, format: 'der', type: 'spki' }).export({ format: 'der', type: 'spki' })).toEqual(recorded);
  });

  it('without the card module Wendy\'s card is not seen', async () => {
    const { check } = await witnessesCheck({ 'Wendy Witness': wendyKey }, false);
    expect(check).toMatchObject({ status: 'info', detail: 'not seen: Wendy Witness plugs in their card before the seal; Walter Witness: attests by name (no key in the script).' });
  }, 120_000);

  it('a card module that cannot be loaded is named in the check, not passed over in silence', async () => {
    const broken = { ...cards, path: path.join(tmp.dir, 'no-such-card-module.so') };
    const report = await runPreflight(script({ 'Wendy Witness': wendyKey }), { ...deps(false), cardModules: [broken] });
    const check = report.checks.find((c) => c.id === 'witnesses')!;
    expect(check.status).toBe('info');
    expect(check.detail).toContain('not seen: Wendy Witness plugs in their card before the seal');
    expect(check.detail).toContain(`card module ${broken.path} could not be read (`);
  }, 120_000);

  it('an Ed25519 key found on a card is said seen there', async () => {
    const { check } = await witnessesCheck({ 'Winnie Witness': winnieKey }, true);
    expect(check).toMatchObject({ status: 'pass', detail: 'Wendy Witness: attests by name (no key in the script); Walter Witness: attests by name (no key in the script); Winnie Witness: seen on wendy-card.' });
  }, 120_000);

  it('every card seen: the check passes', async () => {
    const { check } = await witnessesCheck({ 'Wendy Witness': wendyKey }, true);
    expect(check).toMatchObject({ status: 'pass', detail: 'Wendy Witness: seen on wendy-card; Walter Witness: attests by name (no key in the script).' });
  }, 120_000);
});
