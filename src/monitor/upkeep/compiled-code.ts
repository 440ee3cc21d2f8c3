// V8's code for the monitor's modules reaches Node's compile cache (enabled in src/cli/bin.ts) only when Node exits
// normally. A monitor that is killed (a crash, `kill -9`, Windows ending it at shutdown) left none, so the next one,
// the one a herd of sessions waits for after a reboot, compiled every module again: about 90 ms of CPU more, and 70 ms
// more before it listened. The code is written once its start and its first sessions' hooks have loaded their modules.
import nodeModule from 'node:module';
import type { Logger } from '../../log/logger.js';

/** Long enough for the first sessions' hooks to have been answered; far shorter than a monitor usually lives. */
export const KEEP_COMPILED_AFTER_MS = 15_000;

/** Node's writer of the compile cache; none on Node 20, which has no compile cache. */
const nodeFlush = (nodeModule as { flushCompileCache?: () => void }).flushCompileCache;

/** Writes the compiled code once, `afterMs` from now; returns its cancel. `flush` is Node's unless given. */
export function keepCompiledCode(
  log: Logger,
  { flush = nodeFlush, afterMs = KEEP_COMPILED_AFTER_MS }: { flush?: (() => void) | undefined; afterMs?: number } = {},
): () => void {
  if (!flush) return () => undefined;
  const timer = setTimeout(() => {
    try {
      flush();
    } catch (err) {
      log.warn({ err }, "could not write the monitor's compiled code: its next start compiles it again");
    }
  }, afterMs);
  // A monitor stopping sooner writes it as it exits.
  timer.unref();
  return () => clearTimeout(timer);
}
