/**
 * The ceremony channels as the renderer reaches them (createCeremonyHandlers: parsed, Result-wrapped),
 * with the runner replaced by a fake that records what it was opened with and what reached it:
 * - a script is checked against the policy (the one given, else the default) before anything opens,
 *   and `ceremony/validate` shows what the room reads back (facts and hashes);
 * - one ceremony open at a time; nothing reaches a run that is not open; close closes it;
 * - what main configured (token module, card modules, air-gap probe, share sink, witness key
 *   picker) is what the run is opened with, in the folder the run is kept in;
 * - the run's events reach the renderer until the ceremony is closed.
 */
import { createHash } from 'node:crypto';
import { promises, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import type { Result } from '../../../electron/contract/index';
import type { CeremonyRun, OpenRunOptions, RunEvents, RunView } from '../../../electron/core/ceremony/run-types';
import { createCeremonyHandlers } from '../../../electron/core/ipc/ceremony-handlers';
import type { CeremonyHandlerDeps, CeremonyServices } from '../../../electron/core/ipc/ceremony-services';
import type { TokenApi } from '../../../electron/core/token/types';
import { refusalOf } from '../../helpers/keyrite-error';

const ROOT = path.resolve(import.meta.dirname, '../../..');
const SCRIPT = readFileSync(path.join(ROOT, 'resources/ceremonies/root-keygen.yaml'), 'utf8');
const SIGN_CRL = readFileSync(path.join(ROOT, 'resources/ceremonies/sign-crl.yaml'), 'utf8');
const POLICY = readFileSync(path.join(ROOT, 'resources/policy/default.yaml'), 'utf8');
const sha = (t: string) => createHash('sha256').update(t).digest('hex');
const noToken = new Proxy({}, { get: () => () => { throw new Error('the token must not be used'); } }) as TokenApi;

interface Recorded {
  opened: OpenRunOptions[];
  deviations: [string, string][];
  closed: number;
  listeners: { changed: RunEvents['changed'][]; progress: RunEvents['progress'][] };
}

function fakeRunner(rec: Recorded): (opts: OpenRunOptions) => Promise<CeremonyRun> {
  return async (opts) => {
    rec.opened.push(opts);
    const view = () => ({ ceremonyId: opts.script.script.id, need: { kind: 'pin' } }) as unknown as RunView;
    return {
      view,
      submit: async () => view(),
      revealShare: async () => { throw new Error('unused'); },
      recordDeviation: async (who, why) => { rec.deviations.push([who, why]); return view(); },
      on: (event, listener) => {
        const list = rec.listeners[event] as unknown[];
        list.push(listener);
        return () => void list.splice(list.indexOf(listener), 1);
      },
      close: async () => { rec.closed++; },
    };
  };
}

function channels(services: Partial<CeremonyServices> | null = {}, emitted: [string, unknown][] = []) {
  const rec: Recorded = { opened: [], deviations: [], closed: 0, listeners: { changed: [], progress: [] } };
  const deps: CeremonyHandlerDeps = { dataDir: '/var/keyrite-data', emit: (channel, payload) => void emitted.push([channel, payload]) };
  if (services) deps.ceremony = { tokens: noToken, rehearsal: true, defaultPolicyText: POLICY, openRun: fakeRunner(rec), ...services };
  const h = createCeremonyHandlers(deps) as unknown as Record<string, (req?: unknown) => Promise<Result<unknown>>>;
  const call = (channel: string, req?: unknown) => h[channel]!(req);
  return { call, rec, emitted };
}

const errorOf = refusalOf;

describe('ceremony/validate', () => {
  it('summarises the script as checked against the given policy, with both texts\' hashes', async () => {
    const { call } = channels();
    const withSerial = SCRIPT.replace('  label: keyrite-rehearsal\n', '  label: keyrite-rehearsal\n  serial: 0a1b2c\n');
    const r = await call('ceremony/validate', { fileName: 'root-keygen.yaml', text: withSerial, policyText: POLICY });
    expect(r).toMatchObject({
      ok: true,
      value: {
        ceremonyId: 'root-2026', type: 'root-keygen', needsPriorRun: false,
        facts: {
          algorithm: 'ec-p384', keyLabel: 'example-root-2026', keyClass: 'root', token: 'label keyrite-rehearsal, serial 0a1b2c (module softhsm)',
          split: '3-of-5', witnesses: 2, policyName: 'keyrite-default', policySha256: sha(POLICY), scriptSha256: sha(withSerial),
        },
      },
    });
    const serialOnly = await call('ceremony/validate', { fileName: 'root-keygen.yaml', text: SCRIPT.replace('  label: keyrite-rehearsal\n', '  serial: 0a1b2c\n'), policyText: POLICY });
    expect(serialOnly).toMatchObject({ ok: true, value: { facts: { token: 'serial 0a1b2c (module softhsm)' } } });
    const crl = await call('ceremony/validate', { fileName: 'sign-crl.yaml', text: SIGN_CRL });
    expect(crl).toMatchObject({ ok: true, value: { facts: { split: null, token: 'label keyrite-rehearsal (module softhsm)' } } });
  });

  it('without a policy given: the default one, from main\'s services or else from resources/policy/default.yaml', async () => {
    const stricter = POLICY.replace('minWitnesses: 2', 'minWitnesses: 3');
    const byServices = await channels({ defaultPolicyText: stricter }).call('ceremony/validate', { fileName: 'root-keygen.yaml', text: SCRIPT });
    expect(errorOf(byServices).message).toMatch(/witness/i);
    const byFile = await channels(null).call('ceremony/validate', { fileName: 'root-keygen.yaml', text: SCRIPT });
    expect(byFile).toMatchObject({ ok: true, value: { facts: { policySha256: sha(POLICY) } } });
  });

  it('says the default policy is missing, and what to do, when neither is there', async () => {
    // The file unreadable as where resources/ is not beside the app (the read is the only fs call here).
    const read = vi.spyOn(promises, 'readFile').mockRejectedValueOnce(Object.assign(new Error('ENOENT'), { code: 'ENOENT' }));
    try {
      const r = await channels(null).call('ceremony/validate', { fileName: 'root-keygen.yaml', text: SCRIPT });
      expect(errorOf(r)).toEqual({ code: 'POLICY_MISSING', message: 'The default policy file was not found.', action: 'Choose the policy file on the load screen.' });
      expect(read).toHaveBeenCalledWith(path.join('resources', 'policy', 'default.yaml'), 'utf8');
    } finally {
      read.mockRestore();
    }
  });

  it('names the policy file a bad policy came from', async () => {
    const given = await channels().call('ceremony/validate', { fileName: 'root-keygen.yaml', text: SCRIPT, policyText: 'version: 1\nname: 7\n' });
    expect(errorOf(given).message).toContain('policy.yaml');
    const byDefault = await channels({ defaultPolicyText: 'version: 1\nname: 7\n' }).call('ceremony/validate', { fileName: 'root-keygen.yaml', text: SCRIPT });
    expect(errorOf(byDefault).message).toContain('default policy');
  });
});

describe('ceremony/load', () => {
  it('refuses a script outside the policy before any run opens', async () => {
    const { call, rec } = channels();
    const r = await call('ceremony/load', { fileName: 'root-keygen.yaml', text: SCRIPT, policyText: POLICY.replace('minWitnesses: 2', 'minWitnesses: 3') });
    expect(errorOf(r).message).toMatch(/witness/i);
    expect(rec.opened).toEqual([]);
  });

  it('says ceremonies cannot run without a token module, with what to do, for load and preflight', async () => {
    const { call } = channels(null);
    for (const channel of ['ceremony/load', 'ceremony/preflight']) {
      expect(errorOf(await call(channel, { fileName: 'root-keygen.yaml', text: SCRIPT }))).toEqual({
        code: 'CEREMONY_UNAVAILABLE', message: 'Ceremonies cannot run here: no token module is configured.',
        action: 'Start Keyrite with KEYRITE_PKCS11_MODULE set to your HSM vendor library, or in rehearsal mode.',
      });
    }
  });

  it('opens the run with what main configured, in a new folder of the data folder named by id and time', async () => {
    const picked: string[] = [];
    const services: Partial<CeremonyServices> = {
      tokenEnv: { SOFTHSM2_CONF: '/x/softhsm2.conf' }, modulePath: '/usr/lib/softhsm/libsofthsm2.so',
      airGapProbe: async () => [], shareFileSink: async () => '/chosen/share.txt', cardModules: [{ name: 'OpenSC', path: '/usr/lib/opensc-pkcs11.so' }],
      pickWitnessKeyFile: async (w) => { picked.push(w); return null; },
    };
    const { call, rec } = channels(services);
    const before = Date.now();
    expect(await call('ceremony/load', { fileName: 'root-keygen.yaml', text: SCRIPT, policyText: POLICY, from: '/var/keyrite-data/earlier' })).toMatchObject({ ok: true, value: { ceremonyId: 'root-2026' } });
    const o = rec.opened[0]!;
    expect(o.tokens).toBe(noToken);
    expect(o).toMatchObject({ policyText: POLICY, rehearsal: true, from: '/var/keyrite-data/earlier', tokenEnv: services.tokenEnv, modulePath: services.modulePath, airGapProbe: services.airGapProbe, shareFileSink: services.shareFileSink, cardModules: services.cardModules });
    expect(o.script.script.id).toBe('root-2026');
    expect(o.policy.name).toBe('keyrite-default');
    const m = /^\/var\/keyrite-data\/root-2026-(\d{8}T\d{6})Z$/.exec(o.outDir);
    expect(m, o.outDir).not.toBeNull();
    const stamp = m![1]!;
    const at = Date.UTC(+stamp.slice(0, 4), +stamp.slice(4, 6) - 1, +stamp.slice(6, 8), +stamp.slice(9, 11), +stamp.slice(11, 13), +stamp.slice(13, 15));
    expect(at).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000);
    expect(at).toBeLessThanOrEqual(Date.now());
    // The witness cosigner asks main's picker; a cancelled pick keeps the run waiting.
    await expect(o.witnessCosigner!({ name: 'Wendy Witness' } as never)).rejects.toMatchObject({ code: 'WITNESS_KEY_NOT_CHOSEN', message: 'No key file was chosen for witness Wendy Witness: the final checkpoint is not cosigned yet.' });
    expect(picked).toEqual(['Wendy Witness']);
  });

  it('leaves out what main did not configure, and resumes in the folder given', async () => {
    const { call, rec } = channels();
    await call('ceremony/load', { fileName: 'root-keygen.yaml', text: SCRIPT, resume: '/var/keyrite-data/root-2026-20260101T000000Z' });
    const o = rec.opened[0]!;
    expect(o.outDir).toBe('/var/keyrite-data/root-2026-20260101T000000Z');
    expect(o.policyText).toBe(POLICY);
    for (const k of ['tokenEnv', 'modulePath', 'airGapProbe', 'from', 'witnessCosigner', 'shareFileSink', 'cardModules']) expect(k in o, k).toBe(false);
  });
});

describe('a run\'s events without a renderer to tell', () => {
  it('are dropped, not thrown into the run', async () => {
    const rec: Recorded = { opened: [], deviations: [], closed: 0, listeners: { changed: [], progress: [] } };
    const h = createCeremonyHandlers({ dataDir: '/var/keyrite-data', ceremony: { tokens: noToken, rehearsal: true, defaultPolicyText: POLICY, openRun: fakeRunner(rec) } });
    expect(await h['ceremony/load']({ fileName: 'root-keygen.yaml', text: SCRIPT })).toMatchObject({ ok: true });
    expect(() => rec.listeners.changed[0]!({} as RunView)).not.toThrow();
    expect(() => rec.listeners.progress[0]!({} as Parameters<RunEvents['progress']>[0])).not.toThrow();
  });
});

describe('ceremony/preflight', () => {
  it('checks with main\'s token module, card modules and air-gap probe', async () => {
    const started: { modulePath: string; env: Record<string, string> }[] = [];
    const slot = { slotId: '1', description: 'card', manufacturer: 'OpenSC', hardwareSlot: true, removable: true, tokenPresent: true, token: { label: 'keyrite-rehearsal', serial: '77', manufacturer: 'Vendor', model: 'Card', algorithms: ['ec-p384'], mechanisms: [] } };
    const tokens = async (o: { modulePath: string; env: Record<string, string> }) => {
      started.push(o);
      const slots = o.modulePath === '/usr/lib/opensc-pkcs11.so' ? [slot] : [];
      return new Proxy({ listSlots: async () => slots, close: async () => undefined }, { get: (t, k) => (k in t ? t[k as keyof typeof t] : k === 'then' ? undefined : async () => []) }) as unknown as TokenApi;
    };
    const { call } = channels({
      tokens, modulePath: '/opt/hsm/libvendor.so', tokenEnv: { VENDOR_CONF: '/etc/v.conf' },
      cardModules: [{ name: 'OpenSC', path: '/usr/lib/opensc-pkcs11.so' }],
      airGapProbe: async () => [{ kind: 'wireless', name: 'wlan0', detail: 'wireless interface (operstate up)' }],
    });
    const r = await call('ceremony/preflight', { fileName: 'root-keygen.yaml', text: SCRIPT });
    if (!r.ok) throw new Error(JSON.stringify(r.error));
    const checks = (r.value as { checks: { id: string; status: string; detail: string }[] }).checks;
    expect(checks.find((c) => c.id === 'token')).toMatchObject({ status: 'pass', detail: expect.stringContaining('serial 77') });
    expect(checks.find((c) => c.id === 'air-gap')).toMatchObject({ status: 'fail', detail: expect.stringContaining('wlan0') });
    expect(started[0]).toEqual({ modulePath: '/opt/hsm/libvendor.so', env: { VENDOR_CONF: '/etc/v.conf' } });
  });
});

describe('one run at a time', () => {
  it('refuses a second load, the run\'s channels before a load, and after close; close closes the run once', async () => {
    const { call, rec } = channels();
    for (const [channel, req] of [['ceremony/submit', { kind: 'pin', pin: '123456' }], ['ceremony/reveal-share', { custodian: 'Carol' }], ['ceremony/deviation', { who: 'Alice Admin', why: 'The printer jammed.' }]] as const) {
      expect(errorOf(await call(channel, req)), channel).toEqual({ code: 'CEREMONY_NOT_OPEN', message: 'No ceremony is open.', action: 'Load the ceremony script first.' });
    }
    expect(await call('ceremony/view')).toEqual({ ok: true, value: null });
    await call('ceremony/load', { fileName: 'root-keygen.yaml', text: SCRIPT });
    expect(errorOf(await call('ceremony/load', { fileName: 'root-keygen.yaml', text: SCRIPT }))).toEqual({
      code: 'CEREMONY_ALREADY_OPEN', message: 'Ceremony root-2026 is still open.', action: 'Finish or close it before loading another script.',
    });
    expect(rec.opened).toHaveLength(1);
    expect(await call('ceremony/deviation', { who: 'Alice Admin', why: 'The printer jammed.' })).toMatchObject({ ok: true, value: { ceremonyId: 'root-2026' } });
    expect(rec.deviations).toEqual([['Alice Admin', 'The printer jammed.']]);
    expect(await call('ceremony/close')).toEqual({ ok: true, value: null });
    expect(rec.closed).toBe(1);
    expect(await call('ceremony/close')).toEqual({ ok: true, value: null });
    expect(rec.closed).toBe(1);
    expect(errorOf(await call('ceremony/submit', { kind: 'pin', pin: '123456' })).code).toBe('CEREMONY_NOT_OPEN');
    expect(await call('ceremony/load', { fileName: 'root-keygen.yaml', text: SCRIPT })).toMatchObject({ ok: true });
  });

  it('passes the run\'s changes and progress to the renderer until the ceremony is closed', async () => {
    const { call, rec, emitted } = channels();
    await call('ceremony/load', { fileName: 'root-keygen.yaml', text: SCRIPT });
    const view = { ceremonyId: 'root-2026' } as unknown as RunView;
    const progress = { step: 'keygen', message: 'generating' } as unknown as Parameters<RunEvents['progress']>[0];
    for (const l of rec.listeners.changed) l(view);
    for (const l of rec.listeners.progress) l(progress);
    expect(emitted).toEqual([['ceremony/changed', { view }], ['ceremony/progress', progress]]);
    await call('ceremony/close');
    expect(rec.listeners).toEqual({ changed: [], progress: [] });
  });
});
