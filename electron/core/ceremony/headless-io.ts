/**
 * What the headless runner reads and writes: three streams, given by whoever drives it (the
 * `keyrite ceremony run` command its process's, tests and the bench their own). Core defines it so
 * that it never imports the CLI; the CLI's CliIo has the same shape. Questions are asked on these
 * streams only when stdin is a terminal; otherwise the run stops (resumable) saying what it needs.
 */
import { createInterface } from 'node:readline/promises';
import { Writable } from 'node:stream';
import { KeyriteError } from '../util/errors';

export interface HeadlessIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  stdin: NodeJS.ReadableStream;
}

export function isTty(io: HeadlessIo): boolean {
  return (io.stdin as NodeJS.ReadStream).isTTY === true;
}

/** Asks on the TTY; without one, stops the run (resumable) saying what the inputs file lacks. */
export function makeAsk(io: HeadlessIo): (q: string) => Promise<string> {
  const tty = isTty(io);
  return async (q) => {
    if (!tty) throw new KeyriteError('INPUT_MISSING', `The run needs input that the inputs file does not give: ${q}`, { action: 'Add it to the inputs file (--inputs), or run in a terminal to be asked. The run resumes where it stopped.' });
    const rl = createInterface({ input: io.stdin, output: io.stdout as NodeJS.WritableStream });
    try { return (await rl.question(`${q} `)).trim(); } finally { rl.close(); }
  };
}

/** Asks on the TTY without echoing what is typed (a passphrase or PIN); without a TTY the run stops and says what is missing. */
export async function askHidden(io: HeadlessIo, q: string): Promise<string> {
  if (!isTty(io)) {
    throw new KeyriteError('INPUT_MISSING', `The run needs input that the inputs file does not give: ${q}`, {
      action: 'Run in a terminal to be asked (a rehearsal may give it in the inputs file). The run resumes where it stopped.',
    });
  }
  let muted = false;
  const out = io.stdout as NodeJS.WritableStream;
  const sink = new Writable({ write(chunk, _enc, cb) { if (!muted) out.write(chunk); cb(); } });
  const rl = createInterface({ input: io.stdin, output: sink, terminal: true });
  try {
    out.write(`${q} `);
    muted = true;
    return await rl.question('');
  } finally {
    muted = false;
    out.write('\n');
    rl.close();
  }
}
