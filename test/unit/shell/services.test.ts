import { describe, expect, it } from 'vitest';
import type { HostSpawner } from '../../../electron/core/token/host-protocol';
import { buildHandlerDeps, chooseModulePath, startupErrorText, type ShellServices } from '../../../electron/main/services';
import { parseCardModules } from '../../../electron/core/token/card-modules';

const spawns: unknown[] = [];
/** A host that dies as soon as it starts (exit code 1). */
const neverSpawn: HostSpawner = (opts) => {
  spawns.push(opts);
  return {
    postMessage: () => undefined,
    onMessage: () => undefined,
    onExit: (l) => void setImmediate(() => l({ code: 1, signal: null })),
    kill: () => undefined,
  };
};

function shell(over: Partial<ShellServices> = {}): ShellServices {
  return {
    version: '1.2.3',
    platform: 'linux',
    dataDir: '/tmp/keyrite-data',
    rehearsal: false,
    modulePath: undefined,
    spawnTokenHost: neverSpawn,
    pickFolder: async () => null,
    emit: () => undefined,
    ...over,
  };
}

describe('chooseModulePath', () => {
  it('prefers the configured module, uses SoftHSM2 only in a rehearsal, else none', () => {
    expect(chooseModulePath('/opt/hsm/libpkcs11.so', false, () => '/softhsm.so')).toBe('/opt/hsm/libpkcs11.so');
    expect(chooseModulePath(undefined, true, () => '/softhsm.so')).toBe('/softhsm.so');
    expect(chooseModulePath('', false, () => '/softhsm.so')).toBeUndefined();
  });
});

describe('buildHandlerDeps', () => {
  it('without a module: the token list says how to configure one and ceremonies are unavailable', async () => {
    const { deps, tokens } = buildHandlerDeps(shell());
    expect(tokens).toBeUndefined();
    expect(deps.ceremony).toBeUndefined();
    await expect(deps.tokens.listSlots()).rejects.toMatchObject({ code: 'TOKEN_MODULE_NOT_SET' });
    expect(deps.app).toEqual({ version: '1.2.3', platform: 'linux', rehearsal: false });
    expect(deps.audit && deps.inventory && deps.usb).toBeTruthy();
  });

  it('with a module: tokens and ceremonies go through the utilityProcess spawner, started only on first use', async () => {
    spawns.length = 0;
    const { deps, tokens } = buildHandlerDeps(shell({ modulePath: '/opt/hsm/libpkcs11.so' }));
    expect(tokens).toBeDefined();
    expect(deps.ceremony?.modulePath).toBe('/opt/hsm/libpkcs11.so');
    expect(spawns).toHaveLength(0);
    const factory = deps.ceremony?.tokens;
    expect(typeof factory).toBe('function');
    if (typeof factory === 'function') {
      const client = await factory({ modulePath: '/opt/hsm/libpkcs11.so', env: { SOFTHSM2_CONF: '/c' } });
      await expect(client.listSlots()).rejects.toMatchObject({ code: 'TOKEN_HOST_STOPPED' });
      expect(spawns).toEqual([{ env: { SOFTHSM2_CONF: '/c' } }]);
    }
  });
});

describe('buildHandlerDeps with card modules (KEYRITE_CARD_MODULES)', () => {
  it('hands them to ceremonies, leaves out the token module itself, and starts no host until used', async () => {
    spawns.length = 0;
    const cardModules = parseCardModules('/usr/lib/opensc-pkcs11.so:/opt/hsm/libpkcs11.so');
    const { deps, closeTokens } = buildHandlerDeps(shell({ modulePath: '/opt/hsm/libpkcs11.so', cardModules }));
    expect(deps.ceremony?.cardModules).toEqual([{ name: 'OpenSC (PIV, OpenPGP and other smart cards)', path: '/usr/lib/opensc-pkcs11.so' }]);
    expect(spawns).toHaveLength(0);
    // The token module's own failure is the list's failure; it is not hidden behind the cards'.
    await expect(deps.tokens.listSlots()).rejects.toMatchObject({ code: 'TOKEN_HOST_STOPPED' });
    await closeTokens();
  });

  it('without a token module, card modules alone do not make ceremonies available', () => {
    const { deps } = buildHandlerDeps(shell({ cardModules: parseCardModules('/usr/lib/opensc-pkcs11.so') }));
    expect(deps.ceremony).toBeUndefined();
  });
});

describe('startupErrorText', () => {
  it('tells the person who started Keyrite what is wrong and what to do, for a bad card module setting', () => {
    let err: unknown;
    try { parseCardModules('opensc-pkcs11.so'); } catch (e) { err = e; }
    const { title, content } = startupErrorText(err);
    expect(title).toBe('Keyrite could not start');
    expect(content).toContain('KEYRITE_CARD_MODULES must list absolute library paths; "opensc-pkcs11.so" is not one.');
    expect(content).toContain('Give each card module\'s full path');
    expect(startupErrorText(new Error('boom')).content).toBe('boom');
  });
});
