import { PassThrough } from 'node:stream';

const CLEAR_DOWN = '\x1b[0J';
const ESCAPES = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*[A-Za-z]`, 'g');

/**
 * A terminal for the CLI prompts: stdin says it is a TTY and records raw-mode switches, stderr is
 * captured. `type` waits for the prompt to be drawn, then sends the keystrokes.
 */
export function fakeTerminal() {
  const rawMode: boolean[] = [];
  const stdin = Object.assign(new PassThrough(), { isTTY: true, setRawMode: (on: boolean) => rawMode.push(on) });
  const stderr = new PassThrough();
  let shown = '';
  stderr.on('data', (d: Buffer) => (shown += d.toString()));
  return {
    stdin,
    stderr,
    rawMode,
    shown: () => shown,
    /** All that was written, terminal escape codes (cursor moves, clears) removed. */
    text: () => shown.replace(ESCAPES, ''),
    /** What a person sees on the last line once the terminal's clear-line codes are applied (escape codes removed). */
    lastLine: () => {
      const cleared = shown.lastIndexOf(CLEAR_DOWN);
      return (cleared < 0 ? shown : shown.slice(cleared + CLEAR_DOWN.length)).replace(ESCAPES, '');
    },
    type: async (keys: string) => {
      await new Promise((r) => setImmediate(r));
      stdin.write(keys);
    },
  };
}
