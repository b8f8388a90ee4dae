/**
 * The evidence view mapping (electron/core/ipc/evidence-view.ts) through toAuditReport, the
 * function the audit/verify handler returns: provenance and attestation results in plain words,
 * a refused or absent attestation said as such, advisories carried, and no CLI flag on screen.
 */
import { describe, expect, it } from 'vitest';
import { toAuditReport } from '../../../electron/core/ipc/audit-view';
import { dueDateViews } from '../../../electron/core/ipc/evidence-view';
import type { DueItem } from '../../../electron/core/lifecycle/due';
import type { Provenance } from '../../../electron/core/provenance/gather';
import type { VerificationReport } from '../../../electron/core/transcript/verify-types';

function report(over: Partial<VerificationReport> = {}): VerificationReport {
  return {
    valid: true, dir: '/x/c1', ceremonyId: 'c1', entries: 4, warnings: [], steps: { expected: ['gen'], completed: ['gen'] },
    checkpoints: [], signers: [], participants: [], unknownSigners: [], keys: [], shares: [], certificates: [], witnesses: [], deviations: [], exceptions: [], sealed: true,
    ...over,
  };
}

const DIGEST = 'ab'.repeat(32);
const provenance: Provenance = {
  keyrite: { version: '0.9.1', code: { folder: 'out', files: 12, sha256: DIGEST, words: ['aardvark', 'adroitness'], recompute: 'cd x && find out -type f | sha256sum' } },
  module: { path: '/usr/lib/p11.so', sha256: 'cd'.repeat(32) },
  token: { label: 'root-token', serial: 'SN42', manufacturer: 'Yubico', model: 'YubiHSM', firmware: '2.4', hardware: '1.0' },
  os: { platform: 'linux', release: '6.1.0', kernel: '#1 SMP', distribution: 'Debian 12', arch: 'x64', node: '22.0.0' },
  bootMedia: { sha256: 'ef'.repeat(32), source: 'script' },
};
const keyRef = { label: 'root', fingerprint: 'f'.repeat(64) } as never;

describe('evidence view mapping', () => {
  it('shows the recorded provenance: version, code digest and its words, module hash, token, OS and boot media', () => {
    const p = toAuditReport(report({ provenance }), []).provenance!;
    expect(p.recorded).toBe(true);
    expect(p.codeDigest).toBe(DIGEST);
    expect(p.codeWords).toEqual(['aardvark', 'adroitness']);
    const fact = (label: string) => p.facts.find((f) => f.label === label)?.value;
    expect(fact('Keyrite version')).toBe('0.9.1');
    expect(fact('Code digest (SHA-256)')).toBe(DIGEST);
    expect(fact('Module SHA-256')).toBe('cd'.repeat(32));
    expect(fact('Token')).toBe('Yubico YubiHSM, label root-token');
    expect(fact('Token serial')).toBe('SN42');
    expect(fact('Token firmware')).toContain('2.4');
    expect(fact('Operating system')).toContain('Debian 12');
    expect(fact('Boot media SHA-256')).toBe('ef'.repeat(32));
    // The GUI speaks in fields and panels, not command lines.
    expect(JSON.stringify(p)).not.toMatch(/--|sha256sum/);
  });

  it('says plainly what was not recorded: an old transcript, an unhashed module, an unread token, no boot media hash', () => {
    expect(toAuditReport(report(), []).provenance).toEqual({ recorded: false, facts: [] });
    const partial: Provenance = { ...provenance, keyrite: { version: '0.9.1', code: { error: 'no code folder' } }, module: { path: '/m.so', error: 'EACCES' }, token: { error: 'CKR_TOKEN_NOT_PRESENT' } };
    delete partial.bootMedia;
    const p = toAuditReport(report({ provenance: partial }), []).provenance!;
    expect(p.codeDigest).toBeUndefined();
    const fact = (label: string) => p.facts.find((f) => f.label === label)?.value;
    expect(fact('Code digest')).toBe('Not recorded: no code folder');
    expect(fact('Module SHA-256')).toBe('Not hashed: EACCES');
    expect(fact('Token')).toBe('Not read: CKR_TOKEN_NOT_PRESENT');
    expect(fact('Boot media SHA-256')).toBe('Not given by the administrator');
  });

  it('maps each attestation: verified with serial, firmware and advisories; refused and absent with the reason', () => {
    const r = toAuditReport(report({
      attestations: [
        { seq: 7, status: 'verified', key: keyRef, serial: 9876543, firmware: '5.4.3', slot: '9c', pinPolicy: 'once', touchPolicy: 'always', formFactor: 'USB-A keychain', advisories: [{ id: 'YSA-2024-03', summary: 'ECDSA side channel' }], root: { subject: 'CN=Yubico PIV Root CA', sha256: '00', source: 'vendor' } },
        { seq: 9, status: 'refused', key: keyRef, reason: 'the device certificate did not sign the key certificate' },
        { seq: 11, status: 'absent', key: keyRef, reason: 'SoftHSM2 cannot attest its keys' },
      ],
    }), []);
    const [ok, refused, absent] = r.attestations!;
    expect(ok).toMatchObject({ key: 'root', status: 'verified', entry: 7, advisories: [{ id: 'YSA-2024-03', summary: 'ECDSA side channel' }] });
    expect(ok!.facts).toEqual(expect.arrayContaining([{ label: 'Device serial', value: '9876543', mono: true }, { label: 'Firmware', value: '5.4.3' }]));
    expect(ok!.facts.find((f) => f.label === 'Chain ends at')?.value).toContain('vendor root shipped with Keyrite');
    expect(refused).toMatchObject({ status: 'refused', entry: 9, summary: 'Refused: the device certificate did not sign the key certificate', facts: [] });
    expect(absent).toMatchObject({ status: 'absent', entry: 11, summary: 'No attestation: SoftHSM2 cannot attest its keys' });
  });

  it('says "no attestation" when keys were generated without an attestation step, and nothing when no key was', () => {
    const withKey = toAuditReport(report({ keys: [{ seq: 3, label: 'root', id: '01', algorithm: 'ec-p384', fingerprint: 'ff', fingerprintWords: ['aardvark'], fingerprintMatches: true, proof: {}, spki: '' }] }), []);
    expect(withKey.attestations).toHaveLength(1);
    expect(withKey.attestations![0]).toMatchObject({ status: 'absent', entry: 0 });
    expect(toAuditReport(report(), []).attestations).toEqual([]);
  });

  it('shows every provenance fact in reading order, hashes and serials in monospace', () => {
    const electron = { ...provenance, os: { ...provenance.os, electron: '33.0.0' } };
    expect(toAuditReport(report({ provenance: electron }), []).provenance!.facts).toEqual([
      { label: 'Keyrite version', value: '0.9.1' },
      { label: 'Code digest (SHA-256)', value: DIGEST, mono: true },
      { label: 'Code measured', value: '12 files in out/' },
      { label: 'PKCS#11 module', value: '/usr/lib/p11.so', mono: true },
      { label: 'Module SHA-256', value: 'cd'.repeat(32), mono: true },
      { label: 'Token', value: 'Yubico YubiHSM, label root-token' },
      { label: 'Token serial', value: 'SN42', mono: true },
      { label: 'Token firmware', value: '2.4 (hardware 1.0)' },
      { label: 'Operating system', value: 'Debian 12, kernel 6.1.0 (x64)' },
      { label: 'Runtime', value: 'Node 22.0.0, Electron 33.0.0' },
      { label: 'Boot media SHA-256', value: 'ef'.repeat(32), mono: true },
    ]);
    const bare: Provenance = {
      ...provenance, keyrite: { version: '0.9.1', code: {} as never }, module: { path: '/m.so' },
      token: { label: 't', serial: 's', manufacturer: 'm', model: 'x' } as never, os: { ...provenance.os, distribution: undefined } as never,
    };
    const shown = Object.fromEntries(toAuditReport(report({ provenance: bare }), []).provenance!.facts.map((f) => [f.label, f.value]));
    expect(shown).toMatchObject({
      'Code digest': 'Not recorded: unknown reason', 'Module SHA-256': 'Not hashed: unknown reason', 'Token firmware': 'not given (hardware not given)',
      'Operating system': 'linux, kernel 6.1.0 (x64)', Runtime: 'Node 22.0.0',
    });
  });

  it('shows every fact of a verified attestation, and says unknown for what the device did not give', () => {
    const r = toAuditReport(report({
      attestations: [
        { seq: 7, status: 'verified', key: keyRef, serial: 9876543, firmware: '5.4.3', slot: '9c', pinPolicy: 'once', touchPolicy: 'always', formFactor: 'USB-A keychain', root: { subject: 'CN=Own Root', sha256: '00', source: 'auditor' } },
        { seq: 8, status: 'verified', key: keyRef },
        { seq: 9, status: 'refused', key: keyRef },
        { seq: 11, status: 'absent', key: keyRef },
      ] as never,
    }), []);
    const [full, bare, refused, absent] = r.attestations!;
    expect(full).toEqual({
      key: 'root', status: 'verified', entry: 7, advisories: [],
      summary: 'Verified again here: the device vouches that it generated this key.',
      facts: [
        { label: 'Device serial', value: '9876543', mono: true },
        { label: 'Firmware', value: '5.4.3' },
        { label: 'Slot', value: '9c' },
        { label: 'PIN and touch policy', value: 'PIN once, touch always' },
        { label: 'Form factor', value: 'USB-A keychain' },
        { label: 'Chain ends at', value: 'CN=Own Root (a root the auditor supplied, not a vendor root)' },
      ],
    });
    expect(bare!.facts).toEqual([
      { label: 'Device serial', value: 'unknown', mono: true },
      { label: 'Firmware', value: 'unknown' },
      { label: 'Slot', value: 'unknown' },
      { label: 'PIN and touch policy', value: 'PIN unknown, touch unknown' },
      { label: 'Chain ends at', value: 'unknown' },
    ]);
    expect(refused!.summary).toBe('Refused: the chain did not verify.');
    expect(absent!.summary).toBe('No attestation: the token cannot attest its keys.');
  });

  it('says exactly why there is no attestation when keys were generated without an attestation step', () => {
    const keys: VerificationReport['keys'] = [{ seq: 3, label: 'root', id: '01', algorithm: 'ec-p384', fingerprint: 'ff', fingerprintWords: ['aardvark'], fingerprintMatches: true, proof: {}, spki: '' }];
    const withKey = toAuditReport(report({ keys }), []);
    expect(withKey.attestations).toEqual([{
      key: 'Generated keys', status: 'absent', entry: 0, facts: [], advisories: [],
      summary: 'No attestation: the ceremony has no attestation step, so that the key was generated on the token rests on the token\'s own attributes (CKA_LOCAL) and the witnesses.',
    }]);
    const attested = toAuditReport(report({ keys, attestations: [{ seq: 5, status: 'absent', key: keyRef, reason: 'no attestation key' }] as never }), []);
    expect(attested.attestations!.map((a) => a.summary)).toEqual(['No attestation: no attestation key']);
  });

  it('maps due items to the timeline: title, key, ceremony and status, keeping the order', () => {
    const base = { key: { label: 'root', fingerprint: 'ff', class: 'root' }, what: 'w', ceremony: 'c-1' };
    const items: DueItem[] = [
      { ...base, kind: 'share-check-up', deadline: '2026-01-01T00:00:00.000Z', dueFrom: '2026-01-01T00:00:00.000Z', due: true, overdue: true },
      { ...base, kind: 'crl-next-update', deadline: '2026-03-15T00:00:00.000Z', dueFrom: '2026-03-01T00:00:00.000Z', due: true, overdue: false },
      { ...base, kind: 'certificate-expiry', deadline: '2036-01-01T00:00:00.000Z', dueFrom: '2036-01-01T00:00:00.000Z', due: false, overdue: false },
    ];
    const v = dueDateViews(items);
    expect(v.map((d) => [d.title, d.status])).toEqual([['Share check-up', 'overdue'], ['CRL re-signing', 'due'], ['Certificate expiry', 'upcoming']]);
    expect(v[1]).toMatchObject({ keyLabel: 'root', fingerprint: 'ff', ceremony: 'c-1', deadline: '2026-03-15T00:00:00.000Z', dueFrom: '2026-03-01T00:00:00.000Z' });
  });
});
