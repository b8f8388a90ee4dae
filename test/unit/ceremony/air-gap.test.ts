import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createAirGapProbe } from '../../../electron/core/ceremony/air-gap';
import { tempDir } from '../../helpers/softhsm';

const tmp = tempDir('keyrite-airgap-');
afterAll(() => tmp.cleanup());

function sys(layout: Record<string, { operstate: string; wireless?: boolean }>, bluetooth: string[] = []): string {
  const root = path.join(tmp.dir, String(Math.random()).slice(2));
  for (const [name, v] of Object.entries(layout)) {
    mkdirSync(path.join(root, 'class/net', name), { recursive: true });
    writeFileSync(path.join(root, 'class/net', name, 'operstate'), `${v.operstate}\n`);
    if (v.wireless) mkdirSync(path.join(root, 'class/net', name, 'wireless'));
  }
  for (const b of bluetooth) mkdirSync(path.join(root, 'class/bluetooth', b), { recursive: true });
  return root;
}

const loopbackOnly = () => ({ lo: [{ address: '127.0.0.1', netmask: '255.0.0.0', family: 'IPv4' as const, mac: '00:00:00:00:00:00', internal: true, cidr: '127.0.0.1/8' }] });

describe('air-gap probe', () => {
  it('sees nothing on a machine with only loopback and links down', async () => {
    const probe = createAirGapProbe({ networkInterfaces: loopbackOnly, sysRoot: sys({ lo: { operstate: 'unknown' }, eth0: { operstate: 'down' } }) });
    expect(await probe()).toEqual([]);
  });

  it('reports an interface with an address, a link that is up, wireless and bluetooth', async () => {
    const probe = createAirGapProbe({
      networkInterfaces: () => ({ ...loopbackOnly(), eth0: [{ address: '10.0.0.2', netmask: '255.0.0.0', family: 'IPv4', mac: 'aa:bb:cc:dd:ee:ff', internal: false, cidr: '10.0.0.2/8' }] }),
      sysRoot: sys({ eth0: { operstate: 'up' }, eth1: { operstate: 'up' }, wlan0: { operstate: 'down', wireless: true } }, ['hci0']),
    });
    const kinds = (await probe()).map((f) => `${f.kind}:${f.name}`).sort();
    expect(kinds).toEqual(['bluetooth:hci0', 'interface-up:eth0', 'interface-up:eth1', 'wireless:wlan0']);
  });
});
