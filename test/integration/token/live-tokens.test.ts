/**
 * A token that appears while the app runs: initialised with softhsm2-util (a separate process, as a
 * person would) while the token watch runs, it is listed within 3 seconds, through the same
 * long-lived host the app lists tokens with (the host re-initialises the module when no session is
 * open, since SoftHSM2 reads its token folder only at C_Initialize).
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { watchTokens, type TokenWatchEvent } from '../../../electron/core/devices/watch-tokens';
import { createTokenClient } from '../../../electron/core/token/client';
import { makeToken, tempDir } from '../../helpers/softhsm';

const run = promisify(execFile);
const tmp = tempDir('keyrite-live-');
afterAll(() => tmp.cleanup());

const initToken = (env: Record<string, string>, label: string) =>
  run('softhsm2-util', ['--init-token', '--free', '--label', label, '--pin', '123456', '--so-pin', '12345678'], { env: { ...process.env, ...env } });

describe('live tokens', () => {
  it('a SoftHSM2 token initialised while the watch runs is listed within 3 s by a host started before it', async () => {
    const first = await makeToken(path.join(tmp.dir, 'store'), 'live-a');
    const longLived = createTokenClient({ modulePath: first.modulePath, env: first.env });
    await longLived.listSlots();
    const events: TokenWatchEvent[] = [];
    const seen = new Promise<number>((resolve, reject) => {
      const w = watchTokens(longLived, 250, (e) => {
        events.push(e);
        if (e.inserted.some((t) => t.label === 'live-b')) { w.stop(); resolve(Date.now()); }
      }, { onError: reject });
    });
    // Wait for the first view (live-a only), then initialise the second token from outside.
    while (events.length === 0) await new Promise((r) => setTimeout(r, 20));
    expect(events[0]!.tokens.map((t) => t.label)).toEqual(['live-a']);
    await initToken(first.env, 'live-b');
    const initialisedAt = Date.now();
    const listedAt = await seen;
    expect(listedAt - initialisedAt).toBeLessThan(3000);
    // The same host can log in to it: openSession finds tokens afresh too.
    const s = await longLived.openSession({ label: 'live-b' }, { pin: '123456' });
    await longLived.closeSession(s);
    await longLived.close();
  });

  it('a host with a session open keeps its view (re-initialising would close the session), and sees the new token once it closes', async () => {
    const t = await makeToken(path.join(tmp.dir, 'busy'), 'busy-a');
    const c = createTokenClient({ modulePath: t.modulePath, env: t.env });
    try {
      const s = await c.openSession({ label: 'busy-a' }, { pin: '123456' });
      await initToken(t.env, 'busy-b');
      expect((await c.listSlots()).map((x) => x.token?.label)).not.toContain('busy-b');
      // The session is still good: nothing re-initialised under it.
      expect((await c.generateRandom(s, 8)).length).toBe(8);
      await c.closeSession(s);
      expect((await c.listSlots()).map((x) => x.token?.label)).toContain('busy-b');
    } finally {
      await c.close();
    }
  });
});
