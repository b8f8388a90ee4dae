import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTokenClient } from '../../../electron/core/token/client';
import type { RehearsalToken } from '../../../electron/core/token/rehearsal';
import { makeToken, tempDir, USER_PIN } from '../../helpers/softhsm';

// PKCS#11 keeps login state per application and token, so C_Login on a second session of a token the
// host is logged in to answers CKR_USER_ALREADY_LOGGED_IN without looking at the PIN. A person's PIN
// typed for a second session (a witness or custodian on the same token, a resumed step) must still be
// checked: a wrong one is PIN_INCORRECT, and it burns no try.
describe('a second login on a token this host is logged in to still checks the PIN', () => {
  const tmp = tempDir();
  let token: RehearsalToken;
  beforeAll(async () => {
    token = await makeToken(tmp.dir, 'twice');
  });
  afterAll(() => tmp.cleanup());

  it('refuses a wrong PIN on the second session, accepts the right one, and keeps the first session logged in', async () => {
    const c = createTokenClient({ modulePath: token.modulePath, env: token.env });
    try {
      const first = await c.openSession({ label: 'twice' }, { pin: USER_PIN });
      const wrong = await c.openSession({ label: 'twice' }, { pin: '000000' }).then(() => undefined, (e: unknown) => e);
      expect(wrong).toMatchObject({ name: 'KeyriteError', code: 'PIN_INCORRECT' });
      expect(JSON.stringify(wrong)).not.toContain('000000');
      const slot = (await c.listSlots()).find((x) => x.token?.label === 'twice');
      // The refusal came from the host's check, not from the token: no try was used up.
      expect(slot?.token?.flags?.userPinCountLow).toBeFalsy();
      const second = await c.openSession({ label: 'twice' }, { pin: USER_PIN });
      // Private objects still work on the first session: the refusal did not log the host out.
      const key = await c.generateKeyPair(first, { algorithm: 'ec-p256', label: 'still-in', id: 'aa01', extractableForBackup: false });
      expect(await c.findKeys(second, { label: 'still-in', class: 'private' })).toHaveLength(1);
      expect(key).toBeTruthy();
    } finally {
      await c.close();
    }
  });
});
