import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { KeyriteError } from '../../util/errors';
import { publishFile } from '../publish-file';
import { PUBLIC_FILE_MODE } from '../../util/fs-durable';
import { spkiToPem, verifySignature } from '../../token/verify';
import { issueCrl, issueFromCsr } from '../../x509/certificates';
import type { SessionId, SignatureScheme, TokenApi } from '../../token/types';
import type { TokenInfo } from '../run-facts';
import { ENTRY_KINDS } from '../../transcript/entry-kinds';
import { keyRefOf, type ActionHandler, type RunRead, type JournalAppend, type IrreversibleOps, type TokenSession, type OtherTokens, type StepScratch } from '../step-context';
import { caProfile, subjectKey } from './keygen';
import { lifecycleData } from './basic';

function readInput(ctx: RunRead, rel: string): Buffer {
  const file = path.resolve(ctx.scriptDir, rel);
  try {
    return readFileSync(file);
  } catch (e) {
    throw new KeyriteError('INPUT_FILE_UNREADABLE', `Cannot read ${file}: ${(e as Error).message}`, { action: 'Check the path in the script\'s signing section (relative to the script).' });
  }
}

function issuerCert(ctx: RunRead): string {
  if (!ctx.facts.caCert) throw new KeyriteError('CERT_MISSING', 'The issuing CA certificate is not known.', { action: 'Run with --from the folder of the ceremony that made the root certificate.' });
  return ctx.facts.caCert;
}

async function certFacts(ctx: RunRead & JournalAppend, file: string, cert: { pem: string; subject: string; serial: string; sha256: string; notBefore: string; notAfter: string; issuer: string }, role: string) {
  await publishFile(ctx, file, cert.pem, { mode: PUBLIC_FILE_MODE });
  const data = { subject: cert.subject, serial: cert.serial, sha256: cert.sha256, notBefore: cert.notBefore, notAfter: cert.notAfter, pem: cert.pem, role, issuer: cert.issuer, file };
  await ctx.append({ kind: 'certificate.issued', data });
  return [{ label: 'Certificate', value: `${file}: ${cert.subject}` }, { label: 'Serial', value: cert.serial, mono: true }, { label: 'SHA-256', value: cert.sha256, mono: true }];
}

export const signCertificate: ActionHandler<RunRead & JournalAppend & TokenSession> = {
  needsSession: true,
  async advance(ctx) {
    const key = subjectKey(ctx);
    const csr = readInput(ctx, ctx.script.signing!.csr!);
    const text = csr.toString('utf8');
    const cert = await issueFromCsr({ signer: { token: ctx.token(), session: ctx.session(), key: keyRefOf(key), algorithm: key.algorithm }, issuer: issuerCert(ctx), csr: text.includes('-----BEGIN') ? text : new Uint8Array(csr), profile: caProfile(ctx), timing: ctx.timing });
    await publishFile(ctx, 'issuer-cert.pem', issuerCert(ctx), { mode: PUBLIC_FILE_MODE });
    return { performed: await certFacts(ctx, 'intermediate-cert.pem', cert, 'intermediate') };
  },
};

export const signCrl: ActionHandler<RunRead & JournalAppend & TokenSession> = {
  needsSession: true,
  async advance(ctx) {
    const key = subjectKey(ctx);
    const s = ctx.script.signing!;
    const crl = await issueCrl({
      signer: { token: ctx.token(), session: ctx.session(), key: keyRefOf(key), algorithm: key.algorithm }, issuer: issuerCert(ctx),
      revoked: s.revoked, thisUpdate: ctx.now(), nextUpdateDays: s.nextUpdateDays, crlNumber: s.crlNumber, hash: s.digest, timing: ctx.timing,
      kind: s.crlProfile, distributionPoint: s.distributionPoint,
    });
    await publishFile(ctx, 'crl.pem', crl.pem, { mode: PUBLIC_FILE_MODE });
    await publishFile(ctx, 'issuer-cert.pem', issuerCert(ctx), { mode: PUBLIC_FILE_MODE });
    await ctx.append({ kind: ENTRY_KINDS.crlIssued, data: { sha256: crl.sha256, thisUpdate: crl.thisUpdate, nextUpdate: crl.nextUpdate, crlNumber: crl.crlNumber, revoked: crl.revoked, file: 'crl.pem' } });
    return { performed: [{ label: s.crlProfile === 'arl' ? 'ARL' : 'CRL', value: `crl.pem, number ${crl.crlNumber}, ${crl.revoked} revoked, next update ${crl.nextUpdate}` }, { label: 'SHA-256', value: crl.sha256, mono: true }] };
  },
};

function artifactScheme(algorithm: string, digest: 'sha256' | 'sha384'): SignatureScheme {
  if (algorithm === 'ed25519') return 'ed25519';
  if (algorithm.startsWith('rsa-')) return `rsa-pkcs1-${digest}`;
  return `ecdsa-${digest}`;
}

/**
 * Signs a file: the token hashes it with SHA-256/384 and signs (detached signature, DER for ECDSA,
 * as `openssl dgst -verify` reads it). Ed25519 signs the file itself (PureEdDSA has no prehash).
 */
export const signArtifact: ActionHandler<RunRead & JournalAppend & TokenSession> = {
  needsSession: true,
  async advance(ctx) {
    const key = subjectKey(ctx);
    const s = ctx.script.signing!;
    const data = readInput(ctx, s.artifact!);
    const name = path.basename(s.artifact!);
    const scheme = artifactScheme(key.algorithm, s.digest);
    const sig = await ctx.token().sign(ctx.session(), keyRefOf(key), scheme, new Uint8Array(data));
    const spki = Buffer.from(key.spki, 'base64');
    if (!verifySignature(spki, scheme, new Uint8Array(data), sig)) {
      throw new KeyriteError('ARTIFACT_SIGNATURE_INVALID', 'The token\'s signature on the artifact does not verify with the key\'s public key.', { action: 'Do not publish it; check the key on the token and sign again.' });
    }
    const digest = createHash(s.digest).update(data).digest('hex');
    await publishFile(ctx, name, data);
    await publishFile(ctx, `${name}.sig`, sig);
    await publishFile(ctx, 'signing-key.pem', spkiToPem(spki), { mode: PUBLIC_FILE_MODE });
    const verify = key.algorithm === 'ed25519'
      ? `openssl pkeyutl -verify -pubin -inkey signing-key.pem -rawin -in ${name} -sigfile ${name}.sig`
      : `openssl dgst -${s.digest} -verify signing-key.pem -signature ${name}.sig ${name}`;
    await publishFile(ctx, `${name}.verify.txt`, `# Verify the detached signature (from this folder, with the artifact beside it):\n${verify}\n`);
    await ctx.append({ kind: ENTRY_KINDS.artifactSigned, data: { artifact: name, digest: s.digest, hash: digest, scheme, signatureFile: `${name}.sig`, verify, keyFingerprint: key.fingerprint } });
    return { performed: [{ label: 'Artifact', value: `${name} (${s.digest} ${digest})`, mono: true }, { label: 'Signature', value: `${name}.sig` }, { label: 'Verify with', value: verify, mono: true }] };
  },
};

/**
 * Destroys the key's objects (private and public) on the script's token and on every token in
 * `otherTokens`, and proves they are gone by searching each by CKA_ID and by label. Backup and
 * shares are declared destroyed in the transcript.
 */
export const destroyKeys: ActionHandler<RunRead & JournalAppend & IrreversibleOps & TokenSession & OtherTokens & StepScratch> = {
  needsSession: true,
  async advance(ctx, input) {
    const key = ctx.facts.key;
    if (!key) throw new KeyriteError('KEY_UNKNOWN', 'No key is known to destroy.', { action: 'Run with --from the folder of the ceremony that made or last used the key.' });
    const targets: Target[] = [{ label: ctx.facts.token?.label ?? ctx.script.token.label ?? '', api: ctx.token(), session: ctx.session(), info: ctx.facts.token }];
    for (const sel of ctx.script.otherTokens ?? []) {
      const name = sel.label ?? sel.serial ?? '';
      let open = ctx.scratch.get(`token:${name}`) as Target | undefined;
      if (!open) {
        if (input?.kind !== 'pin') return { need: { kind: 'pin', who: ctx.script.participants.find((p) => p.role === 'administrator')?.name ?? null, token: name, userType: 'user', tries: null } };
        const o = await ctx.openOtherToken(sel, input.pin);
        input = undefined;
        open = { label: name, api: o.api, session: o.session, info: o.info };
        ctx.scratch.set(`token:${name}`, open);
      }
      targets.push(open);
    }
    const facts = [];
    for (const t of targets) {
      for (const intent of ctx.intents('destroyObjects', 'open').filter((i) => i.detail.tokenLabel === t.label)) {
        const left = await t.api.findKeys(t.session, { id: key.id });
        await ctx.resolveIntent(intent.opId, left.length === 0, { remaining: left.length, note: 'looked up by CKA_ID after an interruption' });
      }
      const objects = (await t.api.findKeys(t.session, { id: key.id })).filter((o) => o.class === 'private' || o.class === 'public');
      if (objects.length > 0) {
        await ctx.irreversible('destroyObjects', { ckaId: key.id, label: key.label, objects: objects.map((o) => o.class), tokenLabel: t.label, token: t.info }, async () => {
          for (const o of objects) await t.api.destroyObject(t.session, { id: o.id, label: o.label }, o.class);
        });
      }
      const byId = await t.api.findKeys(t.session, { id: key.id });
      const byLabel = await t.api.findKeys(t.session, { label: key.label });
      if (byId.length > 0 || byLabel.length > 0) {
        throw new KeyriteError('KEY_NOT_DESTROYED', `Objects of key ${key.label} are still on token ${t.label} (${byId.length} by CKA_ID, ${byLabel.length} by label).`, { action: 'Check the token; run the step again.' });
      }
      await ctx.append({ kind: ENTRY_KINDS.keyDestroyed, data: { id: key.id, label: key.label, fingerprint: key.fingerprint, token: t.info ?? { label: t.label }, destroyed: objects.length, searched: { byId: 0, byLabel: 0 } } });
      facts.push({ label: 'Destroyed', value: `${key.label} (CKA_ID ${key.id}) on ${t.label}: ${objects.length} object(s); search by CKA_ID and by label finds nothing` });
    }
    const priorBackup = ctx.prior?.backupText ? (JSON.parse(ctx.prior.backupText) as { sealed?: { key?: { id?: string } }; split?: { id?: string; shares?: { custodian: string }[] } }) : undefined;
    // The backup file given names its key: only the backup of this very key is named here.
    const backupSplit = priorBackup?.sealed?.key?.id === key.id ? priorBackup.split : undefined;
    await ctx.append({ kind: ENTRY_KINDS.backupDestroyed, data: {
      keyFingerprint: key.fingerprint, ...(backupSplit ? { splitId: backupSplit.id, custodians: (backupSplit.shares ?? []).map((s) => s.custodian) } : {}),
      declaration: 'every backup file and share of this key declared destroyed',
    } });
    await ctx.append({ kind: ENTRY_KINDS.keyLifecycle, data: lifecycleData(ctx, key, 'destroyed', `key objects destroyed on ${targets.map((t) => t.label).join(', ')}; backup and shares declared destroyed`) });
    return { performed: [...facts, { label: 'Backup', value: `every backup and share of this key declared destroyed${backupSplit ? ` (split ${backupSplit.id})` : ''}` }] };
  },
};

interface Target {
  label: string;
  api: TokenApi;
  session: SessionId;
  info: TokenInfo | undefined;
}
