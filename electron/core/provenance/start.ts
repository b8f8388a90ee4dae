/** The runner's one call at ceremony start: provenance for the run's script and token. */
import { resolveModulePath } from '../ceremony/run-token';
import type { OpenRunOptions } from '../ceremony/run-types';
import type { TokenApi } from '../token/types';
import { gatherProvenance, type Provenance } from './gather';

export async function startProvenance(opts: OpenRunOptions, tokenApi: () => Promise<TokenApi>): Promise<Provenance> {
  const t = opts.script.script.token;
  let modulePath: string | { error: string };
  try {
    modulePath = resolveModulePath(t.module, opts.modulePath);
  } catch (e) {
    modulePath = { error: e instanceof Error ? e.message : String(e) };
  }
  const boot = opts.script.script.bootMediaSha256;
  return gatherProvenance({
    modulePath, tokenApi, selector: { ...(t.label ? { label: t.label } : {}), ...(t.serial ? { serial: t.serial } : {}) },
    ...(boot ? { bootMediaSha256: boot } : {}),
  });
}
