import type { AttestationFact } from '../../core/attestation/transcript-check';

/** The attestation lines of `keyrite verify`: what the device vouched for, or plainly that it did not. */
export function describeAttestationFacts(facts: readonly AttestationFact[]): string[] {
  const out: string[] = [];
  for (const a of facts) {
    if (a.status === 'verified') {
      const root = a.root ? `${a.root.subject}${a.root.source === 'auditor' ? ' (a root YOU gave with --attestation-root, not a vendor root)' : ' (vendor root shipped with Keyrite)'}` : '?';
      out.push(`Attestation ${a.key.label}: VERIFIED again here: generated on YubiKey serial ${a.serial ?? '?'}, firmware ${a.firmware ?? '?'}, slot ${a.slot ?? '?'} (entry ${a.seq})`);
      out.push(`            PIN policy ${a.pinPolicy ?? '?'}, touch policy ${a.touchPolicy ?? '?'}${a.formFactor ? `, ${a.formFactor}` : ''}; chain to ${root}`);
      for (const adv of a.advisories ?? []) out.push(`            ADVISORY ${adv.id}: ${adv.summary}`);
    } else if (a.status === 'absent') {
      out.push(`Attestation ${a.key.label}: NONE (entry ${a.seq}): ${a.reason ?? ''}`);
    } else {
      out.push(`Attestation ${a.key.label}: REFUSED (entry ${a.seq}): ${a.reason ?? ''}`);
    }
  }
  return out;
}
