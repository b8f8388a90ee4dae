/**
 * Witness cosigning from the app: a script whose witnesses have keys loads in the app's handler
 * table (requests parsed with their schemas, as from the renderer), and at the seal each witness is
 * asked in turn (need `witness-cosign`); main picks their key file (CeremonyServices.pickWitnessKeyFile),
 * reads and checks it. The key itself never appears in any reply.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CeremonyView, RevealedShare } from '../../../electron/contract/index';
import type { HandlerTable, Result } from '../../../electron/contract/index';
import { drive } from '../../../electron/core/ceremony/headless';
import { loadInputsFile } from '../../../electron/core/ceremony/inputs';
import { defaultPolicyPath } from '../../../electron/core/ceremony/paths';
import { readJournalEntries } from '../../../electron/core/ceremony/prior-run';
import { defaultTokenFactory } from '../../../electron/core/ceremony/run-token';
import type { CeremonyRun, RunInput } from '../../../electron/core/ceremony/run-types';
import { ensureWitnessTokenKey, witnessKeyName } from '../../../electron/core/ceremony/witness-keys';
import { createTokenClient } from '../../../electron/core/token/client';
import { createHandlerTable, invokeChannel } from '../../../electron/core/ipc/handlers';
import { createRehearsalToken } from '../../../electron/core/token/rehearsal';
import { generateNoteKey } from '../../../electron/core/transcript/note-keys';
import { verifyTranscript } from '../../../electron/core/transcript/verify';
import { KeyriteError } from '../../../electron/core/util/errors';
import { tempDir } from '../../helpers/softhsm';
import { captureIo, TEMPLATES, transcriptSecretsIn } from './helpers';

const tmp = tempDir('keyrite-witness-app-');
afterAll(() => tmp.cleanup());
const SCRIPT = path.join(TEMPLATES, 'root-keygen.yaml');
const INPUTS = path.join(TEMPLATES, 'root-keygen.rehearsal.yaml');

const keys = { wendy: generateNoteKey(witnessKeyName('Wendy Witness')), walter: generateNoteKey(witnessKeyName('Walter Witness')), mallory: generateNoteKey(witnessKeyName('Wendy Witness')) };
type Who = keyof typeof keys;
const keyFile = (n: Who) => path.join(tmp.dir, 'keys', `${n}.key`);
/** The key material of every signer key: none of it may reach the renderer. */
const secretParts = Object.values(keys).map((k) => k.signerKey.split('+').slice(4).join('+'));
const scriptText = readFileSync(SCRIPT, 'utf8')
  .replace('{ name: Wendy Witness, role: witness }', `{ name: Wendy Witness, role: witness, key: "${keys.wendy.verifierKey}" }`)
  .replace('{ name: Walter Witness, role: witness }', `{ name: Walter Witness, role: witness, key: "${keys.walter.verifierKey}" }`);

beforeAll(() => {
  mkdirSync(path.join(tmp.dir, 'keys'), { recursive: true });
  for (const n of Object.keys(keys) as Who[]) writeFileSync(keyFile(n), keys[n].signerKey + '\n', { mode: 0o600 });
});

/** The app's table on a SoftHSM2 rehearsal token, with a picker that answers from a queue (null = cancelled). */
async function appTable(name: string, text = scriptText) {
  const dataDir = path.join(tmp.dir, name);
  const token = await createRehearsalToken({ dir: path.join(dataDir, 'token'), label: 'keyrite-rehearsal', pin: '123456' });
  const picks: (Who | null | { path: string })[] = [];
  const asked: string[] = [];
  const replies: string[] = [];
  const table: HandlerTable = createHandlerTable({
    dataDir, app: { version: 'test', platform: 'linux', rehearsal: true }, tokens: { listSlots: async () => [] },
    ceremony: {
      tokens: defaultTokenFactory, tokenEnv: token.env, rehearsal: true, defaultPolicyText: readFileSync(defaultPolicyPath(), 'utf8'),
      pickWitnessKeyFile: async (witness) => {
        asked.push(witness);
        const who = picks.shift();
        if (who === undefined) throw new Error(`test: no key file queued for ${witness}`);
        return who === null ? null : typeof who === 'object' ? who.path : keyFile(who);
      },
    },
  });
  /** Every call goes through the schema-checked table, and every reply is kept for the leak scan. */
  const call = async <T>(channel: string, req?: unknown): Promise<T> => {
    const r = (await invokeChannel(table, channel, req)) as Result<T>;
    replies.push(JSON.stringify(r));
    if (!r.ok) throw KeyriteError.fromData(r.error);
    return r.value;
  };
  let view: CeremonyView | null = null;
  /** The run as the renderer sees it, for the headless driver to answer the ceremony's needs. */
  const run = {
    view: () => view!,
    submit: async (input: RunInput) => (view = await call<CeremonyView>('ceremony/submit', input)),
    revealShare: (custodian: string) => call<RevealedShare>('ceremony/reveal-share', { custodian }),
  } as unknown as CeremonyRun;
  const load = async (resume?: string) => (view = await call<CeremonyView>('ceremony/load', { fileName: 'root-keygen-witnessed.yaml', text, ...(resume ? { resume } : {}) }));
  const submit = (input: RunInput) => run.submit(input);
  /** Runs every step up to the seal's first witness-cosign need (the driver submits it once). */
  const toSeal = () => drive(run, loadInputsFile(INPUTS), { io: captureIo() });
  return { call, load, submit, toSeal, picks, asked, replies, view: () => view!, token };
}

function expectNoKeyIn(replies: string[]): void {
  expect(replies.length).toBeGreaterThan(10);
  for (const r of replies) for (const secret of secretParts) expect(r).not.toContain(secret);
}

describe('witness cosigning in the app', () => {
  it('loads a keyed-witness script, asks each witness in turn, refuses a wrong key naming the witness, and seals with the picked key files', async () => {
    const app = await appTable('app');
    const loaded = await app.load();
    const outDir = loaded.outDir;
    // The first pick is Mallory's key under Wendy's key name: refused, nothing cosigned.
    app.picks.push('mallory');
    await expect(app.toSeal()).rejects.toMatchObject({ code: 'WITNESS_KEY_MISMATCH', details: { witness: 'Wendy Witness' }, message: expect.stringContaining('Wendy Witness') });
    let v = app.view();
    expect(v.need).toMatchObject({ kind: 'witness-cosign', witness: 'Wendy Witness', keyName: 'witness/Wendy-Witness', keyId: keys.wendy.verifierKey.split('+')[1], cosigned: [], pending: ['Wendy Witness', 'Walter Witness'] });
    expect(v.current).toBeNull();
    expect(readJournalEntries(path.join(outDir, 'transcript.jsonl')).at(-1)?.kind).toBe('ceremony.sealed');
    expect(existsSync(path.join(outDir, 'report.html'))).toBe(false);
    expect(readFileSync(path.join(outDir, 'checkpoint.note'), 'utf8')).not.toContain('witness/');

    // Cancelled dialog: typed, the need stays.
    app.picks.push(null);
    v = await app.submit({ kind: 'witness-cosign', witness: 'Wendy Witness' });
    expect(v.error).toMatchObject({ code: 'WITNESS_KEY_NOT_CHOSEN', details: { witness: 'Wendy Witness' } });
    expect(v.need).toMatchObject({ kind: 'witness-cosign', witness: 'Wendy Witness' });

    // Her verifier key (public) picked instead of her signer key file: typed, the need stays.
    const publicKeyFile = path.join(tmp.dir, 'keys', 'wendy.pub');
    writeFileSync(publicKeyFile, keys.wendy.verifierKey + '\n');
    app.picks.push({ path: publicKeyFile });
    v = await app.submit({ kind: 'witness-cosign', witness: 'Wendy Witness' });
    expect(v.error).toMatchObject({ code: 'WITNESS_KEY_INVALID', details: { witness: 'Wendy Witness' } });
    expect(v.need).toMatchObject({ kind: 'witness-cosign', witness: 'Wendy Witness', cosigned: [] });

    // Out of turn: Walter cannot cosign before Wendy, and main does not open a dialog for him.
    v = await app.submit({ kind: 'witness-cosign', witness: 'Walter Witness' });
    expect(v.error?.code).toBe('INPUT_NOT_EXPECTED');
    expect(app.asked).toEqual(['Wendy Witness', 'Wendy Witness', 'Wendy Witness']);

    app.picks.push('wendy');
    v = await app.submit({ kind: 'witness-cosign', witness: 'Wendy Witness' });
    expect(v.error).toBeNull();
    expect(v.need).toMatchObject({ kind: 'witness-cosign', witness: 'Walter Witness', keyName: 'witness/Walter-Witness', cosigned: ['Wendy Witness'], pending: ['Walter Witness'] });
    expect(existsSync(path.join(outDir, 'report.html'))).toBe(false);

    app.picks.push('walter');
    v = await app.submit({ kind: 'witness-cosign', witness: 'Walter Witness' });
    expect(v.error).toBeNull();
    expect(v.need.kind).toBe('done');
    expect(app.asked).toEqual(['Wendy Witness', 'Wendy Witness', 'Wendy Witness', 'Wendy Witness', 'Walter Witness']);
    expect(existsSync(path.join(outDir, 'report.html'))).toBe(true);

    const report = await verifyTranscript(outDir);
    expect(report.failure).toBeUndefined();
    expect(report.witnesses.map((w) => [w.name, w.checkpointsCosigned])).toEqual([['Wendy Witness', 1], ['Walter Witness', 1]]);
    expect(transcriptSecretsIn(outDir)).toEqual([]);
    await app.call('ceremony/close');
    expectNoKeyIn(app.replies);
  }, 120_000);

  it('a run closed between the seal and the cosignatures asks the missing witnesses again when reopened', async () => {
    const app = await appTable('resume');
    const outDir = (await app.load()).outDir;
    app.picks.push(null);
    await expect(app.toSeal()).rejects.toMatchObject({ code: 'WITNESS_KEY_NOT_CHOSEN' });
    app.picks.push('wendy');
    await app.submit({ kind: 'witness-cosign', witness: 'Wendy Witness' });
    await app.call('ceremony/close');
    const sealedJournal = readFileSync(path.join(outDir, 'transcript.jsonl'));
    expect(existsSync(path.join(outDir, 'report.html'))).toBe(false);
    // Verification says what is missing, naming the witness.
    expect((await verifyTranscript(outDir)).failure?.code).toBe('WITNESS_COSIGNATURE_MISSING');

    const reopened = await app.load(outDir);
    expect(reopened.error).toBeNull();
    expect(reopened.need).toMatchObject({ kind: 'witness-cosign', witness: 'Walter Witness', cosigned: ['Wendy Witness'], pending: ['Walter Witness'] });
    app.picks.push('walter');
    const done = await app.submit({ kind: 'witness-cosign', witness: 'Walter Witness' });
    expect(done.need.kind).toBe('done');
    // Cosignatures are signatures on the final checkpoint: the sealed journal is not touched.
    expect(readFileSync(path.join(outDir, 'transcript.jsonl')).equals(sealedJournal)).toBe(true);
    expect(existsSync(path.join(outDir, 'report.html'))).toBe(true);
    const report = await verifyTranscript(outDir);
    expect(report.failure).toBeUndefined();
    expect(report.witnesses.map((w) => [w.name, w.checkpointsCosigned])).toEqual([['Wendy Witness', 1], ['Walter Witness', 1]]);
    await app.call('ceremony/close');
    expectNoKeyIn(app.replies);
  }, 120_000);

  it('a witness cosigns on her own token through the table (serial and PIN in the input, the PIN in no reply); the other by key file', async () => {
    // Wendy's key is on her card, in the same SoftHSM2 store as the ceremony token (the run's module).
    const dir = path.join(tmp.dir, 'token-witness');
    const card = await createRehearsalToken({ dir: path.join(dir, 'token'), label: 'wendy-card', pin: '80808080' });
    const client = createTokenClient({ modulePath: card.modulePath, env: card.env });
    let wendyOnCard: string, serial: string;
    try {
      const s = await client.openSession({ label: 'wendy-card' }, { pin: '80808080' });
      wendyOnCard = (await ensureWitnessTokenKey(client, s, 'Wendy Witness', ['ed25519'])).verifierKey;
      serial = card.serial;
    } finally {
      await client.close();
    }
    const text = scriptText.replace(keys.wendy.verifierKey, wendyOnCard);
    const app = await appTable('token-witness', text);
    const outDir = (await app.load()).outDir;
    // The driver's plain `witness-cosign` would be a key-file cosignature: Wendy's is on her card.
    app.picks.push({ path: keyFile('wendy') });
    await expect(app.toSeal()).rejects.toMatchObject({ code: 'WITNESS_KEY_MISMATCH', details: { witness: 'Wendy Witness' } });
    let v = await app.submit({ kind: 'witness-cosign', witness: 'Wendy Witness', token: { tokenSerial: serial, pin: '80801111' } });
    expect(v.error?.code).toBe('PIN_INCORRECT');
    expect(v.need).toMatchObject({ kind: 'witness-cosign', witness: 'Wendy Witness', keyType: 'ed25519', tries: { locked: false } });
    v = await app.submit({ kind: 'witness-cosign', witness: 'Wendy Witness', token: { tokenSerial: serial, pin: '80808080' } });
    expect(v.error).toBeNull();
    expect(v.need).toMatchObject({ kind: 'witness-cosign', witness: 'Walter Witness', cosigned: ['Wendy Witness'], tries: null });
    app.picks.push('walter');
    v = await app.submit({ kind: 'witness-cosign', witness: 'Walter Witness' });
    expect(v.need.kind).toBe('done');
    const report = await verifyTranscript(outDir);
    expect(report.failure).toBeUndefined();
    expect(report.witnesses.map((w) => [w.name, w.checkpointsCosigned])).toEqual([['Wendy Witness', 1], ['Walter Witness', 1]]);
    await app.call('ceremony/close');
    for (const r of app.replies) expect(r).not.toContain('80808080');
  }, 120_000);

  it('without a picker the app table still refuses a keyed-witness script before anything is done', async () => {
    const dataDir = path.join(tmp.dir, 'no-picker');
    const table = createHandlerTable({
      dataDir, app: { version: 'test', platform: 'linux', rehearsal: true }, tokens: { listSlots: async () => [] },
      ceremony: { tokens: defaultTokenFactory, rehearsal: true, defaultPolicyText: readFileSync(defaultPolicyPath(), 'utf8') },
    });
    const r = await invokeChannel(table, 'ceremony/load', { fileName: 'w.yaml', text: scriptText });
    expect(r).toMatchObject({ ok: false, error: { code: 'WITNESS_COSIGNER_MISSING' } });
    expect(existsSync(dataDir)).toBe(false);
  });
});
