/**
 * A ceremony never seals while its key can be exported (actions/lock.ts, the seal's check and the
 * lock itself), driven with the capabilities the runner gives a step: the seal refuses a key with no
 * journaled final proof of its lock, or one the token reads extractable now; the lock refuses a key
 * that still reads CKA_EXTRACTABLE TRUE after it and journals no proof; a lock interrupted after the
 * intent is reconciled by reading the key, never by locking (or wrapping) again; a final proof that
 * breaks the policy's requiredAttributes stops the ceremony (KEY_PROOF_POLICY).
 */
import { describe, expect, it } from 'vitest';
import { assertKeyLocked, lockKey } from '../../../electron/core/ceremony/actions/lock';
import type { KeyProof } from '../../../electron/core/token/types';

const key = { id: 'ab01', label: 'root', algorithm: 'ec-p384', spki: 'AA==', fingerprint: 'ff' } as const;
const locked: KeyProof = {
  local: true, sensitive: true, alwaysSensitive: true, extractable: false, neverExtractable: false, keyGenMechanism: 'CKM_EC_KEY_PAIR_GEN',
  token: true, private: true, sign: true, decrypt: false, unwrap: false, copyable: false, modifiable: true,
};
const required = ['local', 'sensitive', 'alwaysSensitive', 'token', 'private', 'notExtractable', 'notCopyable'];

function ctx(opts: { proofs: KeyProof[]; lockedKeys?: string[]; session?: boolean; openIntent?: boolean; required?: string[] }) {
  const calls: string[] = [];
  const appended: { kind: string; data: Record<string, unknown> }[] = [];
  const resolved: { opId: string; ok: boolean }[] = [];
  const proofs = [...opts.proofs];
  const c = {
    facts: { lockedKeys: opts.lockedKeys ?? [] },
    script: { key: { class: 'root' } },
    policy: { classes: { root: { requiredAttributes: opts.required ?? required } } },
    session: () => { if (opts.session === false) throw new Error('no session'); return 'session-1'; },
    token: () => ({
      readKeyProof: async () => { calls.push('readKeyProof'); return proofs.shift() ?? locked; },
      lockKey: async () => { calls.push('lockKey'); return { steps: [{ attribute: 'CKA_EXTRACTABLE', outcome: 'set' }], extractable: false }; },
      wrapKey: async () => { calls.push('wrapKey'); throw new Error('never'); },
    }),
    stepEntries: () => [],
    // The engine's view of this step's lock intents: open until resolved, then ok or failed.
    intents: (_op: string, outcome: string) => {
      if (!opts.openIntent) return [];
      const now = resolved.length === 0 ? 'open' : resolved[0]!.ok ? 'ok' : 'failed';
      return now === outcome ? [{ opId: 'op-lock', outcome: now }] : [];
    },
    resolveIntent: async (opId: string, ok: boolean) => { resolved.push({ opId, ok }); },
    irreversible: async (_op: string, _detail: unknown, fn: () => Promise<unknown>) => fn(),
    progress: () => undefined,
    append: async (e: { kind: string; data: Record<string, unknown> }) => { appended.push(e); return e; },
  };
  return { c: c as never, calls, appended, resolved };
}

describe('the seal', () => {
  it('refuses a key whose lock the transcript does not prove', async () => {
    const { c, calls } = ctx({ proofs: [] });
    await expect(assertKeyLocked(c, key)).rejects.toMatchObject({ code: 'KEY_NOT_LOCKED', message: expect.stringContaining('the transcript holds no final proof of its lock') });
    expect(calls).toEqual([]);
  });

  it('refuses a key the token reads extractable now, even with a journaled proof', async () => {
    const { c } = ctx({ proofs: [{ ...locked, extractable: true }], lockedKeys: ['ab01'] });
    await expect(assertKeyLocked(c, key)).rejects.toMatchObject({ code: 'KEY_NOT_LOCKED', message: expect.stringContaining('The ceremony does not seal while its key can be exported') });
  });

  it('lets a proven, locked key seal; without a session it relies on the journaled proof', async () => {
    const withSession = ctx({ proofs: [locked], lockedKeys: ['ab01'] });
    await expect(assertKeyLocked(withSession.c, key)).resolves.toBeUndefined();
    expect(withSession.calls).toEqual(['readKeyProof']);
    const noSession = ctx({ proofs: [], lockedKeys: ['ab01'], session: false });
    await expect(assertKeyLocked(noSession.c, key)).resolves.toBeUndefined();
    expect(noSession.calls).toEqual([]);
  });
});

describe('the lock', () => {
  it('locks once and journals the final proof with the policy\'s required attributes', async () => {
    const { c, calls, appended } = ctx({ proofs: [locked] });
    await lockKey(c, key, { restored: false });
    expect(calls).toEqual(['lockKey', 'readKeyProof']);
    expect(appended).toHaveLength(1);
    expect(appended[0]).toMatchObject({ kind: 'key.locked', data: { id: 'ab01', proof: { extractable: false }, required } });
    expect(appended[0]?.data).not.toHaveProperty('failing');
  });

  it('refuses a key that still reads extractable after the lock, and journals no proof', async () => {
    const { c, appended } = ctx({ proofs: [{ ...locked, extractable: true }] });
    await expect(lockKey(c, key, { restored: false })).rejects.toMatchObject({ code: 'KEY_NOT_LOCKED', message: expect.stringContaining('still reads CKA_EXTRACTABLE TRUE after the lock') });
    expect(appended).toEqual([]);
  });

  it('interrupted after its intent, is reconciled by reading the key: never locked or wrapped again', async () => {
    const { c, calls, resolved } = ctx({ proofs: [locked, locked], openIntent: true });
    await lockKey(c, key, { restored: false });
    expect(resolved).toEqual([{ opId: 'op-lock', ok: true }]);
    expect(calls).toEqual(['readKeyProof', 'readKeyProof']);
  });

  it('a final proof that breaks requiredAttributes is journaled with what fails, and stops the ceremony', async () => {
    const { c, appended } = ctx({ proofs: [{ ...locked, copyable: true }] });
    await expect(lockKey(c, key, { restored: false })).rejects.toMatchObject({ code: 'KEY_PROOF_POLICY', details: { failing: ['notCopyable'] } });
    expect(appended[0]?.data.failing).toEqual([expect.objectContaining({ rule: 'notCopyable', attribute: 'CKA_COPYABLE' })]);
  });
});
