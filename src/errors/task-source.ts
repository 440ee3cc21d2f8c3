// Every failure of the network stack ends up as one TaskSourceError: a kind code can branch on, a short phrase
// for one-line rendering (hooks, doctor), where it happened, how to fix it, and a message a person can act on.
import { scrubString } from '../log/redact.js';
import type { Deadline } from '../util/deadline.js';
import { hasTaskSourceBrand, TASK_SOURCE_ERROR } from './brand.js';

export type TaskSourceErrorKind =
  | 'unavailable'
  | 'timeout'
  | 'auth'
  | 'not_found'
  | 'protocol'
  | 'server'
  | 'breaker_open'
  | 'rate_limited'
  | 'config';

export interface TaskSourceErrorDetails {
  /** e.g. "connection refused", "timed out after 500 ms", "invalid_client". */
  short: string;
  /** Where it happened: the server (URL or stdio command), or the file or setting at fault. */
  place?: string | undefined;
  /** What the person can do about it; the kind's usual remedy when not given. */
  fix?: string | undefined;
  /** HTTP status when the server answered one. */
  status?: number;
  /** Worth another try: refused, reset, timeout, 429, 5xx. */
  transient?: boolean;
  /** From a 429/503 `Retry-After`, or the time a rate limit resets. */
  retryAfterMs?: number;
  cause?: unknown;
}

/**
 * The usual remedy for each kind of failure, for errors that know no better one. It names no source: what a source
 * knows of its own failures stands beside its adapter (`fixes` in src/sources/<name>/adapter.ts), which puts it on the
 * errors raised below it that carry only this usual remedy.
 */
const FIXES: Record<TaskSourceErrorKind, string> = {
  unavailable:
    'check that the task source named above runs and this machine reaches it; raise source.timeoutMs if it is just slow',
  timeout:
    'check that the task source named above runs and this machine reaches it; raise source.timeoutMs if it is just slow',
  breaker_open:
    'the server failed repeatedly and is not called until its circuit cools down; fix it, then wait or run `taskhooks cache clear`',
  auth: "check the task source's credentials (`taskhooks config` shows the effective settings; docs/sources.md names each source's)",
  rate_limited:
    'wait until the time named (the service counts requests per token), or run `taskhooks cache clear --limits` to ask again now',
  config: 'fix the configuration named above (`taskhooks config` shows the effective values)',
  not_found: 'create the project or branch on the server, or set TASKHOOKS_PROJECT (source.project)',
  protocol:
    'the server does not answer as the configured source expects: check that TASKHOOKS_ADAPTER (source.adapter) names the source it is',
  server: 'the server reported an error: see its logs',
};

export class TaskSourceError extends Error {
  /** The cross-bundle identity that isTaskSourceError reads (see ./brand.ts). */
  readonly [TASK_SOURCE_ERROR] = true;
  readonly kind: TaskSourceErrorKind;
  readonly short: string;
  readonly place: string | undefined;
  readonly fix: string;
  /** The fix is the kind's usual remedy, which an adapter that knows its server replaces (withFix). */
  readonly usualFix: boolean;
  readonly status: number | undefined;
  readonly transient: boolean;
  readonly retryAfterMs: number | undefined;

  constructor(kind: TaskSourceErrorKind, message: string, details: TaskSourceErrorDetails) {
    // Error messages are printed and logged: a secret that slipped into one (a URL, a server's echo) is scrubbed.
    super(scrubString(message), details.cause === undefined ? undefined : { cause: details.cause });
    this.name = 'TaskSourceError';
    this.kind = kind;
    this.short = scrubString(details.short);
    this.place = details.place;
    this.fix = details.fix ?? FIXES[kind];
    this.usualFix = details.fix === undefined;
    this.status = details.status;
    this.transient = details.transient ?? false;
    this.retryAfterMs = details.retryAfterMs;
  }
}

/** A TaskSourceError from this bundle or any other: by its brand, since `instanceof` sees only this bundle's class. */
export function isTaskSourceError(err: unknown): err is TaskSourceError {
  return hasTaskSourceBrand(err);
}

/** The same failure with a better remedy, from a place that knows more than the one that raised it. */
export function withFix(err: TaskSourceError, fix: string): TaskSourceError {
  const { short, place, status, transient, retryAfterMs, cause } = err;
  const fixed = new TaskSourceError(err.kind, err.message, {
    short,
    place,
    fix,
    status,
    transient,
    retryAfterMs,
    cause,
  });
  fixed.stack = err.stack;
  return fixed;
}

export const unavailable = (
  place: string,
  short: string,
  extra: Omit<TaskSourceErrorDetails, 'short' | 'place'> = {},
): TaskSourceError =>
  new TaskSourceError('unavailable', `Task source unavailable: ${short} at ${place}`, {
    transient: true,
    ...extra,
    short,
    place,
  });

export const timedOut = (place: string, ms: number, cause?: unknown): TaskSourceError =>
  new TaskSourceError('timeout', `Task source unavailable: timed out after ${ms} ms at ${place}`, {
    short: `timed out after ${ms} ms`,
    place,
    transient: true,
    cause,
  });

/** Why a call stopped when its deadline's signal fired: the time ran out, or the caller cancelled. */
export const deadlineEnded = (place: string, deadline: Deadline, cause?: unknown): TaskSourceError =>
  deadline.expired()
    ? timedOut(place, deadline.ms, cause)
    : new TaskSourceError('timeout', `Task source call cancelled at ${place}`, { short: 'cancelled', place });

export const notFound = (what: string, id: string, place?: string): TaskSourceError =>
  new TaskSourceError('not_found', `${what} not found: ${id}`, { short: `${what.toLowerCase()} not found`, place });

/** A payload that does not have the shape the adapter expects: names the tool and what was wrong. */
export const protocolError = (place: string, tool: string, problem: string): TaskSourceError =>
  new TaskSourceError('protocol', `Task server answered ${tool} with an unexpected payload: ${problem} (at ${place})`, {
    short: `unexpected ${tool} answer`,
    place,
  });

export const breakerOpen = (place: string, lastError: string | undefined): TaskSourceError =>
  new TaskSourceError(
    'breaker_open',
    `Task source unavailable: ${lastError ?? 'too many failures'} at ${place} (circuit open, not retried for now)`,
    {
      short: 'circuit open',
      place,
    },
  );

/** Anything thrown below the sources, as a TaskSourceError: ours as they are, the rest as a protocol failure. */
export function asTaskSourceError(err: unknown): TaskSourceError {
  if (isTaskSourceError(err)) return err;
  return new TaskSourceError('protocol', `Task source failed: ${describeError(err)}`, {
    short: describeError(err).slice(0, 80),
    cause: err,
  });
}

/** One line for a user: the message when it is ours, a best effort for anything else. */
export function describeError(err: unknown): string {
  if (err instanceof Error) return scrubString(err.message);
  return scrubString(String(err));
}
