// A watch for a state that ends something once: asked at the start and on each change heard at a path, or on a timer
// where the platform cannot watch it. The monitor's hold on its code folder and on its home are both this.
import { watch, type FSWatcher } from 'node:fs';

/** How often the state is asked where the platform gives no watch of the path (an idle monitor wakes for no more). */
const CHECK_EVERY_MS = 10_000;

/**
 * Calls `onEnd` once, with `ended()`'s reason, when it gives one; asks on every change heard at `target` (and on the
 * watch's error, which a deleted folder may end it with), and once at the start. `settleMs`: changes heard in a burst
 * are asked about once, this long after the first (the start too). Returns the undo.
 */
export function watchUntil(
  target: string,
  ended: () => string | undefined,
  onEnd: (why: string) => void,
  settleMs?: number,
): () => void {
  let done = false;
  let pending: NodeJS.Timeout | undefined;
  let watcher: FSWatcher | undefined;
  let timer: NodeJS.Timeout | undefined;
  const stop = (): void => {
    done = true;
    clearInterval(timer);
    clearTimeout(pending);
    watcher?.close();
  };
  const check = (): void => {
    pending = undefined;
    if (done) return;
    const why = ended();
    if (!why) return;
    stop();
    onEnd(why);
  };
  const heard =
    settleMs === undefined
      ? check
      : (): void => {
          if (!done && !pending) pending = setTimeout(check, settleMs);
        };
  try {
    watcher = watch(target, { persistent: false }, heard);
    watcher.on('error', heard);
  } catch {
    timer = setInterval(check, CHECK_EVERY_MS);
    timer.unref();
  }
  heard();
  return stop;
}
