import { describe, expect, it } from 'vitest';
import { PassThrough } from 'node:stream';
import { randomBytes } from 'node:crypto';
import { makeEnvelope } from '../../../electron/core/shares/envelope';
import { encodeShareWords } from '../../../electron/core/shares/words';
import { prompt, promptShareWords } from '../../../electron/core/shares/cli-input';

function fakeTerminal(): { stdin: PassThrough & { isTTY: boolean; setRawMode: () => void }; stderr: PassThrough; echoed: () => string } {
  const stdin = Object.assign(new PassThrough(), { isTTY: true, setRawMode: () => undefined });
  const stderr = new PassThrough();
  let echoed = '';
  stderr.on('data', (d: Buffer) => (echoed += d.toString()));
  return { stdin, stderr, echoed: () => echoed };
}

describe('terminal input', () => {
  it('reads a share typed over several lines without echoing the words', async () => {
    const share = new Uint8Array(randomBytes(33));
    share[32] = 9;
    const e = makeEnvelope({ ceremonyTag: '11223344', splitId: '55667788', k: 2, n: 3, share });
    const words = encodeShareWords(e).map((w) => w.slice(0, 4));
    const io = fakeTerminal();
    const got = promptShareWords(io, 'Share 1');
    for (let i = 0; i < words.length; i += 10) {
      await new Promise((r) => setImmediate(r));
      io.stdin.write(words.slice(i, i + 10).join(' ') + '\n');
    }
    expect(await got).toEqual(e);
    expect(io.echoed()).toContain('Share 1: words 1-37');
    for (let i = 0; i + 1 < words.length; i++) expect(io.echoed()).not.toContain(`${words[i]} ${words[i + 1]}`);
  });

  it('refuses to prompt when no terminal is attached', async () => {
    const stdin = new PassThrough();
    await expect(prompt({ stdin, stderr: new PassThrough() }, 'PIN: ')).rejects.toMatchObject({ code: 'INPUT_NOT_A_TTY' });
  });
});
