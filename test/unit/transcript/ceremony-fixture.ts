/**
 * Writes a realistic ceremony folder through the public transcript API: the same entry kinds, in
 * the same order, with a checkpoint after every step, that the ceremony runner writes.
 * Signers are injected, so unit tests use key files and integration tests use SoftHSM2 keys.
 */
import { createHash, generateKeyPairSync, sign } from 'node:crypto';
import path from 'node:path';
import { Journal } from '../../../electron/core/transcript/journal';
import { cosignCheckpoint, writeCheckpoint } from '../../../electron/core/transcript/checkpoint';
import { parseVerifierKey, verifierKeyFor, type NoteSigner } from '../../../electron/core/transcript/note';
import { toPgpWords } from '../../../electron/core/util/pgp-words';

export interface RootKeyFixture {
  signer: NoteSigner & { verifierKey: string };
  spki: Uint8Array;
  algorithm: string;
  label: string;
  id: string;
  proof: Record<string, boolean | string>;
}

/** A P-384 root key in software (unit tests), signing notes as the token's key would. */
export async function softwareRootKey(id: string): Promise<RootKeyFixture> {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-384' });
  const spki = publicKey.export({ format: 'der', type: 'spki' });
  const vk = verifierKeyFor('keyrite.root/root-2026', 'keyrite.spki/v1', spki);
  const v = parseVerifierKey(vk);
  return {
    signer: { name: v.name, keyHash: v.keyHash, verifierKey: vk, sign: async (m) => new Uint8Array(sign('sha384', m, privateKey)) },
    spki, algorithm: 'ec-p384', label: 'root-2026', id, proof: { local: true, sensitive: true, extractable: false, neverExtractable: true },
  };
}

export interface CeremonyFixture {
  ceremonyId: string;
  transcriptSigner: NoteSigner & { verifierKey: string };
  /** Makes the root key once step "generate-key" runs (on a token in integration tests). */
  makeRootKey: (id: string) => Promise<RootKeyFixture>;
  witnesses: { name: string; signer: NoteSigner & { verifierKey: string } }[];
  /** Extra step.attest/custom entries per step, to make large transcripts. */
  padding?: number;
  /** What ceremony.start promises (as the runner writes it for a type that makes a key). */
  promises?: 'key-locked'[];
  /** The key.locked entry after the backup (the runner's lock): the id it names and what the read-back says. */
  lock?: { id?: string; extractable?: boolean };
  /** How the fixture ends: sealed as completed (the default), sealed as aborted, or not sealed. */
  end?: 'completed' | 'aborted' | 'open';
  /** A key.destroyed entry for the key (a ceremony that destroyed what it made). */
  destroyed?: boolean;
}

export const STEPS = ['check-room', 'generate-key', 'backup', 'verify-shares', 'root-certificate'];

export async function writeCeremony(dir: string, f: CeremonyFixture): Promise<{ journal: Journal; rootKey: RootKeyFixture }> {
  const journal = await Journal.create(path.join(dir, 'transcript.jsonl'), { ceremonyId: f.ceremonyId });
  const admin = { role: 'administrator', name: 'Ada Admin' };
  const signers: NoteSigner[] = [f.transcriptSigner];
  const checkpoint = async () => {
    await writeCheckpoint(dir, journal, signers);
    for (const w of f.witnesses) await cosignCheckpoint(dir, [w.signer]);
  };
  await journal.append({
    kind: 'ceremony.start', step: '-', actor: admin,
    data: {
      script: { id: 'root-ca-2026', title: 'Root CA key generation', type: 'root-key-generation', sha256: 'ab'.repeat(32) },
      steps: STEPS,
      participants: [admin, ...f.witnesses.map((w) => ({ role: 'witness', name: w.name, verifierKey: w.signer.verifierKey })), { role: 'custodian', name: 'Carol' }, { role: 'custodian', name: 'Dan' }, { role: 'custodian', name: 'Erin' }],
      transcriptKey: f.transcriptSigner.verifierKey,
      transcriptKeySource: 'token',
      policy: { id: 'default', sha256: createHash('sha256').update('policy: default\n').digest('hex') },
      rehearsal: true,
      ...(f.promises ? { promises: f.promises } : {}),
    },
  });
  await checkpoint();
  let rootKey: RootKeyFixture | undefined;
  for (const step of STEPS) {
    await journal.append({ kind: 'step.start', step, actor: admin, data: { title: step } });
    for (let i = 0; i < (f.padding ?? 0); i++) {
      await journal.append({ kind: 'step.note', step, actor: admin, data: { i, text: `observation ${i} during ${step}` } });
    }
    let result: Record<string, unknown> = {};
    if (step === 'generate-key') {
      const id = 'a0b1c2d3';
      await journal.append({ kind: 'step.intent', step, actor: admin, data: { opId: 'gen-1', operation: 'generateKeyPair', ckaId: id, label: 'root-2026' } });
      rootKey = await f.makeRootKey(id);
      const fp = createHash('sha256').update(rootKey.spki).digest();
      await journal.append({ kind: 'step.result', step, actor: admin, data: { outcome: 'ok', opId: 'gen-1' } });
      await journal.append({
        kind: 'key.generated', step, actor: admin,
        data: {
          label: rootKey.label, id: rootKey.id, algorithm: rootKey.algorithm, spki: Buffer.from(rootKey.spki).toString('base64'),
          fingerprint: fp.toString('hex'), fingerprintWords: toPgpWords(fp), proof: rootKey.proof,
          token: { label: 'rehearsal', serial: '0001' }, noteVerifierKey: rootKey.signer.verifierKey,
        },
      });
      signers.push(rootKey.signer);
      result = { note: 'key generated' };
    }
    if (step === 'backup') {
      await journal.append({
        kind: 'backup.created', step, actor: admin,
        data: {
          k: 2, n: 3, splitId: '5f1e', commitments: ['cd'.repeat(32)], wrappedKeySha256: 'ef'.repeat(32),
          shares: ['Carol', 'Dan', 'Erin'].map((custodian, i) => ({ custodian, index: i + 1, fingerprint: createHash('sha256').update(custodian).digest('hex').slice(0, 16), medium: 'paper' })),
        },
      });
    }
    if (step === 'verify-shares' && f.lock) {
      const id = f.lock.id ?? (rootKey as RootKeyFixture).id;
      await journal.append({ kind: 'key.locked', step, actor: admin, data: { id, label: 'root-2026', fingerprint: 'ab'.repeat(32), proof: { ...(f.lock.extractable === undefined ? {} : { extractable: f.lock.extractable }), sensitive: true }, lock: [], required: ['notExtractable'] } });
    }
    if (step === 'verify-shares') {
      for (const [i, custodian] of ['Carol', 'Dan', 'Erin'].entries()) {
        await journal.append({ kind: 'share.verified', step, actor: { role: 'custodian', name: custodian }, data: { custodian, index: i + 1, fingerprint: createHash('sha256').update(custodian).digest('hex').slice(0, 16), ok: true } });
      }
    }
    if (step === 'root-certificate') {
      await journal.append({ kind: 'certificate.issued', step, actor: admin, data: { subject: 'CN=Example Root CA 2026', serial: '01', sha256: '12'.repeat(32) } });
      await journal.append({ kind: 'deviation', step, actor: admin, data: { who: 'Ada Admin', why: 'Printer jammed; report printed on the second printer.', action: 'used printer B' } });
    }
    await journal.append({ kind: 'step.result', step, actor: admin, data: { outcome: 'ok', ...result } });
    for (const w of f.witnesses) {
      await journal.append({ kind: 'step.attest', step, actor: { role: 'witness', name: w.name }, data: { witness: w.name, statement: `I watched step ${step}.`, cosigned: true } });
    }
    await checkpoint();
  }
  if (f.destroyed) {
    await journal.append({ kind: 'key.destroyed', step: 'root-certificate', actor: admin, data: { id: (rootKey as RootKeyFixture).id, label: 'root-2026' } });
    await checkpoint();
  }
  const end = f.end ?? 'completed';
  if (end !== 'open') {
    await journal.append({ kind: 'ceremony.sealed', step: '-', actor: admin, data: { entries: journal.size, outcome: end } });
    await checkpoint();
  }
  return { journal, rootKey: rootKey as RootKeyFixture };
}
