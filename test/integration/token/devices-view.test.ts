import { afterAll, describe, expect, it } from 'vitest';
import { readDevices } from '../../../electron/core/devices/view';
import { watchTokens, type TokenWatchEvent } from '../../../electron/core/devices/watch-tokens';
import { createTokenClient } from '../../../electron/core/token/client';
import { makeToken, tempDir } from '../../helpers/softhsm';

// SoftHSM2 reads its token folder once per process, so insertion and removal are covered by the
// unit tests of watchTokens; here the view and the watcher run over the real module and host.
describe('devices view over a real module', () => {
  const tmp = tempDir();
  afterAll(() => tmp.cleanup());

  it('lists the rehearsal token once, with or without USB access', async () => {
    const token = await makeToken(tmp.dir, 'dev-a');
    const view = await readDevices({ modulePaths: [token.modulePath], env: token.env, usbLoader: async () => { throw new Error('no USB in this test'); } });
    expect(view.usbUnavailable).toMatch(/no USB in this test/);
    expect(view.entries.map((e) => e.summary).filter((s) => s.includes('dev-a'))).toEqual(['token dev-a present (rehearsal token, SoftHSM2)']);

    const client = createTokenClient({ modulePath: token.modulePath, env: token.env });
    try {
      const first = await new Promise<TokenWatchEvent>((resolve, reject) => {
        const w = watchTokens(client, 50, (e) => {
          w.stop();
          resolve(e);
        }, { onError: reject });
      });
      expect(first.inserted.map((t) => t.label)).toEqual(['dev-a']);
      expect(first.tokens[0]).toMatchObject({ module: token.modulePath, serial: token.serial, rehearsal: true });
    } finally {
      await client.close();
    }
  });
});
