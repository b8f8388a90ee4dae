/**
 * What the journal says each file beside it must be: the hash journaled when it was published
 * (`file.published`, `share.delivered`, the script hash at ceremony start) and the facts its
 * content must agree with (public-key.pem is the recorded SPKI; a certificate is the recorded one,
 * for the recorded key, signed by a recorded key; backup.json is the recorded split of the recorded
 * key; a detached signature verifies). Content checks hold for old transcripts too, which journaled
 * no file hashes. Each check returns why the file is not what the transcript says, or undefined.
 */
import { createHash, createPublicKey, X509Certificate } from 'node:crypto';
import { parseBackupFile, verifyBackupFile } from '../shares/backup-file';
import { spkiToPem, verifySignature } from '../token/verify';
import type { SignatureScheme } from '../token/types';
import { ENTRY_KINDS, type JournalEntry } from './entry-kinds';
import { dnskeySignedProblem } from '../dnssec/file-check';
import { tufRootFileProblem } from '../tuf/file-check';

/** The entry a file is held to. */
export interface EntryRef {
  seq: number;
  kind: string;
}

export interface FileExpectation {
  /** SHA-256 of the bytes, as journaled. */
  hash?: { sha256: string; entry: EntryRef };
  /** Checks of the content against recorded facts; each names its entry. */
  content: { entry: EntryRef; check: (bytes: Buffer, read: (file: string) => Buffer | undefined) => Promise<string | undefined> | string | undefined }[];
  /** Checked when present, not missed when absent (not every run writes it); a file.published entry makes it expected again. */
  optional?: boolean;
}

const obj = (v: unknown): Record<string, unknown> => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {});
const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const sha256 = (b: Uint8Array | string): string => createHash('sha256').update(b).digest('hex');
const ref = (e: JournalEntry): EntryRef => ({ seq: e.seq, kind: String(e.kind) });

function pemToDer(bytes: Buffer, label: string): Buffer | undefined {
  const m = new RegExp(`-----BEGIN ${label}-----([A-Za-z0-9+/=\\s]+)-----END ${label}-----`).exec(bytes.toString('utf8'));
  return m ? Buffer.from((m[1] as string).replace(/\s+/g, ''), 'base64') : undefined;
}

function verifiesWith(cert: X509Certificate, spki: Buffer): boolean {
  try {
    return cert.verify(createPublicKey({ key: spki, format: 'der', type: 'spki' }));
  } catch {
    return false;
  }
}

/** A certificate file against its certificate.issued entry and the keys the transcript records. */
function certificateCheck(d: Record<string, unknown>, keys: () => Buffer[]) {
  return (bytes: Buffer): string | undefined => {
    let cert: X509Certificate;
    try {
      cert = new X509Certificate(bytes);
    } catch {
      return 'it is not a PEM certificate';
    }
    if (sha256(cert.raw) !== str(d.sha256)) return `its certificate's SHA-256 is ${sha256(cert.raw)}, not the recorded ${str(d.sha256)}`;
    if (typeof d.pem === 'string' && bytes.toString('utf8') !== d.pem) return 'its text differs from the recorded PEM';
    const spki = cert.publicKey.export({ type: 'spki', format: 'der' });
    const role = str(d.role);
    const recorded = keys();
    if (role !== 'intermediate' && !recorded.some((k) => k.equals(spki))) return 'its public key is not a key this transcript records';
    if (!recorded.some((k) => verifiesWith(cert, k))) return 'its signature does not verify with any key this transcript records';
    return undefined;
  };
}

async function crlCheck(d: Record<string, unknown>, bytes: Buffer, keys: Buffer[]): Promise<string | undefined> {
  const der = pemToDer(bytes, 'X509 CRL');
  if (!der) return 'it is not a PEM CRL';
  if (sha256(der) !== str(d.sha256)) return `its CRL's SHA-256 is ${sha256(der)}, not the recorded ${str(d.sha256)}`;
  const x509 = await import('../x509/lib');
  try {
    const crl = new x509.X509Crl(new Uint8Array(der));
    for (const k of keys) if (await crl.verify({ publicKey: new x509.PublicKey(new Uint8Array(k)) }).catch(() => false)) return undefined;
  } catch {
    return 'it cannot be read as a CRL';
  }
  return 'its signature does not verify with any key this transcript records';
}

function backupCheck(d: Record<string, unknown>, keys: () => { spki: Buffer; id: string }[]) {
  return (bytes: Buffer): string | undefined => {
    let b;
    try {
      b = parseBackupFile(bytes.toString('utf8'));
      verifyBackupFile(b);
    } catch (e) {
      return (e as Error).message;
    }
    const key = keys().find((k) => k.id === b.sealed.key.id);
    if (!key || !key.spki.equals(Buffer.from(b.sealed.key.spki, 'base64'))) return 'it is the backup of a key this transcript does not record';
    if (b.split.id !== str(d.splitId)) return `its split is ${b.split.id}, the transcript's is ${str(d.splitId)}`;
    if (b.split.k !== Number(d.k) || b.split.n !== Number(d.n)) return `it is a ${b.split.k}-of-${b.split.n} split, the transcript's is ${String(d.k)}-of-${String(d.n)}`;
    const commitments = obj(d.commitments);
    for (const s of b.split.shares) {
      if (commitments[s.custodian] !== s.commitment) return `the commitment to ${s.custodian}'s share differs from the recorded one`;
    }
    if (Object.keys(commitments).length !== b.split.shares.length) return 'it lists other custodians than the transcript';
    if (d.wrappingKeyCommitment !== undefined && d.wrappingKeyCommitment !== b.sealed.wrapping.keyCommitment) return 'its wrapping-key commitment differs from the recorded one';
    const wrapped = sha256(Buffer.from(b.sealed.wrapping.wrappedKey, 'base64'));
    if (d.wrappedKeySha256 !== undefined && d.wrappedKeySha256 !== wrapped) return `its wrapped key's SHA-256 is ${wrapped}, the transcript's is ${str(d.wrappedKeySha256)}`;
    return undefined;
  };
}

/** Every file the journal names, with what it must be. Later entries replace earlier ones (a step run again writes again). */
export function expectedFiles(entries: readonly JournalEntry[]): Map<string, FileExpectation> {
  const out = new Map<string, FileExpectation>();
  const at = (file: string) => {
    let x = out.get(file);
    if (!x) out.set(file, (x = { content: [] }));
    return x;
  };
  const setContent = (file: string, entry: JournalEntry, check: FileExpectation['content'][number]['check']) => {
    at(file).content = [{ entry: ref(entry), check }];
  };
  const keys: { spki: Buffer; id: string; fingerprint: string }[] = [];
  const spkis = () => keys.map((k) => k.spki);
  let generated: JournalEntry | undefined;
  for (const e of entries) {
    const d = obj(e.data);
    switch (e.kind) {
      case ENTRY_KINDS.filePublished: {
        const x = at(str(d.file));
        x.hash = { sha256: str(d.sha256), entry: ref(e) };
        delete x.optional;
        break;
      }
      case 'ceremony.start':
        // Rehearsals with throwaway witness keys run a copy of the script with those keys recorded.
        if (d.rehearsal === true) Object.assign(at('rehearsal-script.yaml'), { hash: { sha256: str(obj(d.script).sha256), entry: ref(e) }, optional: true });
        break;
      case 'key.generated':
      case 'key.prior':
        keys.push({ spki: Buffer.from(str(d.spki), 'base64'), id: str(d.id), fingerprint: str(d.fingerprint) });
        if (e.kind === 'key.generated') generated = e;
        break;
      case 'certificate.issued':
        if (str(d.file)) setContent(str(d.file), e, certificateCheck(d, spkis));
        break;
      case 'certificate.prior': {
        // Only the steps that issue under it (certificate, CRL) write issuer-cert.pem, and journal it then.
        const x = at('issuer-cert.pem');
        if (!x.hash) x.optional = true;
        setContent('issuer-cert.pem', e, (b) => (sha256(b) === str(d.sha256) ? undefined : 'it is not the issuing certificate recorded'));
        break;
      }
      case 'crl.issued':
        setContent(str(d.file) || 'crl.pem', e, (b) => crlCheck(d, b, spkis()));
        break;
      case 'backup.created':
        setContent('backup.json', e, backupCheck(d, () => keys));
        break;
      case 'share.delivered':
        // The headless sink writes OUT/custody/; the app writes to the custodian's own media (then it is not here).
        at(`custody/${str(d.fileName)}`).hash = { sha256: str(d.sha256), entry: ref(e) };
        break;
      case 'artifact.signed': {
        const name = str(d.artifact);
        const key = keys.find((k) => k.fingerprint === str(d.keyFingerprint));
        setContent(name, e, (b) => (createHash(str(d.digest) || 'sha256').update(b).digest('hex') === str(d.hash) ? undefined : 'its digest differs from the one signed'));
        setContent(str(d.signatureFile) || `${name}.sig`, e, (sig, read) => {
          const data = read(name);
          if (!data) return undefined; // the artifact's own entry says it is not present
          return key && verifySignature(key.spki, str(d.scheme) as SignatureScheme, data, sig) ? undefined : `it is not a valid signature over ${name} by the recorded key`;
        });
        if (key) setContent('signing-key.pem', e, (b) => (b.toString('utf8') === spkiToPem(key.spki) ? undefined : 'it is not the signing key recorded'));
        break;
      }
      case 'dnskey.signed': {
        const key = keys.find((k) => k.fingerprint === str(d.keyFingerprint));
        setContent('dnskey.signed', e, (b) => dnskeySignedProblem(b.toString('utf8'), str(d.rrsetSha256), key?.spki));
        setContent('ds.txt', e, (b) => (b.toString('utf8') === `${str(d.ds)}\n` ? undefined : 'it is not the DS record journaled'));
        break;
      }
      case 'tuf.root-signed': {
        const sigs = Array.isArray(d.signatures) ? d.signatures.map((s) => ({ keyid: str(obj(s).keyid), sig: str(obj(s).sig) })) : [];
        setContent(str(d.file) || 'root.json', e, (b) => tufRootFileProblem(b, str(d.signedSha256), sigs));
        break;
      }
      default:
        break;
    }
  }
  // The seal writes public-key.pem for the key made in the ceremony (exports.ts), exactly as PEM of its SPKI.
  if (generated) {
    const g = generated;
    const pem = spkiToPem(Buffer.from(str(obj(g.data).spki), 'base64'));
    const check = (b: Buffer) => (b.toString('utf8') === pem ? undefined : 'it is not the public key recorded (SPKI) at key generation');
    if (entries.some((e) => e.kind === 'ceremony.sealed') || out.has('public-key.pem')) setContent('public-key.pem', g, check);
    if (out.has('successor-public-key.pem')) setContent('successor-public-key.pem', g, check);
  }
  return out;
}
