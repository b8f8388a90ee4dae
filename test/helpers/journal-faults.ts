/**
 * A disk that stops taking writes, for one file. Node's FileHandle.write is replaced, for every
 * handle open on `file` (matched by what /proc/self/fd says the descriptor names), by one that fails
 * the way a full disk does (ENOSPC, nothing written), once `after` writes to that file have gone
 * through. Every other file is written normally. Returns the function that puts the real write back.
 * Linux only (/proc/self/fd), as the journal's own durability tests are.
 */
import { readlinkSync, realpathSync } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';

export interface WriteFault {
  /** Writes to the file refused so far. */
  readonly refused: number;
  restore(): void;
}

export async function failWritesTo(file: string, opts: { after?: number; code?: string } = {}): Promise<WriteFault> {
  const target = realpathSync(file);
  const probe = await open(target, 'r');
  const proto = Object.getPrototypeOf(probe) as { write: FileHandle['write'] };
  await probe.close();
  const real = proto.write;
  const code = opts.code ?? 'ENOSPC';
  let passed = 0;
  let refused = 0;
  proto.write = function write(this: FileHandle, ...args: unknown[]) {
    let names: string | undefined;
    try { names = readlinkSync(`/proc/self/fd/${this.fd}`); } catch { names = undefined; }
    if (names === target) {
      if (passed >= (opts.after ?? 0)) {
        refused++;
        return Promise.reject(Object.assign(new Error(`${code}: no space left on device, write`), { code, syscall: 'write' }));
      }
      passed++;
    }
    return (real as (...a: unknown[]) => ReturnType<FileHandle['write']>).apply(this, args);
  } as FileHandle['write'];
  return {
    get refused() { return refused; },
    restore: () => { proto.write = real; },
  };
}
