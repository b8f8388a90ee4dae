/**
 * The air-gap check on a machine whose only network is IPv6 (a link-local or global address, no
 * IPv4, the link's operstate not "up" in sysfs): the probe the runner uses reports it, and the
 * runner refuses to go on for a root key until the check comes back clean; no override is taken.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import type os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createAirGapProbe } from '../../../electron/core/ceremony/air-gap';
import { openCeremonyRun } from '../../../electron/core/ceremony/runner';
import { parsePolicy, parseScript } from '../../../electron/core/ceremony/load';
import type { TokenApi } from '../../../electron/core/token/types';
import { tempDir } from '../../helpers/softhsm';

const ROOT = path.resolve(__dirname, '../../..');
const scriptText = readFileSync(path.join(ROOT, 'resources/ceremonies/root-keygen.yaml'), 'utf8');
const policyText = readFileSync(path.join(ROOT, 'resources/policy/default.yaml'), 'utf8');
const tmp = tempDir('keyrite-airgap-v6-');
afterAll(() => tmp.cleanup());
const noToken = new Proxy({}, { get: () => () => { throw new Error('the token must not be used before login'); } }) as TokenApi;

/** A sysfs with eth0 whose operstate is "unknown" (as many drivers report): only the address shows it. */
function sysRoot(): string {
  const root = path.join(tmp.dir, `sys-${Math.random().toString(36).slice(2)}`);
  mkdirSync(path.join(root, 'class/net/eth0'), { recursive: true });
  writeFileSync(path.join(root, 'class/net/eth0/operstate'), 'unknown\n');
  mkdirSync(path.join(root, 'class/net/lo'), { recursive: true });
  return root;
}

const loopback: os.NetworkInterfaceInfo[] = [
  { address: '127.0.0.1', netmask: '255.0.0.0', family: 'IPv4', mac: '00:00:00:00:00:00', internal: true, cidr: '127.0.0.1/8' },
  { address: '::1', netmask: 'ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff', family: 'IPv6', mac: '00:00:00:00:00:00', internal: true, cidr: '::1/128', scopeid: 0 },
];

const v6 = (address: string): os.NetworkInterfaceInfo =>
  ({ address, netmask: 'ffff:ffff:ffff:ffff::', family: 'IPv6', mac: 'aa:bb:cc:dd:ee:ff', internal: false, cidr: `${address}/64`, scopeid: 2 });

describe('air-gap check on an IPv6-only interface', () => {
  it('reports a link-local-only and a global IPv6 interface, and nothing for loopback alone', async () => {
    const sys = sysRoot();
    expect(await createAirGapProbe({ networkInterfaces: () => ({ lo: loopback }), sysRoot: sys })()).toEqual([]);
    const linkLocal = await createAirGapProbe({ networkInterfaces: () => ({ lo: loopback, eth0: [v6('fe80::a8bb:ccff:fedd:eeff')] }), sysRoot: sys })();
    expect(linkLocal).toEqual([{ kind: 'interface-up', name: 'eth0', detail: 'has address fe80::a8bb:ccff:fedd:eeff' }]);
    const global = await createAirGapProbe({ networkInterfaces: () => ({ lo: loopback, eth0: [v6('2001:db8::5')] }), sysRoot: sys })();
    expect(global.map((f) => [f.kind, f.name])).toEqual([['interface-up', 'eth0']]);
  });

  it('the runner refuses the step and any override for a root key, and goes on once the interface is gone', async () => {
    const interfaces: NodeJS.Dict<os.NetworkInterfaceInfo[]> = { lo: loopback, eth0: [v6('fe80::1')] };
    const outDir = path.join(tmp.dir, 'run');
    const run = await openCeremonyRun({
      script: parseScript(scriptText, 'root-keygen.yaml'), policy: parsePolicy(policyText).policy, policyText,
      outDir, tokens: noToken, rehearsal: false, airGapProbe: createAirGapProbe({ networkInterfaces: () => interfaces, sysRoot: sysRoot() }),
    });
    await run.submit({ kind: 'confirm', who: 'Alice Admin' });
    await run.submit({ kind: 'attest', witness: 'Wendy Witness' });
    await run.submit({ kind: 'attest', witness: 'Walter Witness' });
    let v = await run.submit({ kind: 'confirm', who: 'Alice Admin' });
    expect(v.current).toBe(1);
    expect(v.need).toEqual({ kind: 'air-gap-override', findings: ['interface-up eth0: has address fe80::1'], overrideAllowed: false });
    v = await run.submit({ kind: 'air-gap-override', who: 'Alice Admin', reason: 'it is only link-local' });
    expect(v.error?.code).toBe('AIR_GAP_OVERRIDE_FORBIDDEN');
    expect(v.current).toBe(1);
    expect(v.steps[1]?.status).toBe('current');
    const entries = readFileSync(path.join(outDir, 'transcript.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { kind: string; step: string });
    expect(entries.filter((e) => e.kind === 'deviation')).toEqual([]);
    expect(entries.filter((e) => e.step === 'air-gap').map((e) => e.kind)).toEqual(['step.start']);
    delete interfaces.eth0;
    v = await run.submit({ kind: 'confirm', who: 'Alice Admin' });
    expect(v.error).toBeNull();
    expect(v.need).toEqual({ kind: 'attest', witnesses: ['Wendy Witness'], attested: [] });
    await run.close();
  });
});
