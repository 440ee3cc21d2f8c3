// The time a hook run is held to, by the command process and the MCP-tool host alike: armed with the event's default
// before the settings are read, then again with the configured deadline's, less what a rescue may take. Also how long
// either waits on a busy cache.

/** How long a rescue may take after the run failed or ran out of time; its work is a parse and a few file reads. */
export const RESCUE_MS = 500;

/** A hook that waits on the monitor's lock or a busy writer fails faster than the session notices. */
export const CACHE_BUSY_TIMEOUT_MS = 1000;

export interface Watchdog {
  /** (Re)starts the timer: `onFire(ms)` after `ms`, unless armed again or cleared first. */
  arm(ms: number): void;
  clear(): void;
}

export function watchdog(onFire: (ms: number) => void): Watchdog {
  let timer: NodeJS.Timeout | undefined;
  return {
    arm(ms) {
      clearTimeout(timer);
      timer = setTimeout(() => onFire(ms), ms);
    },
    clear() {
      clearTimeout(timer);
    },
  };
}
