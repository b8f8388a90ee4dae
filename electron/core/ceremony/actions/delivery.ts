/**
 * Share delivery as a file: `file` (age, to a passphrase the custodian chooses), `token` (RSA-OAEP, or ECDH
 * for an EC key, to the custodian's token key recorded in the script) or `age-recipient` (age, to the
 * custodian's own X25519 or post-quantum mlkem768x25519 recipient recorded in the script). The words are never
 * shown. Each written file is read back and opened (by its custodian with their passphrase, or their token and
 * PIN; an age-recipient file by Keyrite with the file key it just made, as the identity never enters the room)
 * before the next custodian's turn, so a share that cannot be opened is found in the room, not at recovery.
 * Journaled: share.delivered (file name and SHA-256) and share.verified; never a passphrase, PIN or share.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, promises as fsp } from 'node:fs';
import path from 'node:path';
import { KeyriteError } from '../../util/errors';
import { writeFileAtomic } from '../../util/fs-durable';
import {
  decryptAgeShare, encryptShareToPassphrase, encryptShareForCard, encryptShareToRecipient, findRecipientKey, openTokenShare,
  verifyShareAgainstBackup, type BackupFile, type ShareEnvelope, type ShareRecord,
} from '../../shares';
import { recipientOf } from '../custodian-recipient';
import { custodianFileName } from '../prior-run';
import { ENTRY_KINDS } from '../../transcript/entry-kinds';
import type { RunInput, RunNeed, ShareFileSink } from '../run-types';
import type { CustodianSpec } from '../script-schema';
import type { RunRead, JournalAppend, OtherTokens, ShareOffer, Progress } from '../step-context';

/** A passphrase a custodian must remember for years and type under stress: long beats clever. */
export const MIN_SHARE_PASSPHRASE_CHARS = 12;

/** A file written for a custodian in this run; the path stays in memory (the journal has the name). */
export interface DeliveredFile {
  path: string;
  sha256: string;
}

export interface Turn {
  backup: BackupFile;
  rec: ShareRecord;
  env: ShareEnvelope;
  custodian: CustodianSpec;
  position: number;
  total: number;
  delivered: Map<string, DeliveredFile>;
}

type Medium = 'file' | 'token' | 'age-recipient';

/** OUT/custody/<name>: where files go when the run was given no sink (headless default). */
export function custodyDirSink(dir: string): ShareFileSink {
  return async ({ suggestedName, content }) => {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const target = path.join(dir, suggestedName);
    // An earlier file of this name is from a split declared void (the run was interrupted): replacing it destroys it.
    await writeFileAtomic(target, content, { mode: 0o600 });
    return target;
  };
}

export function suggestedShareFileName(ceremonyId: string, custodian: string, delivery: Medium): string {
  return `${ceremonyId}-${custodianFileName(custodian)}.keyrite-share.${delivery === 'token' ? 'json' : 'age'}`;
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

function notYourTurn(custodian: string): KeyriteError {
  return new KeyriteError('INPUT_NOT_EXPECTED', `It is ${custodian}'s turn.`, { action: 'Follow the hand-off order on screen.' });
}

async function writeShareFile(ctx: RunRead & JournalAppend & ShareOffer, t: Turn, content: string, medium: Medium, extra: Record<string, string> = {}): Promise<void> {
  const sink = ctx.shareFileSink ?? custodyDirSink(path.join(ctx.outDir, 'custody'));
  // A share to an EC P-256 card is an age file (p256tag): named .age like a passphrase share.
  const suggestedName = suggestedShareFileName(ctx.script.id, t.rec.custodian, content.startsWith('-----BEGIN AGE ENCRYPTED FILE-----') ? 'file' : medium);
  const written = await sink({ custodian: t.rec.custodian, suggestedName, content });
  const file: DeliveredFile = { path: written, sha256: sha256(content) };
  await ctx.append({ kind: ENTRY_KINDS.shareDelivered, actor: { role: 'custodian', name: t.rec.custodian }, data: {
    custodian: t.rec.custodian, index: t.rec.index, fingerprint: t.rec.fingerprint, splitId: t.backup.split.id, medium,
    fileName: path.basename(written), sha256: file.sha256, ...extra,
  } });
  t.delivered.set(t.rec.custodian, file);
}

/** Reads the written file back, as the custodian will find it on their media. */
async function readBack(t: Turn): Promise<{ text: string; fileName: string }> {
  const file = t.delivered.get(t.rec.custodian)!;
  const fileName = path.basename(file.path);
  let text: string;
  try {
    text = await fsp.readFile(file.path, 'utf8');
  } catch {
    throw new KeyriteError('SHARE_FILE_UNREADABLE', `${t.rec.custodian}'s share file ${fileName} cannot be read back.`, {
      action: 'Put the custodian\'s media back in (the file must stay where it was saved), then try again.',
    });
  }
  if (sha256(text) !== file.sha256) {
    throw new KeyriteError('SHARE_FILE_CHANGED', `${t.rec.custodian}'s share file ${fileName} is not the file written a moment ago.`, {
      action: 'Stop and find out what changed the file. The share cannot be checked; record a deviation.',
    });
  }
  return { text, fileName };
}

/** The opened envelope must be this custodian's share of this split (commitment in the backup). */
/**
 * `how`: the custodian opened it (passphrase: `file`; their token: `token`), or Keyrite did with the file key it
 * made (`openedBy`), which proves the file holds the share but not that the custodian can open it: no `method` then.
 */
async function confirmOpened(ctx: JournalAppend, t: Turn, opened: ShareEnvelope, fileName: string, how: { method: 'file' | 'token' } | { openedBy: string }): Promise<void> {
  let ok: boolean;
  try {
    ok = verifyShareAgainstBackup(t.backup, { envelope: opened }).custodian === t.rec.custodian;
  } catch {
    ok = false;
  } finally {
    opened.share.fill(0);
  }
  await ctx.append({ kind: 'share.verified', actor: 'openedBy' in how ? { role: 'system', name: 'keyrite' } : { role: 'custodian', name: t.rec.custodian }, data: {
    custodian: t.rec.custodian, index: t.rec.index, fingerprint: t.rec.fingerprint, ok, splitId: t.backup.split.id, ...how, fileName,
  } });
  if (!ok) {
    throw new KeyriteError('SHARE_VERIFY_FAILED', `The share in ${fileName} is not ${t.rec.custodian}'s share #${t.rec.index}.`, {
      action: 'Stop: the written file does not hold the share it should. Record a deviation; the split must be made again.',
    });
  }
}

/** The `file` delivery: passphrase -> age file written -> passphrase again -> the file opens. */
export async function fileHandOut(ctx: RunRead & JournalAppend & ShareOffer & Progress, t: Turn, input: RunInput | undefined): Promise<RunNeed | 'verified'> {
  const name = t.rec.custodian;
  // Before the check, the custodian may choose the passphrase again (they cannot repeat the first):
  // the share is encrypted afresh and written again; the journal keeps both deliveries, the check names the file.
  if (!t.delivered.has(name) || input?.kind === 'share-file') {
    if (input?.kind === 'share-file') {
      if (input.custodian !== name) throw notYourTurn(name);
      if (input.passphrase.length < MIN_SHARE_PASSPHRASE_CHARS) {
        throw new KeyriteError('SHARE_PASSPHRASE_TOO_SHORT', `The passphrase is shorter than ${MIN_SHARE_PASSPHRASE_CHARS} characters.`, {
          action: `${name} chooses a passphrase of at least ${MIN_SHARE_PASSPHRASE_CHARS} characters (a few words they will remember).`,
        });
      }
      ctx.progress(`Encrypting ${name}'s share to their passphrase (scrypt, a few seconds)`, null);
      await writeShareFile(ctx, t, await encryptShareToPassphrase(t.env, input.passphrase), 'file');
      input = undefined;
    } else if (input !== undefined) throw notYourTurn(name);
    else return { kind: 'share-file', custodian: name, position: t.position, total: t.total, minPassphraseChars: MIN_SHARE_PASSPHRASE_CHARS };
  }
  const fileName = path.basename(t.delivered.get(name)!.path);
  if (input?.kind === 'verify-share-file') {
    if (input.custodian !== name) throw notYourTurn(name);
    const back = await readBack(t);
    ctx.progress(`Opening ${name}'s share file with their passphrase`, null);
    await confirmOpened(ctx, t, await decryptAgeShare(back.text, input.passphrase), back.fileName, { method: 'file' });
    return 'verified';
  }
  if (input !== undefined) throw notYourTurn(name);
  return { kind: 'verify-share-file', custodian: name, fileName, minPassphraseChars: MIN_SHARE_PASSPHRASE_CHARS };
}

/** Opens a token share on the custodian's token by serial: one login with their PIN, the session closed after. */
export async function openOnCustodianToken(ctx: RunRead & OtherTokens, tokenSerial: string, pin: string, fileText: string): Promise<ShareEnvelope> {
  const { api, session, close } = await ctx.openOtherToken({ module: ctx.script.token.module, serial: tokenSerial }, pin);
  try {
    return await openTokenShare(api, session, await findRecipientKey(api, session, fileText), fileText);
  } finally {
    await close();
  }
}

/** The `token` delivery: fingerprint compared -> file written -> opened on the custodian's token with their PIN. */
export async function tokenHandOut(ctx: RunRead & JournalAppend & OtherTokens & ShareOffer & Progress, t: Turn, input: RunInput | undefined): Promise<RunNeed | 'verified'> {
  // actions/backup.ts hands every delivery other than paper and file to this function.
  if (t.custodian.delivery === 'age-recipient') return ageRecipientHandOut(ctx, t, input);
  const name = t.rec.custodian;
  const spec = t.custodian.recipient;
  if (!spec) throw new KeyriteError('SCRIPT_INVALID', `${name}'s delivery is token but the script records no recipient key.`, { action: 'Add backup.custodians[].recipient to the script.' });
  const recipient = recipientOf(spec);
  if (!t.delivered.has(name)) {
    if (input?.kind === 'share-token') {
      if (input.custodian !== name) throw notYourTurn(name);
      const content = await encryptShareForCard(t.env, recipient.spki, spec.keyLabel ? { keyLabel: spec.keyLabel } : {});
      await writeShareFile(ctx, t, content, 'token');
      input = undefined;
    } else if (input !== undefined) throw notYourTurn(name);
    else return { kind: 'share-token', custodian: name, position: t.position, total: t.total, recipient: recipient.facts };
  }
  const fileName = path.basename(t.delivered.get(name)!.path);
  if (input?.kind === 'verify-share-token') {
    if (input.custodian !== name) throw notYourTurn(name);
    const back = await readBack(t);
    await confirmOpened(ctx, t, await openOnCustodianToken(ctx, input.tokenSerial, input.pin, back.text), back.fileName, { method: 'token' });
    return 'verified';
  }
  if (input !== undefined) throw notYourTurn(name);
  return { kind: 'verify-share-token', custodian: name, fileName, recipient: recipient.facts, tries: null };
}

/**
 * The `age-recipient` delivery: the share encrypted to the custodian's age recipient from the script, written,
 * read back and opened with the file key just made (the custodian's identity stays with them). No input.
 */
export async function ageRecipientHandOut(ctx: RunRead & JournalAppend & ShareOffer & Progress, t: Turn, input: RunInput | undefined): Promise<'verified'> {
  const name = t.rec.custodian;
  if (input !== undefined) throw notYourTurn(name);
  const recipient = t.custodian.ageRecipient;
  if (!recipient) throw new KeyriteError('SCRIPT_INVALID', `${name}'s delivery is age-recipient but the script records no age recipient.`, { action: 'Add backup.custodians[].recipient (age1pq1... or age1...) to the script.' });
  ctx.progress(`Encrypting ${name}'s share to their age recipient`, null);
  const sealed = await encryptShareToRecipient(t.env, recipient);
  await writeShareFile(ctx, t, sealed.text, 'age-recipient', { recipientType: sealed.kind });
  const back = await readBack(t);
  await confirmOpened(ctx, t, await sealed.selfCheck(back.text), back.fileName, { openedBy: 'the file key Keyrite made' });
  return 'verified';
}
