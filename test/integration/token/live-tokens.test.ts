/**
 * A token that appears while the app runs: initialised with softhsm2-util (a separate process, as a
 * person would) while the token watch runs, it is listed within 3 seconds.
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

describe('live tokens', () => {
  it('a SoftHSM2 token initialised while the watch runs is listed within 3 s; a long-lived host never lists it', async () => {
    const first = await makeToken(path.join(tmp.dir, 'store'), 'live-a');
    const open = () => createTokenClient({ modulePath: first.modulePath, env: first.env });
    const longLived = open();
    await longLived.listSlots();
    const events: TokenWatchEvent[] = [];
    let initialisedAt = 0;
    const seen = new Promise<number>((resolve, reject) => {
      const w = watchTokens(longLived, 250, (e) => {
        events.push(e);
        if (e.inserted.some((t) => t.label === 'live-b')) { w.stop(); resolve(Date.now()); }
      }, { reopen: open, onError: reject });
    });
    // Wait for the first view (live-a only), then initialise the second token from outside.
    while (events.length === 0) await new Promise((r) => setTimeout(r, 20));
    expect(events[0]!.tokens.map((t) => t.label)).toEqual(['live-a']);
    await run('softhsm2-util', ['--init-token', '--free', '--label', 'live-b', '--pin', '123456', '--so-pin', '12345678'], { env: { ...process.env, ...first.env } });
    initialisedAt = Date.now();
    const listedAt = await seen;
    expect(listedAt - initialisedAt).toBeLessThan(3000);
    // Why the watch reopens the module: the host started before the token never sees it.
    expect((await longLived.listSlots()).map((s) => s.token?.label)).not.toContain('live-b');
    await longLived.close();
  });
});
