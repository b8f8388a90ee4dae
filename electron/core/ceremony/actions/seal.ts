import { ENTRY_KINDS } from '../../transcript/entry-kinds';
import type { ActionHandler, RunRead, JournalAppend, TokenSession } from '../step-context';
import { lifecycleData } from './basic';
import { assertKeyLocked } from './lock';
import { CEREMONY_TYPE_DEFS } from '../types/index';

/**
 * Sealing: keys made in this ceremony become active (NIST SP 800-57: pre-activation -> active).
 * The runner then writes ceremony.sealed, the last checkpoint and the report.
 */
export const sealStep: ActionHandler<RunRead & JournalAppend & TokenSession> = {
  // The key made here cosigns the last checkpoint (proof of possession), so it needs the token.
  needsSession: (script) => CEREMONY_TYPE_DEFS[script.type].newKey?.how === 'generated',
  async advance(ctx) {
    // The key the type puts on its token (types/<type>.ts `newKey`): generated here, or restored.
    const newKey = CEREMONY_TYPE_DEFS[ctx.script.type].newKey;
    const kept = newKey ? ctx.facts[newKey.field === 'key' ? 'key' : 'successor'] : undefined;
    const made = newKey?.how === 'generated' ? kept : undefined;
    // Never sealed while the key made or restored here could still be wrapped out of the token.
    if (kept && !ctx.facts.keyGone) await assertKeyLocked(ctx, kept);
    const already = ctx.stepEntries().some((e) => e.kind === ENTRY_KINDS.keyLifecycle);
    if (made && !already) {
      const extra = newKey?.field === 'successor' && ctx.facts.key ? { successorOf: ctx.facts.key.fingerprint } : {};
      await ctx.append({ kind: ENTRY_KINDS.keyLifecycle, data: lifecycleData(ctx, made, 'active', 'ceremony sealed', extra) });
    }
    return { performed: [{ label: 'Sealed', value: 'transcript, checkpoint and report written' }, ...(made ? [{ label: 'Key state', value: `${made.label}: active` }] : [])] };
  },
};
