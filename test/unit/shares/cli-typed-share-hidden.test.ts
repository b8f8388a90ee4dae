/**
 * A share typed at the CLI is read exactly as typed, over as many lines as the custodian likes, and
 * an empty (or blank) line ends it early; nothing typed on a hidden prompt is echoed (not even after
 * a correction, when the terminal redraws the line, and the question is drawn once per line); the
 * terminal is left out of raw mode afterwards; an error names the wrong word's position and never
 * holds a typed word.
 */
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { prompt, promptShareWords } from '../../../electron/core/shares/cli-input';
import { makeEnvelope } from '../../../electron/core/shares/envelope';
import { encodeShareWords, SHARE_WORDS } from '../../../electron/core/shares/words';
import { fakeTerminal } from './fake-terminal';

// Word-list words that the prompt and the error texts themselves use: a share holding one could not be
// told apart from its echo, so the shares here are drawn without them.
const WORDING = new Set(['word', 'list', 'share', 'first', 'enough']);

function share() {
  for (;;) {
    const bytes = new Uint8Array(randomBytes(33));
    bytes[32] = 5;
    const e = makeEnvelope({ ceremonyTag: 'a0b1c2d3', splitId: 'e4f50617', k: 3, n: 5, share: bytes });
    const words = encodeShareWords(e);
    if (!words.some((w) => WORDING.has(w))) return { e, words };
  }
}

/** Settles within a second, or fails saying the CLI is still waiting for input. */
async function settled<T>(p: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new Error('still asking for more words')), 1000); });
  try {
    return await Promise.race([p, late]);
  } finally {
    clearTimeout(timer);
  }
}

describe('a hidden prompt', () => {
  it('shows the question once and no typed character, also after a backspace redraws the line', async () => {
    const term = fakeTerminal();
    const answer = prompt(term, 'PIN: ', { hidden: true });
    await term.type('2468\x7f13\r');
    expect(await answer).toBe('24613');
    expect(term.text()).not.toMatch(/[0-9]/);
    expect(term.lastLine()).toBe('PIN: \n');
    expect(term.rawMode.at(-1)).toBe(false);
  });

  it('a plain prompt echoes the answer and adds no blank line of its own, and leaves raw mode', async () => {
    const term = fakeTerminal();
    const answer = prompt(term, 'Custodian: ');
    await term.type('alice\r');
    expect(await answer).toBe('alice');
    expect(term.lastLine()).toBe('Custodian: alice\r\n');
    expect(term.rawMode).toEqual([true, false]);
  });
});

describe('typed share words', () => {
  it('an empty or blank line ends the share early: the count is refused at once, naming how many were given', async () => {
    for (const end of ['\r', '   \r', '\t\r']) {
      const { words } = share();
      const term = fakeTerminal();
      const got = settled(promptShareWords(term, 'Share 2'));
      await term.type(words.slice(0, 12).join(' ') + '\r');
      await term.type(end);
      await expect(got).rejects.toMatchObject({ code: 'SHARE_WORD_COUNT', message: `A share has ${SHARE_WORDS} words; 12 were given.` });
      expect(term.shown().split('Share 2: words').length - 1).toBe(2);
      expect(term.shown()).toContain('Share 2: words 13-37');
    }
  });

  it('a mistyped word is named by its position; no typed word is in the error or on the screen', async () => {
    const { words } = share();
    const typed = [...words];
    typed[6] = 'zzzzq';
    const term = fakeTerminal();
    const got = promptShareWords(term, 'Share 1');
    await term.type(typed.slice(0, 20).join(' ') + '\r');
    await term.type(typed.slice(20).join('  ') + '\r');
    const err = await got.catch((x: unknown) => x) as { code: string; message: string; action?: string; details?: unknown };
    expect(err).toMatchObject({ code: 'SHARE_WORD_UNKNOWN', message: 'Word 7 is not in the word list.', details: { wordIndex: 7 } });
    const said = JSON.stringify([err.message, err.action, err.details]) + term.shown();
    for (const w of typed) expect(said.toLowerCase().split(/[^a-z]+/)).not.toContain(w.toLowerCase());
  });

  it('the share is read exactly, whatever the line breaks and spacing', async () => {
    const { e, words } = share();
    const term = fakeTerminal();
    const got = promptShareWords(term, 'Share 3');
    await term.type(`  ${words.slice(0, 1).join(' ')}\r`);
    await term.type(`${words.slice(1, 30).join('   ')}  \r`);
    await term.type(`${words.slice(30).join(' ')}\r`);
    expect(await settled(got)).toEqual(e);
    expect(term.rawMode.at(-1)).toBe(false);
  });
});
