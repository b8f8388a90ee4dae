/**
 * The auditor's offline re-check of every attestation a transcript records: the recorded
 * certificates are verified again against the vendor roots shipped with this copy of Keyrite
 * (plus any root the auditor names), and the attested key must be a key the transcript says was
 * generated. What the ceremony's own Keyrite concluded is not trusted, only compared.
 */
import { createHash } from 'node:crypto';
import type { FilePublishedData, JournalEntry, KeyGeneratedData } from '../transcript/entry-kinds';
import type { VerifyFailure } from '../transcript/verify-types';
import { isKeyriteError } from '../util/errors';
import type { AttestationFact } from './fact';
import { ATTESTATION_KINDS, type AttestationAbsentData, type AttestationRefusedData, type AttestationVerifiedData } from './entries';
import { shippedRoots } from './roots';
import { certSha256, verifyPivAttestation } from './verify-piv';

export type { AttestationFact } from './fact';

/**
 * Certificates read from the token were published as files before they were verified: each
 * recorded certificate must be the bytes an earlier file.published entry hashed, so the files
 * beside the transcript (checked against those hashes) are the certificates verified here.
 */
function tokenSourceProblem(entries: readonly JournalEntry[], e: JournalEntry, d: AttestationVerifiedData): string | undefined {
  const s = d.source;
  if (s?.from !== 'token') return undefined;
  for (const [ref, pem] of [[s.keyCert, d.keyCert], [s.deviceCert, d.deviceCert]] as const) {
    const pub = entries.filter((p) => p.seq < e.seq && p.kind === 'file.published' && (p.data as FilePublishedData).file === ref?.file).at(-1);
    if (!pub) return `Entry ${e.seq} says ${ref?.file} was read from the token, but no earlier file.published entry records that file.`;
    const hash = createHash('sha256').update(String(pem), 'utf8').digest('hex');
    if ((pub.data as FilePublishedData).sha256 !== hash) return `Entry ${e.seq} records a certificate (SHA-256 ${hash}) that is not ${ref.file} as published in entry ${pub.seq}.`;
  }
  return undefined;
}

export async function checkAttestations(entries: readonly JournalEntry[], offsets: readonly number[], extraRoots: string[] = []): Promise<{ facts: AttestationFact[]; failure?: VerifyFailure }> {
  const facts: AttestationFact[] = [];
  let failure: VerifyFailure | undefined;
  const fail = (e: JournalEntry, message: string) => {
    failure ??= { code: 'ATTESTATION_INVALID', seq: e.seq, offset: offsets[e.seq] as number, message };
  };
  // Loaded only when there is an attestation to check: a transcript without one never needs the roots.
  let vendorRoots: Set<string> | undefined;
  for (const e of entries) {
    if (e.kind === ATTESTATION_KINDS.absent) {
      const d = e.data as AttestationAbsentData;
      facts.push({ seq: e.seq, status: 'absent', key: d.key, reason: String(d.reason) });
    } else if (e.kind === ATTESTATION_KINDS.refused) {
      const d = e.data as AttestationRefusedData;
      facts.push({ seq: e.seq, status: 'refused', key: d.key, reason: `${d.error?.code}: ${d.error?.message}` });
    } else if (e.kind === ATTESTATION_KINDS.verified) {
      const d = e.data as AttestationVerifiedData;
      const gen = entries.find((g) => g.seq < e.seq && g.kind === 'key.generated' && (g.data as KeyGeneratedData).fingerprint === d.key?.fingerprint);
      if (!gen) { fail(e, `Entry ${e.seq} records an attestation for key ${d.key?.fingerprint}, which no earlier key.generated entry made.`); continue; }
      const unbound = tokenSourceProblem(entries, e, d);
      if (unbound) fail(e, unbound);
      const spki = new Uint8Array(Buffer.from((gen.data as KeyGeneratedData).spki, 'base64'));
      try {
        const r = await verifyPivAttestation({ keyCertPem: d.keyCert, deviceCertPem: d.deviceCert, publicKey: spki, extraRoots });
        if (r.serial !== d.result?.serial || r.firmware !== d.result?.firmware) {
          fail(e, `Entry ${e.seq} records YubiKey serial ${d.result?.serial} firmware ${d.result?.firmware}, but its certificates say serial ${r.serial} firmware ${r.firmware}.`);
        }
        facts.push({
          seq: e.seq, status: 'verified', key: d.key, ...pick(r), advisories: r.advisories, source: d.source?.from ?? 'files',
          root: { subject: r.root.subject, sha256: r.root.sha256, source: (vendorRoots ??= new Set(shippedRoots('yubico-piv').map(certSha256))).has(r.root.sha256) ? 'vendor' : 'auditor' },
        });
      } catch (err) {
        const why = isKeyriteError(err) ? `${err.message} [${err.code}]` : String(err);
        fail(e, `Entry ${e.seq} records a verified attestation that does not verify here: ${why}`);
        facts.push({ seq: e.seq, status: 'refused', key: d.key, reason: why });
      }
    }
  }
  return failure ? { facts, failure } : { facts };
}

function pick(r: Awaited<ReturnType<typeof verifyPivAttestation>>): Partial<AttestationFact> {
  const out: Partial<AttestationFact> = {};
  if (r.serial !== undefined) out.serial = r.serial;
  if (r.firmware !== undefined) out.firmware = r.firmware;
  if (r.slot !== undefined) out.slot = r.slot;
  if (r.pinPolicy !== undefined) out.pinPolicy = r.pinPolicy;
  if (r.touchPolicy !== undefined) out.touchPolicy = r.touchPolicy;
  if (r.formFactor !== undefined) out.formFactor = r.formFactor;
  return out;
}
