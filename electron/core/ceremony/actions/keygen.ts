import { randomBytes } from 'node:crypto';
import { KeyriteError } from '../../util/errors';
import { publishFile } from '../publish-file';
import path from 'node:path';
import { PUBLIC_FILE_MODE, writeFileAtomic } from '../../util/fs-durable';
import { publicKeyFingerprint, spkiToPem } from '../../token/verify';
import { rootNoteName, tokenNoteSigner } from '../../transcript/note-token';
import { issueRootCertificate, issueSubordinateCertificate, type CaProfile } from '../../x509/certificates';
import type { KeyInfo } from '../run-facts';
import { ENTRY_KINDS } from '../../transcript/entry-kinds';
import type { KeySpec } from '../script-schema';
import { keyRefOf, type ActionHandler, type RunRead, type JournalAppend, type IrreversibleOps, type TokenSession, type Progress } from '../step-context';
import { makesSuccessor } from '../types/index';
import { lifecycleData } from './basic';
import { describeFailing, failingAttributes } from '../key-attributes';
import { lockKey, locksHere } from './lock';

export function b64(u: Uint8Array): string {
  return Buffer.from(u).toString('base64');
}

/** The key a step works on: a rotation's successor once it exists, else the ceremony's key. */
export function subjectKey(ctx: RunRead): KeyInfo {
  const key = ctx.facts.successor ?? ctx.facts.key;
  if (!key) throw new KeyriteError('KEY_UNKNOWN', 'No key is known to this ceremony yet.', { action: 'Generate the key first, or give --from the folder of the ceremony that made it.' });
  return key;
}

function keySpecToMake(ctx: RunRead): KeySpec {
  return makesSuccessor(ctx.script.type) && ctx.script.successor ? ctx.script.successor : ctx.script.key;
}

function noteKeyName(_ctx: RunRead, label: string): string {
  return rootNoteName(label);
}

/**
 * Generates the key pair with a CKA_ID chosen and journaled before the call. An interrupted
 * generation is reconciled by looking the CKA_ID up on the token, never by generating again.
 */
export const generateKey: ActionHandler<RunRead & JournalAppend & IrreversibleOps & TokenSession & Progress> = {
  needsSession: true,
  async advance(ctx) {
    const spec = keySpecToMake(ctx);
    const token = ctx.token();
    const session = ctx.session();
    let made: { id: string; label: string } | undefined;
    const entries = ctx.stepEntries();
    const done = ctx.intents('generateKeyPair', 'ok').at(-1);
    if (done) made = { id: String(done.detail.ckaId), label: spec.label };
    for (const open of ctx.intents('generateKeyPair', 'open')) {
      const id = String(open.detail.ckaId);
      const found = await token.findKeys(session, { id, class: 'private' });
      await ctx.resolveIntent(open.opId, found.length > 0, { found: found.length, note: 'looked up by CKA_ID after an interruption' });
      if (found.length > 0) made = { id, label: spec.label };
    }
    // A generation reported as failed may still have happened (the host died mid-call): look.
    for (const failed of ctx.intents('generateKeyPair', 'failed')) {
      const d = failed.detail as { ckaId?: string };
      if (made) break;
      if ((await token.findKeys(session, { id: String(d.ckaId), class: 'private' })).length > 0) {
        made = { id: String(d.ckaId), label: spec.label };
        await ctx.append({ kind: 'deviation', actor: { role: 'system', name: 'keyrite' }, data: {
          who: 'keyrite', why: `The generation announced with CKA_ID ${d.ckaId} was reported as failed, but the key is on the token.`,
          action: 'The key found by its CKA_ID is used; no second key is generated.',
        } });
      }
    }
    if (!made) {
      const existing = await token.findKeys(session, { label: spec.label });
      if (existing.length > 0) {
        throw new KeyriteError('KEY_LABEL_IN_USE', `The token already holds a key labelled "${spec.label}".`, { action: 'Use a fresh token, or change the key label in the script; Keyrite never reuses a label.' });
      }
      const id = randomBytes(16).toString('hex');
      ctx.progress(`Generating ${spec.algorithm} key on the token`, null);
      const pair = await ctx.irreversible('generateKeyPair', { ckaId: id, label: spec.label, algorithm: spec.algorithm, token: ctx.facts.token },
        () => token.generateKeyPair(session, { algorithm: spec.algorithm as KeyInfo['algorithm'], label: spec.label, id, extractableForBackup: ctx.script.steps.some((s) => s.action === 'backup'), finalAttributes: true }),
        (p) => ({ id: p.id }));
      made = { id: pair.id, label: pair.label };
    }
    const ref = keyRefOf(made);
    const spki = await token.exportPublicKey(session, ref);
    const proof = await token.readKeyProof(session, ref);
    const fp = publicKeyFingerprint(spki);
    const signer = await tokenNoteSigner(token, session, ref, spec.algorithm as KeyInfo['algorithm'], noteKeyName(ctx, spec.label));
    const proofRecord = Object.fromEntries(Object.entries(proof)) as Record<string, boolean | string>;
    const tokenInfo = ctx.facts.token;
    const already = entries.some((e) => e.kind === 'key.generated');
    if (!already) await ctx.append({ kind: 'key.generated', data: {
      label: spec.label, id: made.id, algorithm: spec.algorithm, spki: b64(spki), fingerprint: fp.sha256Hex, fingerprintWords: fp.pgpWords,
      proof: proofRecord, ...(tokenInfo ? { token: tokenInfo } : {}), noteVerifierKey: signer.verifierKey,
    } });
    const info: KeyInfo = { id: made.id, label: spec.label, algorithm: spec.algorithm as KeyInfo['algorithm'], spki: b64(spki), fingerprint: fp.sha256Hex };
    const successorOf = makesSuccessor(ctx.script.type) ? ctx.facts.key?.fingerprint : undefined;
    if (!entries.some((e) => e.kind === ENTRY_KINDS.keyLifecycle)) await ctx.append({ kind: ENTRY_KINDS.keyLifecycle, data: lifecycleData(ctx, info, 'pre-activation', 'generated on the token', successorOf ? { successorOf } : {}) });
    // A key with no backup to come is locked (and its final proof journaled) right here.
    const locked = locksHere(ctx) ? await lockKey(ctx, info, { restored: false }) : [];
    return { performed: [
      { label: 'Key', value: `${spec.label} (${spec.algorithm})` }, { label: 'CKA_ID', value: made.id, mono: true },
      { label: 'Fingerprint (SHA-256)', value: fp.sha256Hex, mono: true }, { label: 'Read aloud', value: fp.pgpWords.join(' '), mono: true },
      ...(locked.length > 0 ? locked : [{ label: 'Extractable', value: 'yes, until every share of the backup is verified; then it is locked' }]),
    ] };
  },
};

/**
 * The proof read after generation, checked against the policy rules the lock cannot change (the
 * lock's own rules are checked against the final proof, actions/lock.ts).
 */
export const readProof: ActionHandler<RunRead & TokenSession> = {
  needsSession: true,
  async advance(ctx) {
    const key = subjectKey(ctx);
    const proof = await ctx.token().readKeyProof(ctx.session(), keyRefOf(key));
    const required = ctx.policy.classes[ctx.script.key.class]?.requiredAttributes ?? [];
    const failing = failingAttributes(proof, required, { stage: 'generated', restored: false });
    if (failing.length > 0) {
      throw new KeyriteError('KEY_PROOF_POLICY', `The key's attributes break policy: ${describeFailing(failing)}.`, {
        action: 'Stop the ceremony and record a deviation: this key must not be used. Destroy it and generate again on a token that sets these attributes.',
        details: { failing: failing.map((f) => f.rule) },
      });
    }
    const state = proof.extractable
      ? { label: 'State', value: 'extractable until every share of the backup is verified; locked then' }
      : { label: 'State', value: 'cannot be wrapped out of the token (CKA_EXTRACTABLE FALSE)' };
    return { performed: [...Object.entries(proof).map(([k, v]) => ({ label: k, value: String(v) })), state], data: { proof, required } };
  },
};

export const exportPublicKey: ActionHandler<RunRead & JournalAppend & TokenSession> = {
  needsSession: true,
  async advance(ctx) {
    const key = subjectKey(ctx);
    const spki = await ctx.token().exportPublicKey(ctx.session(), keyRefOf(key));
    if (b64(spki) !== key.spki) throw new KeyriteError('PUBLIC_KEY_MISMATCH', 'The token returns a different public key from the one recorded at generation.', { action: 'Stop and record a deviation; check which token is connected.' });
    const name = ctx.facts.successor ? 'successor-public-key.pem' : 'public-key.pem';
    await publishFile(ctx, name, spkiToPem(spki), { mode: PUBLIC_FILE_MODE });
    const fp = publicKeyFingerprint(spki);
    return { performed: [{ label: 'Written', value: name }, { label: 'Fingerprint (SHA-256)', value: fp.sha256Hex, mono: true }, { label: 'Read aloud', value: fp.pgpWords.join(' '), mono: true }], data: { file: name, fingerprint: fp.sha256Hex } };
  },
};

export function caProfile(ctx: RunRead): CaProfile {
  const c = ctx.script.certificate;
  if (!c) throw new KeyriteError('SCRIPT_INVALID', 'This step needs the script\'s certificate section.', { action: 'Add a certificate profile to the script.' });
  // The profile's extension fields (x509/profile-schema.ts) go through as they are; cross fields only to cross-sign.
  const { cross: _cross, ...fields } = c;
  return fields;
}

async function recordCertificate(ctx: RunRead & JournalAppend, file: string, cert: { pem: string; subject: string; serial: string; sha256: string; notBefore: string; notAfter: string; issuer: string }, role: string) {
  await publishFile(ctx, file, cert.pem, { mode: PUBLIC_FILE_MODE });
  const data = { subject: cert.subject, serial: cert.serial, sha256: cert.sha256, notBefore: cert.notBefore, notAfter: cert.notAfter, pem: cert.pem, role, issuer: cert.issuer, file };
  await ctx.append({ kind: 'certificate.issued', data });
  return [{ label: 'Certificate', value: `${file}: ${cert.subject}` }, { label: 'Issuer', value: cert.issuer }, { label: 'Serial', value: cert.serial, mono: true }, { label: 'SHA-256', value: cert.sha256, mono: true }];
}

/** A certificate this step already issued and journaled (a run killed before the step's result): published again, never issued twice. */
async function alreadyIssued(ctx: RunRead & JournalAppend, file: string, role: string) {
  const e = ctx.stepEntries().find((x) => x.kind === 'certificate.issued' && (x.data as { role?: string }).role === role);
  if (!e) return undefined;
  const d = e.data as { pem: string; subject: string; serial: string; sha256: string; issuer: string };
  await writeFileAtomic(path.join(ctx.outDir, file), d.pem, { mode: PUBLIC_FILE_MODE });
  return [{ label: 'Certificate', value: `${file}: ${d.subject}` }, { label: 'Issuer', value: d.issuer }, { label: 'Serial', value: d.serial, mono: true }, { label: 'SHA-256', value: d.sha256, mono: true }];
}

export const selfSignRoot: ActionHandler<RunRead & JournalAppend & TokenSession> = {
  needsSession: true,
  async advance(ctx) {
    const key = subjectKey(ctx);
    const issued = await alreadyIssued(ctx, ctx.facts.successor ? 'successor-root-cert.pem' : 'root-cert.pem', ctx.facts.successor ? 'successor-root' : 'root');
    if (issued) return { performed: issued };
    const cert = await issueRootCertificate({ signer: { token: ctx.token(), session: ctx.session(), key: keyRefOf(key), algorithm: key.algorithm }, spki: Buffer.from(key.spki, 'base64'), profile: caProfile(ctx), timing: ctx.timing });
    const successor = ctx.facts.successor !== undefined;
    return { performed: await recordCertificate(ctx, successor ? 'successor-root-cert.pem' : 'root-cert.pem', cert, successor ? 'successor-root' : 'root') };
  },
};

/** Rotation: the old key certifies the new one and the new key certifies the old one. */
export const crossSign: ActionHandler<RunRead & JournalAppend & TokenSession> = {
  needsSession: true,
  async advance(ctx) {
    const oldKey = ctx.facts.key;
    const newKey = ctx.facts.successor;
    if (!oldKey || !newKey || !ctx.facts.caCert) throw new KeyriteError('KEY_UNKNOWN', 'Cross-signing needs the old key with its certificate and the new key.', { action: 'Run with --from the folder of the ceremony that made the old key, after generating the successor.' });
    if (!ctx.facts.successorCert) throw new KeyriteError('CERT_MISSING', 'The successor has no self-signed certificate yet.', { action: 'Put a self-sign-root step before cross-sign.' });
    const profile: CaProfile = { ...caProfile(ctx), ...ctx.script.certificate?.cross, profile: 'cross' };
    const token = ctx.token();
    const session = ctx.session();
    const { X509Certificate } = await import('../../x509/lib');
    const oldCert = new X509Certificate(ctx.facts.caCert);
    const oldSubject = subjectOf(oldCert.subjectName.toJSON());
    const oldSignsNew = await issueSubordinateCertificate({ signer: { token, session, key: keyRefOf(oldKey), algorithm: oldKey.algorithm }, issuer: ctx.facts.caCert, subjectSpki: Buffer.from(newKey.spki, 'base64'), profile, timing: ctx.timing });
    const newSignsOld = await issueSubordinateCertificate({ signer: { token, session, key: keyRefOf(newKey), algorithm: newKey.algorithm }, issuer: ctx.facts.successorCert, subjectSpki: Buffer.from(oldKey.spki, 'base64'), profile: { ...profile, subject: oldSubject }, timing: ctx.timing });
    const facts = [
      ...(await recordCertificate(ctx, 'cross-old-signs-new.pem', oldSignsNew, 'cross-old-signs-new')),
      ...(await recordCertificate(ctx, 'cross-new-signs-old.pem', newSignsOld, 'cross-new-signs-old')),
    ];
    return { performed: facts };
  },
};

function subjectOf(json: Record<string, string[]>[]): CaProfile['subject'] {
  const get = (k: string) => json.find((r) => r[k])?.[k]?.[0];
  return { commonName: get('CN') ?? 'unknown', organization: get('O'), organizationalUnit: get('OU'), country: get('C') };
}
