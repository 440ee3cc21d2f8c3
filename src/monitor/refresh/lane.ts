// The monitor's task work runs one job at a time: a scheduled cycle, a wake after a change, a branch switch's fetch.
// Two jobs fetching one snapshot at once would ask the server twice and race on the alerts they record; queued one
// behind the other, the second finds the first's snapshot and its stale marks cleared.
import type { Logger } from '../../log/logger.js';

/**
 * What a job asked for while one of its name runs does: `join` that run (a cycle already running answers for this
 * one), or `again` once it is done (a wake must look again: what woke it may have come after the running one looked).
 */
export type WhileRunning = 'join' | 'again';

export interface Lane {
  /** Runs `job` after everything before it; a job of this name already waiting is joined, never queued twice. */
  run(name: string, job: () => Promise<unknown>, whileRunning: WhileRunning): Promise<void>;
  /** Resolves once nothing runs or waits, including jobs queued meanwhile. */
  drained(): Promise<void>;
}

/**
 * `beforeEach` and `afterEach` run around every job (what it allocated, the log rotation check); a job's failure, or
 * theirs, is logged, never thrown.
 */
export function createLane(opts: { log: Logger; beforeEach?: () => void; afterEach?: () => void }): Lane {
  let tail: Promise<void> = Promise.resolve();
  const waiting = new Map<string, Promise<void>>();
  let running: { name: string; done: Promise<void> } | undefined;
  const lane: Lane = {
    run(name, job, whileRunning) {
      const queued = waiting.get(name);
      if (queued) return queued;
      if (whileRunning === 'join' && running?.name === name) return running.done;
      const done: Promise<void> = tail.then(async () => {
        waiting.delete(name);
        running = { name, done };
        try {
          opts.beforeEach?.();
          await job();
        } catch (err) {
          opts.log.error({ err, job: name }, 'monitor job failed');
        } finally {
          running = undefined;
          try {
            opts.afterEach?.();
          } catch (err) {
            opts.log.warn({ err, job: name }, 'step after a monitor job failed');
          }
        }
      });
      waiting.set(name, done);
      tail = done;
      return done;
    },
    async drained() {
      for (let seen = tail; ; seen = tail) {
        await seen;
        if (seen === tail) return;
      }
    },
  };
  return lane;
}

/**
 * `fn` for a trigger that may fire while it runs (a watcher, a signal): a call during a run asks for one more run
 * after it, however many calls came, so every call is followed by a run that started after it and none pile up.
 */
export function coalesced(fn: () => Promise<void>): () => Promise<void> {
  let current: Promise<void> | undefined;
  let again: Promise<void> | undefined;
  const trigger = (): Promise<void> => {
    if (again) return again;
    if (current) {
      const next = (): Promise<void> => {
        again = undefined;
        return trigger();
      };
      again = current.then(next, next);
      return again;
    }
    current = fn().finally(() => {
      current = undefined;
    });
    return current;
  };
  return trigger;
}
