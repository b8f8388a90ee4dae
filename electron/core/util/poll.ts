/**
 * Runs `tick` now and then again `intervalMs` after each run ends, so polls never overlap (a slow
 * token or a host restart only delays the next one). A failing tick goes to onError and polling
 * goes on. `isStopped` lets a tick that finishes after stop() drop its result.
 */
export function pollEvery(
  intervalMs: number,
  tick: (isStopped: () => boolean) => Promise<void>,
  onError: (e: unknown) => void = () => undefined,
): { stop(): void } {
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const isStopped = (): boolean => stopped;
  const run = async (): Promise<void> => {
    try {
      await tick(isStopped);
    } catch (e) {
      if (!stopped) onError(e);
    }
    if (!stopped) timer = setTimeout(() => void run(), intervalMs);
  };
  void run();
  return {
    stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
    },
  };
}
