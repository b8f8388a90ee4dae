/**
 * Entry point of the token host process. Runs as a child_process.fork child (process.send /
 * process.on('message')) or as an Electron utilityProcess child (process.parentPort). Never imports
 * 'electron': parentPort is a property Electron puts on `process`.
 */
import type { HostReply, HostRequest } from './host-protocol';
import { isHostRequest } from './host-protocol';
import { createHostServer } from './host-server';

interface ParentPort {
  on(event: 'message', listener: (e: { data: unknown }) => void): void;
  postMessage(message: unknown): void;
}

const server = createHostServer();
const parentPort = (process as unknown as { parentPort?: ParentPort }).parentPort;

let send: (reply: HostReply) => void;
function receive(msg: unknown): void {
  if (!isHostRequest(msg)) return;
  if (msg.kind === 'shutdown') {
    server.shutdown();
    process.exit(0);
  }
  const reply = server.handle(msg as HostRequest);
  if (reply) send(reply);
}

if (parentPort) {
  send = (r) => parentPort.postMessage(r);
  parentPort.on('message', (e) => receive(e.data));
} else if (process.send) {
  send = (r) => process.send?.(r);
  process.on('message', receive);
  // An orphaned host would keep the token's sessions open: leave with the parent.
  process.on('disconnect', () => {
    server.shutdown();
    process.exit(0);
  });
} else {
  process.stderr.write('keyrite token host: start me with child_process.fork or Electron utilityProcess.\n');
  process.exit(2);
}
