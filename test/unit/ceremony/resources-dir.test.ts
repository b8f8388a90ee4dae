// Where templates, the default policy and the attestation roots are read from: an installed app keeps
// them under process.resourcesPath (electron-builder's extraResources), a checkout in resources/.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { defaultPolicyPath, resourcesDir } from '../../../electron/core/ceremony/paths';
import { checkoutRoot } from '../../../electron/core/util/checkout';

type WithResources = Omit<NodeJS.Process, 'resourcesPath'> & { resourcesPath?: string };

describe('resourcesDir', () => {
  const saved = (process as WithResources).resourcesPath;
  const made: string[] = [];
  afterEach(() => {
    (process as WithResources).resourcesPath = saved;
    for (const d of made.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  it('is the checkout resources/ outside an installed app', () => {
    delete (process as WithResources).resourcesPath;
    expect(resourcesDir()).toBe(path.join(checkoutRoot(), 'resources'));
  });

  it('is the installed app resources/ when electron-builder put the templates there', () => {
    const root = mkdtempSync(path.join(tmpdir(), 'keyrite-res-'));
    made.push(root);
    mkdirSync(path.join(root, 'resources', 'ceremonies'), { recursive: true });
    (process as WithResources).resourcesPath = root;
    expect(resourcesDir()).toBe(path.join(root, 'resources'));
    expect(defaultPolicyPath()).toBe(path.join(root, 'resources', 'policy', 'default.yaml'));
  });

  it('falls back to the checkout when the Electron resources folder has no templates (development)', () => {
    const root = mkdtempSync(path.join(tmpdir(), 'keyrite-res-'));
    made.push(root);
    (process as WithResources).resourcesPath = root;
    expect(resourcesDir()).toBe(path.join(checkoutRoot(), 'resources'));
  });
});
