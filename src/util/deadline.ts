/**
 * A point in time by which an operation must be done, and the signal that aborts it then — or sooner, when the
 * caller cancels. One is made where an operation starts and handed down whole, so no layer re-subtracts elapsed
 * milliseconds of its own.
 */
export interface Deadline {
  /** Epoch milliseconds. */
  readonly at: number;
  /** The length it was set for, for messages ("timed out after 1500 ms"). */
  readonly ms: number;
  /** Aborts at `at`, or earlier when the signal it was made under aborts. */
  readonly signal: AbortSignal;
  /** Milliseconds left; at least 1, so a timer armed with it still fires. */
  left(): number;
  /** The time ran out (here or in a deadline this one is part of). */
  expired(): boolean;
  /** The caller gave up before the time ran out. */
  cancelled(): boolean;
  /** Expired or cancelled: nothing more should be started under it. */
  done(): boolean;
}

/**
 * A deadline at epoch `at`, cancelled early when `parent` aborts; `ms` the length it stands for, else what is left of
 * it now.
 */
export function deadlineAt(at: number, parent?: AbortSignal, ms = Math.max(0, Math.round(at - Date.now()))): Deadline {
  // AbortSignal.timeout's timer does not keep the process alive: a hook still exits as soon as it is done.
  const timer = AbortSignal.timeout(Math.max(1, ms));
  const signal = parent ? AbortSignal.any([timer, parent]) : timer;
  // A deadline made under another one (`earlier`) ends no later than it: that one running out shows here as time passed.
  const expired = (): boolean => timer.aborted || Date.now() >= at;
  return {
    at,
    ms,
    signal,
    left: () => Math.max(1, at - Date.now()),
    expired,
    cancelled: () => signal.aborted && !expired(),
    done: () => signal.aborted || expired(),
  };
}

/** A deadline `ms` from now, cancelled early when `parent` aborts. */
export function deadlineIn(ms: number, parent?: AbortSignal): Deadline {
  // Its length as asked, in whole milliseconds as a timer takes them: read back from `at`, a clock that ticked in
  // between would say a millisecond less.
  return deadlineAt(Date.now() + ms, parent, Math.max(0, Math.round(ms)));
}

/** `d` brought forward by `marginMs`, leaving the caller that much time to report a failure before `d` itself. */
export function earlier(d: Deadline, marginMs: number): Deadline {
  return deadlineAt(d.at - marginMs, d.signal);
}

/** Waits `ms`, or rejects with the signal's reason as soon as it aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
