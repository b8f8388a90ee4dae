import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import YAML from 'yaml';

const require = createRequire(import.meta.url);
const config = YAML.parse(readFileSync('electron-builder.yml', 'utf8')) as Record<string, unknown> & {
  linux: { target: string[] };
  mac: { target: string[] };
  win: { target: string[] };
  electronFuses: Record<string, boolean>;
  asarUnpack: string[];
  files: string[];
  publish: unknown;
};

// electron-builder's own schema check, the one `electron-builder` runs before building.
const { validateConfiguration } = require('app-builder-lib/out/util/config/config.js') as {
  validateConfiguration(config: unknown, debugLogger: { isEnabled: boolean; add(k: string, v: unknown): void }): Promise<void>;
};
const quietLogger = { isEnabled: false, add: () => undefined };

describe('electron-builder.yml', () => {
  it("passes electron-builder's configuration schema", async () => {
    await expect(validateConfiguration(structuredClone(config), quietLogger)).resolves.toBeUndefined();
  });

  it('and the schema check is real: a misspelt fuse is refused', async () => {
    const bad = structuredClone(config);
    bad.electronFuses = { ...config.electronFuses, runAsNodee: false };
    await expect(validateConfiguration(bad, quietLogger)).rejects.toThrow(/electronFuses/);
  });

  it('builds AppImage and deb for Linux, dmg for macOS, nsis for Windows', () => {
    expect(config.linux.target).toEqual(['AppImage', 'deb']);
    expect(config.mac.target).toEqual(['dmg']);
    expect(config.win.target).toEqual(['nsis']);
  });

  it('sets the fuses: no run-as-node, no NODE_OPTIONS, no --inspect, app only from an integrity-checked asar', () => {
    expect(config.electronFuses).toMatchObject({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      onlyLoadAppFromAsar: true,
      enableEmbeddedAsarIntegrityValidation: true,
    });
    expect(config.asar).toBe(true);
  });

  it('unpacks the native modules from the asar', () => {
    expect(config.asarUnpack).toEqual(expect.arrayContaining(['**/node_modules/pkcs11js/**', '**/node_modules/usb/**']));
  });

  it('ships the built app and configures no update feed', () => {
    expect(config.files).toContain('out/**');
    expect(config.publish).toBeNull();
    const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { main: string; dependencies: Record<string, string> };
    expect(pkg.main).toBe('out/main/index.js');
    for (const updater of ['electron-updater', 'update-electron-app']) expect(pkg.dependencies[updater]).toBeUndefined();
  });
});
