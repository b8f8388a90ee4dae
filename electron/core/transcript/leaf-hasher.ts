/**
 * The RFC 6962 leaf hashes and Merkle tree of the streaming verifier, where they are worked out:
 * on the verifier's own thread (InlineLeaves, for a small file) or on a worker thread beside it
 * (WorkerLeaves) while the verifier parses and checks the same lines. The verifier reads the file
 * into shared memory; the worker reads the lines from there (no copy, no second read of the file,
 * so what is hashed is byte for byte what was parsed), answers each chunk's leaf hashes, and grows
 * the tree only as far as the verifier has accepted lines (commit), so the root is the root of the
 * good entries whatever line reading stops at.
 */
import { Worker } from 'node:worker_threads';
import { EMPTY_ROOT } from './merkle';
import { HexFrontier, leafHexAt } from './merkle-hex';

export interface TreeRoots {
  /** The root of the committed leaves. */
  root: Uint8Array;
  /** The root at each size asked for that the committed leaves reach. */
  roots: Map<number, Uint8Array>;
}

export interface LeafSource {
  /** A buffer for a chunk of the file, shared with the hasher where it runs elsewhere. */
  alloc(size: number): Buffer;
  /**
   * The leaf hashes (64 hex digits each, in order) of the newline-ended lines of buf, up to
   * the first line shorter than 64 bytes (never an entry: it holds no prev hash), where it may stop.
   */
  leaves(buf: Buffer): Promise<string>;
  /** Puts the leaves given so far into the tree up to `count` leaves in all (the lines the verifier accepted). */
  commit(count: number): void;
  /** Commits `count` and gives the roots. */
  finish(count: number): Promise<TreeRoots>;
  /** Lets go of the worker, if any (after finish, or on an error). */
  close(): Promise<void>;
}

/** Each newline-ended line's leaf hash, in hex, joined. */
function leavesOf(buf: Buffer): string {
  const out: string[] = [];
  for (let start = 0, nl = buf.indexOf(0x0a); nl !== -1; start = nl + 1, nl = buf.indexOf(0x0a, start)) out.push(leafHexAt(buf, start, nl));
  return out.join('');
}

/** On the verifier's thread: a worker costs more to start (about 40 ms of CPU) than a small file costs to hash. */
export class InlineLeaves implements LeafSource {
  private readonly tree = new HexFrontier();
  private readonly roots = new Map<number, Uint8Array>();
  private pending = '';
  private count = 0;

  constructor(private readonly sizes: ReadonlySet<number>) {}

  alloc(size: number): Buffer {
    return Buffer.allocUnsafe(size);
  }

  leaves(buf: Buffer): Promise<string> {
    const hexes = leavesOf(buf);
    this.pending += hexes;
    return Promise.resolve(hexes);
  }

  commit(count: number): void {
    let at = 0;
    while (this.count < count) {
      this.tree.append(this.pending.slice(at, at + 64));
      at += 64;
      this.count++;
      if (this.sizes.has(this.count)) this.roots.set(this.count, Buffer.from(this.tree.root(), 'hex'));
    }
    this.pending = this.pending.slice(at);
  }

  finish(count: number): Promise<TreeRoots> {
    this.commit(count);
    return Promise.resolve({ root: Buffer.from(this.tree.root(), 'hex'), roots: this.roots });
  }

  /** Nothing to let go of. */
  async close(): Promise<void> {}
}

/**
 * The worker's code, plain JavaScript given to the Worker as text: no file is loaded for it at run
 * time (issue #17: nothing from a place another user can write), and it is the same in the built CLI,
 * the app and the tests. Messages are answered in order: {buf, start, end} -> the leaves' hex;
 * {commit} -> nothing; {finish} -> the roots.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { hash } = require('node:crypto');
const sizes = new Set(workerData.sizes);
const roots = [];
const frontier = [];
const pending = [];
let pendingAt = 0;
let count = 0;
let line = Buffer.allocUnsafe(1024);
// Hex in and out, as merkle-hex.ts: a hex string result costs less than a Buffer (no object per hash).
const nodeHex = (left, right) => hash('sha256', Buffer.from('01' + left + right, 'hex'), 'hex');
const root = () => {
  let acc = frontier[frontier.length - 1];
  for (let i = frontier.length - 2; i >= 0; i--) acc = nodeHex(frontier[i], acc);
  return acc;
};
const commit = (n) => {
  while (count < n) {
    const leaves = pending[0];
    let h = leaves.slice(pendingAt, pendingAt + 64);
    pendingAt += 64;
    if (pendingAt === leaves.length) { pending.shift(); pendingAt = 0; }
    for (let size = count; size & 1; size >>= 1) h = nodeHex(frontier.pop(), h);
    frontier.push(h);
    count++;
    if (sizes.has(count)) roots.push([count, root()]);
  }
};
parentPort.on('message', (m) => {
  if (m.buf !== undefined) {
    const buf = Buffer.from(m.buf, 0, m.end);
    const out = [];
    let start = m.start;
    for (let nl = buf.indexOf(10, start); nl >= 0; nl = buf.indexOf(10, start)) {
      // A line shorter than a prev hash cannot be an entry: reading stops at it, so no leaf after it
      // is ever used, and a file of tiny lines cannot make this thread hold millions of hashes.
      if (nl - start < 64) break;
      // SHA-256(0x00 || line): the line is copied behind a zero byte (the shared bytes are not written to).
      const length = nl - start + 1;
      if (line.length < length) line = Buffer.allocUnsafe(length * 2);
      line[0] = 0;
      buf.copy(line, 1, start, nl);
      out.push(hash('sha256', line.subarray(0, length), 'hex'));
      start = nl + 1;
    }
    const leaves = out.join('');
    if (leaves.length > 0) pending.push(leaves);
    parentPort.postMessage(leaves);
  } else if (m.commit !== undefined) {
    commit(m.commit);
  } else {
    commit(m.finish);
    parentPort.postMessage({ root: count === 0 ? null : root(), roots });
  }
});
`;

/** A request to the worker waiting for its reply. */
interface Waiter { resolve: (v: unknown) => void; reject: (e: Error) => void }

/** On a worker thread: the verifier's thread keeps the parsing and the checks. */
export class WorkerLeaves implements LeafSource {
  private readonly worker: Worker;
  /** Replies come in the order of the messages that ask for one. */
  private readonly waiting: Waiter[] = [];
  private failed: Error | undefined;
  private readonly onExit = (code: number) => this.fail(new Error(`the hashing thread stopped (exit ${code})`));

  constructor(sizes: ReadonlySet<number>) {
    // Its live data is a few MiB (the leaves of the chunks in flight): small heap limits make it
    // collect its garbage early instead of growing with the file (peak RSS at 1M entries, issue #17).
    // No execArgv and no environment: none of the parent's preloads or loader hooks (--import,
    // --require, NODE_OPTIONS) run in it, only the text above.
    this.worker = new Worker(WORKER_SOURCE, {
      eval: true, execArgv: [], env: {}, workerData: { sizes: [...sizes] },
      resourceLimits: { maxYoungGenerationSizeMb: 2, maxOldGenerationSizeMb: 32 },
    });
    this.worker.on('message', (m: unknown) => (this.waiting.shift() as Waiter).resolve(m));
    this.worker.on('error', (e) => this.fail(e));
    this.worker.on('exit', this.onExit);
  }

  /** Every request waiting for a reply fails with e, and every later one. */
  private fail(e: Error): void {
    this.failed = e;
    for (const w of this.waiting.splice(0)) w.reject(e);
  }

  alloc(size: number): Buffer {
    return Buffer.from(new SharedArrayBuffer(size));
  }

  private ask(message: object): Promise<unknown> {
    if (this.failed) return Promise.reject(this.failed);
    return new Promise((resolve, reject) => {
      this.waiting.push({ resolve, reject });
      this.worker.postMessage(message);
    });
  }

  async leaves(buf: Buffer): Promise<string> {
    return (await this.ask({ buf: buf.buffer, start: buf.byteOffset, end: buf.byteOffset + buf.length })) as string;
  }

  commit(count: number): void {
    this.worker.postMessage({ commit: count });
  }

  async finish(count: number): Promise<TreeRoots> {
    const r = (await this.ask({ finish: count })) as { root: string | null; roots: Array<[number, string]> };
    return { root: r.root === null ? EMPTY_ROOT : Buffer.from(r.root, 'hex'), roots: new Map(r.roots.map(([n, h]) => [n, Buffer.from(h, 'hex')])) };
  }

  async close(): Promise<void> {
    this.worker.off('exit', this.onExit);
    this.failed ??= new Error('the hashing thread was closed');
    await this.worker.terminate();
  }
}
