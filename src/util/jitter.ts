// Random waits that keep many machines from acting in the same second: after a server restart (reconnects) and on a
// shared schedule (clocks synced by NTP fire every cron at once).

/** "Full jitter" backoff: uniform in [0, min(cap, base·2^attempt)), so retries of many clients spread instead of bunching. */
export function fullJitterMs(
  attempt: number,
  baseMs: number,
  capMs: number,
  random: () => number = Math.random,
): number {
  return Math.floor(random() * Math.min(capMs, baseMs * 2 ** Math.max(0, attempt)));
}

/** A start delay for a scheduled job: uniform up to half the gap before its next run, at most `capMs`. */
export function scheduleJitterMs(gapMs: number, capMs: number, random: () => number = Math.random): number {
  return Math.floor(random() * Math.max(0, Math.min(capMs, gapMs / 2)));
}
