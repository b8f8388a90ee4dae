/**
 * A reshare keeps the key and the signed section, and its split lists every earlier split of the
 * key as void (the one it replaces last, with who voided it and when), so shares of any of them are
 * refused by name.
 */
import { describe, expect, it } from 'vitest';
import { RecoverySession, withRebuiltKey } from '../../../electron/core/shares/recovery';
import { reshare } from '../../../electron/core/shares/reshare';
import type { ShareEnvelope } from '../../../electron/core/shares/envelope';
import { thrownKeyriteError as thrown } from '../../helpers/keyrite-error';
import { softBackup } from './fixtures';

const T1 = new Date('2026-12-01T08:00:00.000Z');
const T2 = new Date('2026-12-02T09:30:00.000Z');

describe('reshare', () => {
  it('a reshare of a reshare lists both earlier splits as void, oldest first, and refuses their shares', async () => {
    const { backup, shares, key } = await softBackup();
    const s1 = new RecoverySession(backup);
    for (const i of [0, 1, 2]) s1.add({ envelope: shares[i] as ShareEnvelope });
    const second = await reshare(s1, { k: 2, custodians: ['frank', 'grace'], ceremonyId: 'reshare-1', now: T1 });
    expect(second.backup.split).toMatchObject({ createdAt: T1.toISOString(), madeBy: 'reshare-1', ceremonyTag: backup.split.ceremonyTag });
    const s2 = new RecoverySession(second.backup);
    for (const e of second.shares) s2.add({ envelope: e });
    const third = await reshare(s2, { k: 2, custodians: ['heidi', 'ivan', 'judy'], ceremonyId: 'reshare-2', now: T2 });
    expect(third.backup.sealed).toEqual(backup.sealed);
    expect(third.backup.split.voids).toEqual([
      { splitId: backup.split.id, voidedBy: 'reshare-1', at: T1.toISOString() },
      { splitId: second.backup.split.id, voidedBy: 'reshare-2', at: T2.toISOString() },
    ]);
    const s3 = new RecoverySession(third.backup);
    expect(thrown(() => s3.add({ envelope: shares[3] as ShareEnvelope })).code).toBe('SHARE_SPLIT_VOID');
    expect(thrown(() => s3.add({ envelope: second.shares[0] as ShareEnvelope })).code).toBe('SHARE_SPLIT_VOID');
    s3.add({ envelope: third.shares[2] as ShareEnvelope });
    s3.add({ envelope: third.shares[0] as ShareEnvelope });
    expect(await withRebuiltKey(s3, async (k) => Buffer.from(k).toString('hex'))).toBe(Buffer.from(key).toString('hex'));
  });

  it('dates the void and the new split now when no time is given', async () => {
    const { backup, shares } = await softBackup();
    const s = new RecoverySession(backup);
    for (const i of [0, 1, 2]) s.add({ envelope: shares[i] as ShareEnvelope });
    const before = Date.now();
    const next = await reshare(s, { k: 2, custodians: ['a', 'b'], ceremonyId: 'r' });
    const after = Date.now();
    for (const at of [next.backup.split.voids[0]!.at, next.backup.split.createdAt]) {
      expect(Date.parse(at)).toBeGreaterThanOrEqual(before);
      expect(Date.parse(at)).toBeLessThanOrEqual(after);
    }
  });
});
