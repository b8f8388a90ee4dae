import type { AttestationFact } from '../../core/attestation/transcript-check';
import type { Provenance } from '../../core/provenance/gather';
import type { VerificationReport } from '../../core/transcript/verify-types';

/** The attestation lines of `keyrite verify`: what the device vouched for, or plainly that it did not. */
export function describeAttestationFacts(facts: readonly AttestationFact[], keysGenerated = false): string[] {
  const out: string[] = [];
  if (facts.length === 0 && keysGenerated) {
    out.push('Attestation NONE: the ceremony has no verify-attestation step; that the key was generated on the token rests on the token\'s own attributes (CKA_LOCAL) and the witnesses');
  }
  for (const a of facts) {
    if (a.status === 'verified') {
      const root = a.root ? `${a.root.subject}${a.root.source === 'auditor' ? ' (a root YOU gave with --attestation-root, not a vendor root)' : ' (vendor root shipped with Keyrite)'}` : '?';
      out.push(`Attestation ${a.key.label}: VERIFIED again here: generated on YubiKey serial ${a.serial ?? '?'}, firmware ${a.firmware ?? '?'}, slot ${a.slot ?? '?'} (entry ${a.seq})`);
      out.push(`            PIN policy ${a.pinPolicy ?? '?'}, touch policy ${a.touchPolicy ?? '?'}${a.formFactor ? `, ${a.formFactor}` : ''}; chain to ${root}`);
      out.push(`            certificates read ${a.source === 'token' ? 'from the token by Keyrite (journaled as files before the check)' : 'from files the administrator put in attestation/'}`);
      for (const adv of a.advisories ?? []) out.push(`            ADVISORY ${adv.id}: ${adv.summary}`);
    } else if (a.status === 'absent') {
      out.push(`Attestation ${a.key.label}: NONE (entry ${a.seq}): ${a.reason ?? ''}`);
    } else {
      out.push(`Attestation ${a.key.label}: REFUSED (entry ${a.seq}): ${a.reason ?? ''}`);
    }
  }
  return out;
}

/** The provenance lines of `keyrite verify`: what ran, on what, from ceremony.start. */
export function describeProvenance(p: Provenance | undefined): string[] {
  if (!p) return ['Provenance  none recorded (a transcript from a Keyrite before provenance was recorded)'];
  const code = p.keyrite.code;
  const out = [
    'sha256' in code
      ? `Keyrite     ${p.keyrite.version}; code ${code.folder}/ (${code.files} files) sha256 ${code.sha256}`
      : `Keyrite     ${p.keyrite.version}; code digest NOT RECORDED: ${'error' in code ? code.error : ''}`,
  ];
  if ('words' in code) {
    out.push(`            read aloud: ${code.words.join(' ')}`);
    out.push(`            recompute: ${code.recompute}`);
  }
  out.push(`Module      ${p.module.path}  ${p.module.sha256 ? `sha256 ${p.module.sha256}` : `NOT HASHED: ${p.module.error ?? ''}`}`);
  const t = p.token;
  out.push('error' in t ? `Token info  NOT READ: ${t.error}` : `Token info  ${t.manufacturer} ${t.model}, serial ${t.serial}, label ${t.label}, firmware ${t.firmware ?? '?'}, hardware ${t.hardware ?? '?'}`);
  out.push(`System      ${p.os.distribution ?? p.os.platform}; kernel ${p.os.release} (${p.os.kernel}), ${p.os.arch}; Node ${p.os.node}${p.os.electron ? `, Electron ${p.os.electron}` : ''}`);
  out.push(`Boot media  ${p.bootMedia ? `sha256 ${p.bootMedia.sha256} (as the administrator gave it: ${p.bootMedia.source})` : 'no hash given'}`);
  return out;
}

/** The check-up lines of `keyrite verify`: each custodian checked, and a wrong share named. */
export function describeCheckUps(list: NonNullable<VerificationReport['checkUps']>): string[] {
  return list.map((c) => `Check-up    ${c.custodian}: ${c.ok ? 'share matches the backup' : `WRONG SHARE: ${c.error?.message ?? ''}`} (entry ${c.seq})`);
}
