/**
 * The air-gap check: what the machine shows of networks that are up, wireless and bluetooth.
 * It reports what it sees; the policy decides whether an override (with a recorded reason) is allowed.
 * Everything the probe reads comes through `AirGapSources`, so tests can show it any machine.
 */
import os from 'node:os';
import { promises as fsp } from 'node:fs';
import path from 'node:path';

/** A network, wireless or bluetooth device the check sees up. */
export interface AirGapFinding {
  kind: 'interface-up' | 'wireless' | 'bluetooth';
  name: string;
  detail: string;
}

/** What the air-gap check sees; injectable because test machines have a network. */
export type AirGapProbe = () => Promise<AirGapFinding[]>;

export interface AirGapSources {
  networkInterfaces: () => NodeJS.Dict<os.NetworkInterfaceInfo[]>;
  /** Root of sysfs, normally /sys. */
  sysRoot: string;
}

async function readTrim(file: string): Promise<string | undefined> {
  try {
    return (await fsp.readFile(file, 'utf8')).trim();
  } catch {
    return undefined;
  }
}

async function listDir(dir: string): Promise<string[]> {
  try {
    return await fsp.readdir(dir);
  } catch {
    return [];
  }
}

export function createAirGapProbe(sources: AirGapSources = { networkInterfaces: os.networkInterfaces, sysRoot: '/sys' }): AirGapProbe {
  return async () => {
    const findings: AirGapFinding[] = [];
    const seen = new Set<string>();
    for (const [name, addrs] of Object.entries(sources.networkInterfaces())) {
      const external = (addrs ?? []).filter((a) => !a.internal);
      if (external.length === 0) continue;
      seen.add(name);
      findings.push({ kind: 'interface-up', name, detail: `has address ${external.map((a) => a.address).join(', ')}` });
    }
    const netDir = path.join(sources.sysRoot, 'class/net');
    for (const name of await listDir(netDir)) {
      if (name === 'lo') continue;
      const state = await readTrim(path.join(netDir, name, 'operstate'));
      const wireless = (await listDir(path.join(netDir, name, 'wireless'))).length > 0 || (await fsp.stat(path.join(netDir, name, 'wireless')).then(() => true, () => false));
      if (wireless) findings.push({ kind: 'wireless', name, detail: `wireless interface (operstate ${state ?? 'unknown'})` });
      if (state === 'up' && !seen.has(name)) findings.push({ kind: 'interface-up', name, detail: 'link is up' });
    }
    for (const name of await listDir(path.join(sources.sysRoot, 'class/bluetooth'))) {
      findings.push({ kind: 'bluetooth', name, detail: 'bluetooth controller present' });
    }
    return findings;
  };
}

export function describeFinding(f: AirGapFinding): string {
  return `${f.kind} ${f.name}: ${f.detail}`;
}
