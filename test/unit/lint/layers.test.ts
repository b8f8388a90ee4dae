/**
 * The layer rules of .dependency-cruiser.cjs (the table in docs/ARCHITECTURE.md) catch what they
 * are for: run on a deliberately bad tree every break is reported, and the real tree passes.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import { cruise, type IConfiguration, type ICruiseResult, type IViolation } from 'dependency-cruiser';
import { describe, expect, it } from 'vitest';

const REPO = path.resolve(import.meta.dirname, '../../..');
const config = createRequire(import.meta.url)(path.join(REPO, '.dependency-cruiser.cjs')) as IConfiguration;

async function violations(baseDir: string): Promise<IViolation[]> {
  const { output } = await cruise(['electron', 'renderer'], {
    ...config.options,
    baseDir,
    validate: true,
    ruleSet: { forbidden: config.forbidden ?? [] },
  });
  return (output as ICruiseResult).summary.violations;
}

const lines = (vs: IViolation[]): string[] => vs.map((v) => `${v.rule.name}: ${v.from} -> ${v.to}`);

describe('layer rules (dependency-cruiser)', () => {
  it('report every break in test/fixtures/layers-bad', async () => {
    const found = lines(await violations(path.join(REPO, 'test/fixtures/layers-bad')));
    expect(found).toEqual(expect.arrayContaining([
      'core-not-to-shell: electron/core/uses-cli.ts -> electron/cli/command.ts',
      'no-circular: electron/core/loop/first.ts -> electron/core/loop/second.ts',
      'renderer-not-to-electron-code: renderer/src/uses-core.ts -> electron/core/util/values.ts',
      'renderer-not-to-node: renderer/src/uses-core.ts -> fs',
      'contract-only-core-types: electron/contract/index.ts -> electron/core/util/values.ts',
      'core-views-in-one-place: electron/core/ceremony/uses-view.ts -> electron/contract/index.ts',
    ]));
    // run-view.ts, the domain-to-view mapping, may name the contract's view types.
    expect(found.filter((l) => l.includes('run-view.ts'))).toEqual([]);
    expect(found.some((l) => l.startsWith('core-cli-not-electron: electron/core/uses-electron.ts -> ') && l.endsWith('node_modules/electron/index.js'))).toBe(true);
    expect(found).toHaveLength(7);
  });

  it('find no break in the real tree', async () => {
    expect(lines(await violations(REPO))).toEqual([]);
  });
});
