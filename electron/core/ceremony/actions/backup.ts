/**
 * Backup and reshare steps (entering shares and recovery: recover.ts). Shares live in memory only while being handed out (and, in
 * rehearsals, in shares/<custodian>.txt); the transcript records fingerprints, never shares.
 * An interruption loses the shares in memory: the split is declared void (a deviation) and made
 * again, because an unverified hand-off cannot be trusted.
 */
import { createHash, randomInt } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { KeyriteError } from '../../util/errors';
import { publishFile } from '../publish-file';
import {
  createBackup, backupTranscriptData, encodeShareWords, formatShareSheet, lookupWord, renderShareQrSvg,
  reshare, serializeBackupFile, shareFingerprint, SHARE_WORDS, type BackupFile, type ShareEnvelope,
} from '../../shares';
import { collectShares, RECOVERY } from './recover';
import { fileHandOut, tokenHandOut, type DeliveredFile } from './delivery';
import { custodianFileName } from '../prior-run';
import { ENTRY_KINDS } from '../../transcript/entry-kinds';
import type { RunInput } from '../run-types';
import { keyRefOf, type ActionHandler, type StepOutcome, type RunRead, type JournalAppend, type IrreversibleOps, type TokenSession, type OtherTokens, type ShareOffer, type StepScratch, type Progress } from '../step-context';
import { subjectKey } from './keygen';
import { lockKey, locksHere } from './lock';

interface Handout {
  backup: BackupFile;
  shares: ShareEnvelope[];
  positions?: number[];
  /** Files written for `file` and `token` deliveries, by custodian. */
  delivered: Map<string, DeliveredFile>;
}

const HANDOUT = 'handout';
const VERIFY_WORDS = 4;

function splitIdOf(e: { data: unknown }): string | undefined {
  return (e.data as { splitId?: string }).splitId;
}

/** Writes backup.json (and the rehearsal share files), journals backup.created, keeps shares in memory. */
async function publishBackup(ctx: RunRead & JournalAppend & StepScratch, created: { backup: BackupFile; shares: ShareEnvelope[] }): Promise<void> {
  const { backup, shares } = created;
  await publishFile(ctx, 'backup.json', serializeBackupFile(backup));
  if (ctx.rehearsal) {
    const dir = path.join(ctx.outDir, 'shares');
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    for (const [i, s] of shares.entries()) {
      const rec = backup.split.shares[i]!;
      await publishFile(ctx, path.join('shares', `${custodianFileName(rec.custodian)}.txt`), formatShareSheet(s, { custodian: rec.custodian, ceremonyId: ctx.script.id, index: rec.index }), { mode: 0o600 });
    }
  }
  const delivery = new Map((ctx.script.backup?.custodians ?? []).map((c) => [c.name, c.delivery]));
  await ctx.append({ kind: 'backup.created', data: {
    ...backupTranscriptData(backup),
    k: backup.split.k, n: backup.split.n, splitId: backup.split.id,
    commitments: Object.fromEntries(backup.split.shares.map((s) => [s.custodian, s.commitment])),
    shares: backup.split.shares.map((s) => ({ custodian: s.custodian, index: s.index, fingerprint: s.fingerprint, medium: delivery.get(s.custodian) ?? 'paper' })),
    keyFingerprint: subjectKey(ctx).fingerprint,
    wrappedKeySha256: createHash('sha256').update(Buffer.from(backup.sealed.wrapping.wrappedKey, 'base64')).digest('hex'),
  } });
  ctx.scratch.set(HANDOUT, { backup, shares, delivered: new Map() } satisfies Handout);
}

/** Voids a split whose hand-off an interruption cut short. */
async function voidInterruptedSplit(ctx: JournalAppend): Promise<void> {
  const entries = ctx.stepEntries();
  const created = entries.filter((e) => e.kind === 'backup.created');
  const last = created[created.length - 1];
  if (!last) return;
  const splitId = splitIdOf(last);
  await ctx.append({ kind: 'deviation', actor: { role: 'system', name: 'keyrite' }, data: {
    who: 'keyrite', why: `The run was interrupted before every share of split ${splitId} was handed over and checked; the shares were lost from memory.`,
    action: `Split ${splitId} is void: any share of it already handed out must be destroyed. A new split is made.`,
  } });
}

/** 1-based share positions whose re-entered word is missing, unknown or not the share's word. */
export function wrongWordPositions(shareWords: readonly string[], positions: readonly number[], entered: readonly string[]): number[] {
  return positions.filter((p, i) => {
    const typed = lookupWord(entered[i] ?? '');
    return typed === undefined || typed !== lookupWord(shareWords[p - 1] ?? '');
  });
}

async function handOut(ctx: RunRead & JournalAppend & OtherTokens & ShareOffer & StepScratch & Progress, input: RunInput | undefined): Promise<StepOutcome> {
  const h = ctx.scratch.get(HANDOUT) as Handout;
  const splitId = h.backup.split.id;
  const verified = new Set(ctx.stepEntries().filter((e) => e.kind === 'share.verified' && splitIdOf(e) === splitId && (e.data as { ok: boolean }).ok).map((e) => (e.data as { custodian: string }).custodian));
  const shown = new Set(ctx.stepEntries().filter((e) => e.kind === ENTRY_KINDS.shareShown && splitIdOf(e) === splitId).map((e) => (e.data as { custodian: string }).custodian));
  const order = h.backup.split.shares;
  const nextIdx = order.findIndex((s) => !verified.has(s.custodian));
  if (nextIdx < 0) {
    for (const s of h.shares) s.share.fill(0);
    ctx.scratch.delete(HANDOUT);
    ctx.offerShare(null);
    return { performed: [
      { label: 'Backup', value: `${h.backup.split.k}-of-${h.backup.split.n}, split ${splitId}, written to backup.json` },
      ...order.map((s) => ({ label: `Share #${s.index}`, value: `${s.custodian}: handed over and checked (${s.fingerprint})` })),
    ], data: { splitId } };
  }
  const rec = order[nextIdx]!;
  const env = h.shares[nextIdx]!;
  const custodian = ctx.script.backup?.custodians.find((c) => c.name === rec.custodian) ?? { name: rec.custodian, delivery: 'paper' as const };
  const delivery = custodian.delivery;
  if (delivery !== 'paper') {
    const turn = { backup: h.backup, rec, env, custodian, position: nextIdx + 1, total: order.length, delivered: h.delivered };
    const got = delivery === 'file' ? await fileHandOut(ctx, turn, input) : await tokenHandOut(ctx, turn, input);
    return got === 'verified' ? handOut(ctx, undefined) : { need: got };
  }
  if (input?.kind === 'share-shown' && input.custodian === rec.custodian && !shown.has(rec.custodian)) {
    await ctx.append({ kind: ENTRY_KINDS.shareShown, actor: { role: 'custodian', name: rec.custodian }, data: { custodian: rec.custodian, index: rec.index, fingerprint: rec.fingerprint, splitId, delivery } });
    ctx.offerShare(null);
    shown.add(rec.custodian);
    h.positions = undefined;
  } else if (input?.kind === 'verify-share' && input.custodian === rec.custodian && h.positions) {
    const wrongPositions = wrongWordPositions(encodeShareWords(env), h.positions, input.words);
    const ok = wrongPositions.length === 0;
    await ctx.append({ kind: 'share.verified', actor: { role: 'custodian', name: rec.custodian }, data: {
      custodian: rec.custodian, index: rec.index, fingerprint: rec.fingerprint, ok, splitId, method: 'words', positions: h.positions, ...(ok ? {} : { wrongPositions }),
    } });
    if (!ok) {
      const which = wrongPositions.length === 1 ? `word ${wrongPositions[0]}` : `words ${wrongPositions.join(', ')}`;
      throw new KeyriteError('SHARE_VERIFY_FAILED', `${rec.custodian}'s ${which} (of the ${h.positions.length} asked: ${h.positions.join(', ')}) do${wrongPositions.length === 1 ? 'es' : ''} not match their share.`, {
        action: `${rec.custodian} reads ${which} on their sheet again (counting from 1) and re-enters the words asked.`,
        details: { wrongPositions, positions: h.positions },
      });
    }
    return handOut(ctx, undefined);
  } else if (input !== undefined) {
    throw new KeyriteError('INPUT_NOT_EXPECTED', `It is ${rec.custodian}'s turn.`, { action: 'Follow the hand-off order on screen.' });
  }
  if (!shown.has(rec.custodian)) {
    ctx.offerShare({ custodian: rec.custodian, words: encodeShareWords(env), qrSvg: await renderShareQrSvg(env), fingerprint: shareFingerprint(env), delivery });
    return { need: { kind: 'show-share', custodian: rec.custodian, delivery, position: nextIdx + 1, total: order.length } };
  }
  if (!h.positions) {
    const picks = new Set<number>();
    while (picks.size < VERIFY_WORDS) picks.add(randomInt(1, SHARE_WORDS + 1));
    h.positions = [...picks].sort((a, b) => a - b);
  }
  return { need: { kind: 'verify-share', custodian: rec.custodian, delivery, positions: h.positions, wordCount: SHARE_WORDS } };
}

/**
 * The last split when every one of its shares was verified (a run interrupted between the last
 * check and the lock): the backup is settled, so the step goes on to the lock, never to a new wrap.
 */
function settledSplit(ctx: JournalAppend): StepOutcome | undefined {
  const entries = ctx.stepEntries();
  const last = entries.filter((e) => e.kind === 'backup.created').at(-1);
  if (!last) return undefined;
  const b = last.data as { splitId: string; k: number; n: number; shares: { custodian: string; index: number; fingerprint: string }[] };
  const verified = new Set(entries.filter((e) => e.kind === 'share.verified' && splitIdOf(e) === b.splitId && (e.data as { ok: boolean }).ok).map((e) => (e.data as { custodian: string }).custodian));
  if (!b.shares.every((s) => verified.has(s.custodian))) return undefined;
  return { performed: [
    { label: 'Backup', value: `${b.k}-of-${b.n}, split ${b.splitId}, written to backup.json` },
    ...b.shares.map((s) => ({ label: `Share #${s.index}`, value: `${s.custodian}: handed over and checked (${s.fingerprint})` })),
  ], data: { splitId: b.splitId } };
}

/** Once every share is verified, the key is locked before the step is done (actions/lock.ts). */
async function thenLock(ctx: RunRead & JournalAppend & IrreversibleOps & TokenSession & Progress, outcome: StepOutcome): Promise<StepOutcome> {
  if ('need' in outcome || !locksHere(ctx)) return outcome;
  return { ...outcome, performed: [...outcome.performed, ...(await lockKey(ctx, subjectKey(ctx), { restored: false }))] };
}

export const backupStep: ActionHandler<RunRead & JournalAppend & IrreversibleOps & TokenSession & OtherTokens & ShareOffer & StepScratch & Progress> = {
  needsSession: true,
  async advance(ctx, input) {
    if (ctx.scratch.has(HANDOUT)) return thenLock(ctx, await handOut(ctx, input));
    const settled = settledSplit(ctx);
    if (settled) return thenLock(ctx, settled);
    await voidInterruptedSplit(ctx);
    // No intent: the wrapping key is a session object, so nothing made here outlives the session
    // and an interrupted backup leaves nothing on the token to reconcile.
    const spec = ctx.script.backup!;
    const key = subjectKey(ctx);
    ctx.progress('Wrapping the key and splitting the wrapping key', null);
    const t0 = performance.now();
    const created = await createBackup(ctx.token(), ctx.session(), {
      ceremonyId: ctx.script.id, rootKey: keyRefOf(key), algorithm: key.algorithm, spki: Buffer.from(key.spki, 'base64'),
      k: spec.k, custodians: spec.custodians.map((c) => c.name), now: ctx.now(),
      // Every split an interruption voided is named in the new one, so a void share is refused by name.
      voids: ctx.stepEntries().filter((e) => e.kind === 'backup.created').map((e) => ({ splitId: splitIdOf(e)!, voidedBy: ctx.script.id, at: ctx.now().toISOString() })),
    });
    ctx.timing.tokenMs += performance.now() - t0;
    await publishBackup(ctx, created);
    return thenLock(ctx, await handOut(ctx, undefined));
  },
};

export const reshareStep: ActionHandler<RunRead & JournalAppend & OtherTokens & ShareOffer & StepScratch & Progress> = {
  needsSession: false,
  async advance(ctx, input) {
    if (ctx.scratch.has(HANDOUT)) return handOut(ctx, input);
    if (ctx.stepEntries().some((e) => e.kind === 'backup.created')) await voidInterruptedSplit(ctx);
    const got = await collectShares(ctx, input);
    if ('need' in got) return got.need;
    const spec = ctx.script.backup!;
    const made = await reshare(got, { k: spec.k, custodians: spec.custodians.map((c) => c.name), ceremonyId: ctx.script.id, now: ctx.now() });
    got.dispose();
    ctx.scratch.delete(RECOVERY);
    await publishBackup(ctx, made);
    return handOut(ctx, undefined);
  },
};
