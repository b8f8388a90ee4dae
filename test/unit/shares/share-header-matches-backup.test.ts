/**
 * A share's header (its k-of-n) must be the backup's: a share whose n alone was changed (the
 * commitment covers the share's bytes and split, not its header) is refused on entry, however it
 * arrives, and never counts towards the k a recovery needs. An envelope object whose header is
 * impossible (k or n of 0, e.g. sent over IPC) is refused naming that header, as its bytes would be.
 */
import { describe, expect, it } from 'vitest';
import { encodeEnvelope, type ShareEnvelope } from '../../../electron/core/shares/envelope';
import { RecoverySession } from '../../../electron/core/shares/recovery';
import { decodeShareInput, verifyShareAgainstBackup } from '../../../electron/core/shares/share-input';
import { encodeShareWords } from '../../../electron/core/shares/words';
import { thrownKeyriteError as thrown } from '../../helpers/keyrite-error';
import { softBackup } from './fixtures';

describe('a share whose header says another n than the backup', () => {
  it('is SHARE_WRONG_SPLIT naming both headers, as an object, as bytes and as typed words', async () => {
    const { backup, shares } = await softBackup();
    const genuine = shares[1] as ShareEnvelope;
    for (const n of [4, 6, 255]) {
      const altered: ShareEnvelope = { ...genuine, n };
      for (const input of [{ envelope: altered }, { bytes: encodeEnvelope(altered) }, { words: encodeShareWords(altered) }]) {
        const err = thrown(() => verifyShareAgainstBackup(backup, input));
        expect(err.code).toBe('SHARE_WRONG_SPLIT');
        expect(err.message).toBe(`This share says 3-of-${n}; the backup is 3-of-5.`);
        expect(err.action).toBe('The share or the backup file was altered; use the originals.');
        expect(err.details).toEqual({ k: 3, n });
      }
    }
  });

  it('does not count towards the k shares a recovery needs', async () => {
    const { backup, shares } = await softBackup();
    const s = new RecoverySession(backup);
    s.add({ envelope: shares[0] as ShareEnvelope });
    s.add({ envelope: shares[2] as ShareEnvelope });
    expect(thrown(() => s.add({ envelope: { ...(shares[4] as ShareEnvelope), n: 7 } })).code).toBe('SHARE_WRONG_SPLIT');
    expect(s.progress).toEqual({ have: 2, need: 3, complete: false });
    expect(s.accepted.map((a) => a.custodian)).toEqual(['alice', 'carol']);
  });
});

describe('an envelope object with an impossible header', () => {
  it('is SHARE_FORMAT naming k, n and x, as the same bytes would be', async () => {
    const { shares } = await softBackup();
    const e = shares[3] as ShareEnvelope;
    for (const [k, n] of [[0, 5], [3, 0], [0, 0]] as const) {
      const err = thrown(() => decodeShareInput({ envelope: { ...e, k, n } }));
      expect(err.code).toBe('SHARE_FORMAT');
      expect(err.message).toBe(`The share's header is impossible (k=${k}, n=${n}, x=${e.x}).`);
      expect(err.details).toEqual({ k, n, x: e.x });
      const fromBytes = thrown(() => decodeShareInput({ bytes: encodeEnvelope({ ...e, k, n }) }));
      expect(fromBytes.toData()).toEqual(err.toData());
    }
  });
});
