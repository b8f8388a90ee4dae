/**
 * What the renderer (and the person at the screen) gets back from the one dispatcher when a request
 * is refused: a REQUEST_INVALID that names the channel and the field that is wrong (never its
 * value), and a CHANNEL_UNKNOWN that names the channel asked for; a handler's result or failure
 * comes back as data.
 */
import { describe, expect, it } from 'vitest';
import type { Result } from '../../../electron/contract/index';
import { bindChannels, invokeChannel, parseRequest, requestInvalid } from '../../../electron/core/ipc/dispatch';
import { createHandlerTable } from '../../../electron/core/ipc/handlers';
import { KeyriteError } from '../../../electron/core/util/errors';
import { thrownKeyriteError as thrown } from '../../helpers/keyrite-error';

const table = () => createHandlerTable({ dataDir: '/nonexistent', app: { version: 't', platform: 'linux', rehearsal: true }, tokens: { listSlots: async () => [] } });

describe('REQUEST_INVALID', () => {
  it('names the channel, the field and the problem, and points at what to do', () => {
    const err = thrown(() => parseRequest('audit/verify', { dir: 'relative/path' }));
    expect(err.code).toBe('REQUEST_INVALID');
    expect(err.message).toMatch(/^The request to audit\/verify was refused \(dir\): .+\.$/);
    expect(err.action).toMatch(/^Check what was entered and try again\..*report it\.$/);
    expect(err.details).toEqual({ channel: 'audit/verify', path: ['dir'] });
  });

  it('joins a nested field path with dots, and leaves the field out when the whole request is wrong', () => {
    const nested = thrown(() => parseRequest('ceremony/submit', { kind: 'share-input', share: { kind: 'token', fileName: 'f', content: 'x', tokenSerial: '0a', pin: '' } }));
    expect(nested.message).toContain('(share.pin)');
    expect(nested.details).toEqual({ channel: 'ceremony/submit', path: ['share', 'pin'] });
    const whole = thrown(() => parseRequest('audit/verify', 'x'));
    expect(whole.message).toMatch(/^The request to audit\/verify was refused: /);
    expect(whole.details).toEqual({ channel: 'audit/verify', path: [] });
    expect(requestInvalid('app/info', 'it takes no payload').message).toBe('The request to app/info was refused: it takes no payload.');
    expect(requestInvalid('audit/verify', 'bad', ['trustedKeys', 0]).details).toEqual({ channel: 'audit/verify', path: ['trustedKeys', '0'] });
  });
});

describe('invokeChannel', () => {
  it('refuses a channel the table does not have, naming it, with what to do; a name must be a string', async () => {
    // ['app/info'] is what a renderer could send to look like a channel name once turned into a key.
    for (const [channel, shown] of [['nope/never', 'nope/never'], ['toString', 'toString'], [undefined, 'undefined'], [['app/info'], 'app/info']] as const) {
      expect(await invokeChannel(table(), channel, undefined)).toEqual({
        ok: false, error: { code: 'CHANNEL_UNKNOWN', message: `There is no channel called ${shown}.`, action: 'This is a bug in Keyrite: report it.' },
      });
    }
  });

  it('runs a bound channel on the parsed request and returns its value or its failure as data', async () => {
    const seen: unknown[] = [];
    const bound = bindChannels({
      'audit/verify': async (req) => {
        seen.push(req);
        if (req.dir === '/fail') throw new KeyriteError('TRANSCRIPT_MISSING', 'No transcript here.', { action: 'Choose the folder.' });
        return { dir: req.dir } as never;
      },
    });
    const call = (req: unknown) => invokeChannel(bound as never, 'audit/verify', req) as Promise<Result<unknown>>;
    expect(await call({ dir: '/ok' })).toEqual({ ok: true, value: { dir: '/ok' } });
    expect(await call({ dir: '/fail' })).toEqual({ ok: false, error: { code: 'TRANSCRIPT_MISSING', message: 'No transcript here.', action: 'Choose the folder.' } });
    expect(await call({ dir: 'relative' })).toMatchObject({ ok: false, error: { code: 'REQUEST_INVALID' } });
    expect(seen).toEqual([{ dir: '/ok' }, { dir: '/fail' }]);
  });
});
