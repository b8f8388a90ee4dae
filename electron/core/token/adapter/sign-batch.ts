/**
 * signMany: many messages signed with one key in one host call. The session, scheme and key are
 * resolved once, then one C_SignInit + C_Sign per message in a plain loop; the caller gets one reply
 * for the whole batch, so no reply is serialised between two signatures.
 */
import { createHash } from 'node:crypto';
import { KeyriteError, toErrorData } from '../../util/errors';
import type { KeyRef, SessionId, SignatureScheme } from '../types';
import { ecdsaRawToDer } from '../verify';
import type { AdapterContext } from './context';
import { checkKeyType, signPlan } from './sign';

/**
 * A failure at item `index`: `signed` holds the signatures of items 0..index-1 (in order, valid, the
 * token made them), the failing item's own error is in `cause`, and its CKR facts are copied to the
 * top level so a caller reads `ckr` and `outcomeUnknown` as it would from a single sign.
 */
export function batchItemFailed(index: number, total: number, signed: Uint8Array[], e: unknown): KeyriteError {
  const cause = toErrorData(e);
  const inner = cause.details ?? {};
  const details: Record<string, unknown> = { index, total, signed, cause };
  for (const k of ['ckr', 'function', 'outcomeUnknown'] as const) if (inner[k] !== undefined) details[k] = inner[k];
  return new KeyriteError('SIGN_BATCH_ITEM_FAILED', `Signing item ${index} of a batch of ${total} failed (${cause.code}): ${cause.message} Items 0 to ${index - 1} were signed.`, {
    action: cause.action ?? 'Check the item and the token, then sign the remaining items again.',
    details,
  });
}

function notBytes(index: number): KeyriteError {
  return new KeyriteError('SIGN_BATCH_ITEM_INVALID', `Item ${index} of the batch is not a byte string.`, {
    action: 'This is a bug in Keyrite: every message to sign must be a Uint8Array. Report it.',
    details: { index },
  });
}

export function signMany(ctx: AdapterContext, id: SessionId, key: KeyRef, scheme: SignatureScheme, messages: readonly Uint8Array[]): Uint8Array[] {
  // Whole-batch problems come first and unchanged (the same errors sign gives): nothing is signed.
  const s = ctx.session(id);
  const plan = signPlan(scheme);
  if (!Array.isArray(messages)) {
    throw new KeyriteError('SIGN_BATCH_INVALID', 'The batch to sign is not a list of byte strings.', { action: 'This is a bug in Keyrite: signMany takes an array of Uint8Array. Report it.' });
  }
  const signed: Uint8Array[] = [];
  let current = -1;
  try {
    if (messages.length === 0) return signed;
    ctx.withKey(s.handle, key, 'private', (h) => {
      checkKeyType(ctx, s.handle, h, plan, key, scheme);
      // A retry with a fresh handle (stale cache) resumes at the first unsigned item, never signs one twice.
      const out = Buffer.alloc(1024);
      // One typed-error wrapper around the whole loop (pkcs11js names C_SignInit or C_Sign itself):
      // the loop body is only the token's work and the encoding.
      ctx.call('C_Sign', () => {
        for (let i = signed.length; i < messages.length; i++) {
          current = i;
          const m = messages[i];
          if (!(m instanceof Uint8Array)) throw notBytes(i);
          const input = plan.prehash ? createHash(plan.prehash).update(m).digest() : Buffer.from(m.buffer, m.byteOffset, m.byteLength);
          ctx.p.C_SignInit(s.handle, plan.mechanism, h);
          const sig = ctx.p.C_Sign(s.handle, input, out);
          // C_Sign returns a view of `out`: both branches copy before the next item overwrites it.
          signed.push(plan.prehash ? ecdsaRawToDer(sig) : new Uint8Array(sig));
        }
      });
    });
    return signed;
  } catch (e) {
    // Before the first item (key missing, wrong type): the same error a single sign gives.
    if (current < 0) throw e;
    throw batchItemFailed(current, messages.length, signed, e);
  }
}
