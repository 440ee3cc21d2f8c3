/**
 * The longest wait a server may impose: a rate limit told as years away (a typo, a hostile server) would otherwise
 * lock a source out for good, and a date that far is no date JavaScript can print.
 */
export const MAX_WAIT_MS = 24 * 3600 * 1000;

/** A wait in milliseconds held to [0, MAX_WAIT_MS]; undefined for what is no number. */
export function clampWait(ms: number): number | undefined {
  if (Number.isNaN(ms)) return undefined;
  return Math.min(MAX_WAIT_MS, Math.max(0, Math.round(ms)));
}

/** A `Retry-After` header (seconds or an HTTP date) as milliseconds from `now`; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | null | undefined, now = Date.now()): number | undefined {
  if (!value) return undefined;
  if (/^\s*\d+(\.\d+)?\s*$/.test(value)) return clampWait(Number(value) * 1000);
  // Only an HTTP date (a weekday or a month name in it): Date.parse reads "-5" or "1e3" as years.
  if (!/[a-z]{3}/i.test(value)) return undefined;
  return clampWait(Date.parse(value) - now);
}
