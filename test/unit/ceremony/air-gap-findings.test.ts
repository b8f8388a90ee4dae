/**
 * What the air-gap check reports, word for word (the room reads it, the transcript records it): every
 * external address of an interface, a wireless interface with its operstate (or "unknown"), a link
 * that is up without an address, each bluetooth controller; never loopback, never one interface twice.
 * With no sources given it reads this machine (os.networkInterfaces and /sys).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createAirGapProbe, describeFinding } from '../../../electron/core/ceremony/air-gap';
import { tempDir } from '../../helpers/softhsm';

const tmp = tempDir('keyrite-airgap-findings-');
afterAll(() => tmp.cleanup());

let n = 0;
function sysfs(net: Record<string, { operstate?: string; wireless?: 'dir' | 'dir-with-entry' | 'file' }>, bluetooth: string[] = []): string {
  const root = path.join(tmp.dir, `sys${n++}`);
  mkdirSync(path.join(root, 'class/net'), { recursive: true });
  for (const [name, v] of Object.entries(net)) {
    const dir = path.join(root, 'class/net', name);
    mkdirSync(dir, { recursive: true });
    if (v.operstate !== undefined) writeFileSync(path.join(dir, 'operstate'), `${v.operstate}\n`);
    if (v.wireless === 'dir') mkdirSync(path.join(dir, 'wireless'));
    if (v.wireless === 'dir-with-entry') mkdirSync(path.join(dir, 'wireless', 'phy0'), { recursive: true });
    if (v.wireless === 'file') writeFileSync(path.join(dir, 'wireless'), '');
  }
  for (const b of bluetooth) mkdirSync(path.join(root, 'class/bluetooth', b), { recursive: true });
  return root;
}

const addr = (address: string, internal = false): os.NetworkInterfaceInfo =>
  ({ address, netmask: '255.255.255.0', family: 'IPv4', mac: 'aa:bb:cc:dd:ee:ff', internal, cidr: `${address}/24` });

describe('air-gap findings', () => {
  it('names every external address of an interface and leaves out its internal ones', async () => {
    const probe = createAirGapProbe({ networkInterfaces: () => ({ eth0: [addr('10.0.0.2'), addr('127.0.0.9', true), addr('192.168.1.4')] }), sysRoot: sysfs({}) });
    expect(await probe()).toEqual([{ kind: 'interface-up', name: 'eth0', detail: 'has address 10.0.0.2, 192.168.1.4' }]);
  });

  it('an interface with only internal addresses, or with none listed, is not reported', async () => {
    const probe = createAirGapProbe({ networkInterfaces: () => ({ lo0: [addr('127.0.0.1', true)], eth1: undefined, eth2: [] }), sysRoot: sysfs({}) });
    expect(await probe()).toEqual([]);
  });

  it('a wireless interface is reported with its operstate, whether sysfs shows wireless/ empty, with entries or as a file', async () => {
    const root = sysfs({ wlan0: { operstate: 'down', wireless: 'dir' }, wlan1: { operstate: 'dormant', wireless: 'dir-with-entry' }, wlan2: { operstate: 'down', wireless: 'file' }, wlan3: { wireless: 'dir' } });
    const found = await createAirGapProbe({ networkInterfaces: () => ({}), sysRoot: root })();
    expect(found.sort((a, b) => a.name.localeCompare(b.name))).toEqual([
      { kind: 'wireless', name: 'wlan0', detail: 'wireless interface (operstate down)' },
      { kind: 'wireless', name: 'wlan1', detail: 'wireless interface (operstate dormant)' },
      { kind: 'wireless', name: 'wlan2', detail: 'wireless interface (operstate down)' },
      { kind: 'wireless', name: 'wlan3', detail: 'wireless interface (operstate unknown)' },
    ]);
  });

  it('a link that is up is reported once: with its address when it has one, as "link is up" when not; loopback never', async () => {
    const root = sysfs({ lo: { operstate: 'up' }, eth0: { operstate: 'up' }, eth1: { operstate: 'up' }, eth2: { operstate: 'unknown' }, eth3: { operstate: 'down' } });
    const found = await createAirGapProbe({ networkInterfaces: () => ({ lo: [addr('127.0.0.1', true)], eth0: [addr('10.0.0.2')] }), sysRoot: root })();
    expect(found.sort((a, b) => a.name.localeCompare(b.name))).toEqual([
      { kind: 'interface-up', name: 'eth0', detail: 'has address 10.0.0.2' },
      { kind: 'interface-up', name: 'eth1', detail: 'link is up' },
    ]);
  });

  it('a wireless link that is up is reported as wireless and as up', async () => {
    const found = await createAirGapProbe({ networkInterfaces: () => ({}), sysRoot: sysfs({ wlan0: { operstate: 'up', wireless: 'dir' } }) })();
    expect(found).toEqual([
      { kind: 'wireless', name: 'wlan0', detail: 'wireless interface (operstate up)' },
      { kind: 'interface-up', name: 'wlan0', detail: 'link is up' },
    ]);
  });

  it('each bluetooth controller is reported', async () => {
    const found = await createAirGapProbe({ networkInterfaces: () => ({}), sysRoot: sysfs({}, ['hci0', 'hci1']) })();
    expect(found.sort((a, b) => a.name.localeCompare(b.name))).toEqual([
      { kind: 'bluetooth', name: 'hci0', detail: 'bluetooth controller present' },
      { kind: 'bluetooth', name: 'hci1', detail: 'bluetooth controller present' },
    ]);
  });

  it('a machine without sysfs (no class/net, no class/bluetooth) is judged by its addresses alone', async () => {
    const found = await createAirGapProbe({ networkInterfaces: () => ({ eth0: [addr('10.0.0.2')] }), sysRoot: path.join(tmp.dir, 'no-such-sys') })();
    expect(found).toEqual([{ kind: 'interface-up', name: 'eth0', detail: 'has address 10.0.0.2' }]);
  });

  it('with no sources given it reads this machine: the same as os.networkInterfaces and /sys', async () => {
    const explicit = await createAirGapProbe({ networkInterfaces: os.networkInterfaces, sysRoot: '/sys' })();
    expect(await createAirGapProbe()()).toEqual(explicit);
  });

  it('describes a finding as kind, name and detail', () => {
    expect(describeFinding({ kind: 'wireless', name: 'wlan0', detail: 'wireless interface (operstate down)' })).toBe('wireless wlan0: wireless interface (operstate down)');
  });
});
