/**
 * Domain to view for the evidence panels: the due-dates timeline (lifecycle/due, the same list
 * `keyrite inventory --due` prints), the provenance ceremony.start recorded and each re-verified
 * key attestation (what `keyrite verify` prints). Plain words for the screens, no CLI flags.
 */
import type { AttestationView, DueDateView, KeyFact, ProvenanceView } from '../../contract/views';
import type { AttestationFact } from '../attestation/transcript-check';
import type { DueItem } from '../lifecycle/due';
import type { Provenance } from '../provenance/gather';

const DUE_TITLES: Record<DueItem['kind'], string> = {
  'crl-next-update': 'CRL re-signing',
  'certificate-expiry': 'Certificate expiry',
  rotation: 'Key rotation',
  'share-check-up': 'Share check-up',
};

export function dueDateViews(items: readonly DueItem[]): DueDateView[] {
  return items.map((i) => ({
    kind: i.kind,
    title: DUE_TITLES[i.kind],
    what: i.what,
    dueFrom: i.dueFrom,
    deadline: i.deadline,
    keyLabel: i.key.label,
    fingerprint: i.key.fingerprint,
    ceremony: i.ceremony,
    status: i.overdue ? 'overdue' : i.due ? 'due' : 'upcoming',
  }));
}

export function provenanceView(p: Provenance | undefined): ProvenanceView {
  if (!p) return { recorded: false, facts: [] };
  const code = p.keyrite.code;
  const facts: KeyFact[] = [{ label: 'Keyrite version', value: p.keyrite.version }];
  const view: ProvenanceView = { recorded: true, facts };
  if ('sha256' in code) {
    view.codeDigest = code.sha256;
    view.codeWords = code.words;
    facts.push({ label: 'Code digest (SHA-256)', value: code.sha256, mono: true });
    facts.push({ label: 'Code measured', value: `${code.files} files in ${code.folder}/` });
  } else {
    facts.push({ label: 'Code digest', value: `Not recorded: ${'error' in code ? code.error : 'unknown reason'}` });
  }
  facts.push({ label: 'PKCS#11 module', value: p.module.path, mono: true });
  facts.push(p.module.sha256
    ? { label: 'Module SHA-256', value: p.module.sha256, mono: true }
    : { label: 'Module SHA-256', value: `Not hashed: ${p.module.error ?? 'unknown reason'}` });
  const t = p.token;
  if ('error' in t) facts.push({ label: 'Token', value: `Not read: ${t.error}` });
  else {
    facts.push({ label: 'Token', value: `${t.manufacturer} ${t.model}, label ${t.label}` });
    facts.push({ label: 'Token serial', value: t.serial, mono: true });
    facts.push({ label: 'Token firmware', value: `${t.firmware ?? 'not given'} (hardware ${t.hardware ?? 'not given'})` });
  }
  facts.push({ label: 'Operating system', value: `${p.os.distribution ?? p.os.platform}, kernel ${p.os.release} (${p.os.arch})` });
  facts.push({ label: 'Runtime', value: `Node ${p.os.node}${p.os.electron ? `, Electron ${p.os.electron}` : ''}` });
  facts.push(p.bootMedia
    ? { label: 'Boot media SHA-256', value: p.bootMedia.sha256, mono: true }
    : { label: 'Boot media SHA-256', value: 'Not given by the administrator' });
  return view;
}

function attestationView(a: AttestationFact): AttestationView {
  const base = { key: a.key.label, status: a.status, entry: a.seq, advisories: (a.advisories ?? []).map((x) => ({ id: x.id, summary: x.summary })) };
  if (a.status !== 'verified') {
    const summary = a.status === 'absent' ? `No attestation: ${a.reason ?? 'the token cannot attest its keys.'}` : `Refused: ${a.reason ?? 'the chain did not verify.'}`;
    return { ...base, summary, facts: [] };
  }
  const root = a.root ? `${a.root.subject} (${a.root.source === 'auditor' ? 'a root the auditor supplied, not a vendor root' : 'vendor root shipped with Keyrite'})` : 'unknown';
  return {
    ...base,
    summary: 'Verified again here: the device vouches that it generated this key.',
    facts: [
      { label: 'Device serial', value: String(a.serial ?? 'unknown'), mono: true },
      { label: 'Firmware', value: a.firmware ?? 'unknown' },
      { label: 'Slot', value: a.slot ?? 'unknown' },
      { label: 'PIN and touch policy', value: `PIN ${a.pinPolicy ?? 'unknown'}, touch ${a.touchPolicy ?? 'unknown'}` },
      ...(a.formFactor ? [{ label: 'Form factor', value: a.formFactor }] : []),
      { label: 'Chain ends at', value: root },
    ],
  };
}

/** Every attestation; when keys were generated with no attestation step, one "absent" row says so. */
export function attestationViews(facts: readonly AttestationFact[], keysGenerated: boolean): AttestationView[] {
  if (facts.length === 0 && keysGenerated) {
    return [{ key: 'Generated keys', status: 'absent', entry: 0, summary: 'No attestation: the ceremony has no attestation step, so that the key was generated on the token rests on the token\'s own attributes (CKA_LOCAL) and the witnesses.', facts: [], advisories: [] }];
  }
  return facts.map(attestationView);
}
