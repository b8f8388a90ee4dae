/**
 * What `keyrite tokens` and the devices view show: every known module (present or not), and for each
 * present one, its slots and tokens, read through a token host so a crashing module cannot take the
 * caller down. Each module gets its own host: two vendors' libraries never share a process.
 */
import { toErrorData, type ErrorData } from '../util/errors';
import { createTokenClient } from './client';
import type { HostSpawner } from './host-protocol';
import { findModules, type ModuleCandidate } from './modules';
import type { ModuleInfo, SlotView } from './types';

export interface ModuleReport extends ModuleCandidate {
  info?: ModuleInfo;
  slots?: SlotView[];
  /** Why the module could not be read (present but failed to load, ...). */
  error?: ErrorData;
}

export async function probeModules(opts: { modulePaths?: string[]; onlyGiven?: boolean; env?: Record<string, string>; spawner?: HostSpawner } = {}): Promise<ModuleReport[]> {
  const candidates = findModules(opts.modulePaths ?? []).filter((m) => !opts.onlyGiven || m.userGiven);
  const reports: ModuleReport[] = [];
  for (const m of candidates) {
    if (!m.present) {
      reports.push({ ...m });
      continue;
    }
    const client = createTokenClient({ modulePath: m.path, ...(opts.env ? { env: opts.env } : {}), ...(opts.spawner ? { spawner: opts.spawner } : {}) });
    try {
      reports.push({ ...m, info: await client.moduleInfo(), slots: await client.listSlots() });
    } catch (e) {
      reports.push({ ...m, error: toErrorData(e) });
    } finally {
      await client.close();
    }
  }
  return reports;
}
