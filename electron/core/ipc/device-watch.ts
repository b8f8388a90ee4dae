/**
 * Pushes `devices/changed` whenever the devices view changes (a token inserted or removed, a USB
 * device plugged in, a network interface up or down). Polls, because C_WaitForSlotEvent blocks and many modules lack it; polls
 * never overlap. Electron main sends the event with webContents.send; the harness with page.evaluate.
 */
import type { DevicesView } from '../../contract/views';
import type { HandlerDeps } from './deps';
import { readDevices } from './handlers';
import { pollEvery } from '../util/poll';

export function watchDevices(
  deps: Pick<HandlerDeps, 'tokens' | 'usb' | 'airGapProbe'>,
  intervalMs: number,
  emit: (view: DevicesView) => void,
  onError: (e: unknown) => void = () => undefined,
): { stop(): void } {
  let last: string | undefined;
  return pollEvery(intervalMs, async (isStopped) => {
    const view = await readDevices(deps);
    const key = JSON.stringify(view);
    if (!isStopped() && last !== undefined && key !== last) emit(view);
    last = key;
  }, onError);
}
