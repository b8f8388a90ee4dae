import { KeyriteError } from '../../util/errors';
import { describeFinding } from '../air-gap';
import type { KeyInfo, KeyLifecycleData } from '../run-facts';
import { ENTRY_KINDS } from '../../transcript/entry-kinds';
import type { ActionHandler, RunRead, JournalAppend, IrreversibleOps, TokenSession, Progress, AirGapCheck } from '../step-context';
import { handOverTranscriptKey } from '../transcript-handover';
import { codeDigestFacts } from '../../provenance/room-facts';

/** A manual step: the confirm that started it is the action; witnesses attest after. */
export const confirmStep: ActionHandler<RunRead> = {
  needsSession: false,
  async advance() {
    return { performed: [{ label: 'Done by hand', value: 'confirmed by the administrator' }] };
  },
};

export const airGapCheck: ActionHandler<RunRead & JournalAppend & AirGapCheck> = {
  needsSession: false,
  async advance(ctx, input) {
    const findings = await ctx.airGapProbe();
    const lines = findings.map(describeFinding);
    if (findings.length === 0) return { performed: [{ label: 'Air gap', value: 'no network interface up, no wireless, no bluetooth seen' }, ...codeDigestFacts(ctx.facts.provenance)], data: { findings: [] } };
    const cls = ctx.policy.classes[ctx.script.key.class];
    const overrideAllowed = ctx.rehearsal || cls?.airGapOverride === true;
    if (input?.kind === 'air-gap-override') {
      if (!overrideAllowed) throw new KeyriteError('AIR_GAP_OVERRIDE_FORBIDDEN', `Policy forbids overriding the air-gap check for ${ctx.script.key.class} keys.`, { action: 'Disconnect every network and radio, then run the check again.' });
      await ctx.append({ kind: 'deviation', actor: { role: 'administrator', name: input.who }, data: { who: input.who, why: input.reason, action: `air-gap check overridden despite: ${lines.join('; ')}` } });
      return { performed: [{ label: 'Air gap', value: `OVERRIDDEN by ${input.who}: ${input.reason}` }, { label: 'Seen', value: lines.join('\n'), mono: true }, ...codeDigestFacts(ctx.facts.provenance)], data: { findings: lines, overriddenBy: input.who } };
    }
    const error = new KeyriteError('AIR_GAP_NOT_MET', `The machine is not air-gapped: ${lines.join('; ')}.`, {
      action: overrideAllowed ? 'Disconnect them and check again, or record an override with its reason.' : 'Disconnect every network and radio, then check again; policy allows no override.',
    });
    if (input !== undefined && input.kind === 'confirm') throw error;
    return { need: { kind: 'air-gap-override', findings: lines, overrideAllowed } };
  },
};

/** Login happens in the runner (the PIN is never passed further); the step records the token. */
export const loginStep: ActionHandler<RunRead & JournalAppend & IrreversibleOps & TokenSession & Progress> = {
  needsSession: true,
  async advance(ctx) {
    const t = ctx.facts.token;
    const handover = await handOverTranscriptKey(ctx);
    return { performed: [{ label: 'Token', value: t ? `${t.label} (serial ${t.serial}${t.model ? `, ${t.model}` : ''})` : 'logged in' }, ...handover] };
  },
};

export function lifecycleData(ctx: RunRead, key: KeyInfo, state: KeyLifecycleData['state'], reason: string, extra: Partial<KeyLifecycleData> = {}): KeyLifecycleData {
  const cls = ctx.policy.classes[ctx.script.key.class];
  return {
    keyId: key.id, label: key.label, fingerprint: key.fingerprint, algorithm: key.algorithm, class: ctx.script.key.class, state, reason,
    ...(cls ? { rotationPeriodDays: cls.rotationPeriodDays } : {}),
    ...(ctx.script.backup ? { custodians: ctx.script.backup.custodians.map((c) => c.name) } : {}),
    ...extra,
  };
}

/** Old key -> deactivated (NIST SP 800-57): it no longer signs; kept for verifying what it signed. */
export const deactivateStep: ActionHandler<RunRead & JournalAppend> = {
  needsSession: false,
  async advance(ctx) {
    const key = ctx.facts.key;
    if (!key) throw new KeyriteError('KEY_UNKNOWN', 'There is no earlier key to deactivate.', { action: 'Run the rotation with --from the folder of the ceremony that made the key.' });
    await ctx.append({ kind: ENTRY_KINDS.keyLifecycle, data: lifecycleData(ctx, key, 'deactivated', `superseded by ${ctx.facts.successor?.label ?? 'its successor'}`) });
    return { performed: [{ label: 'Key state', value: `${key.label}: deactivated` }] };
  },
};
