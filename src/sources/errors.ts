// Every failure of the network stack ends up as one TaskSourceError: a kind code can branch on, a short phrase
// for one-line rendering (hooks, doctor), and a message a person can act on.
import { scrubString } from '../log/redact.js';

export type TaskSourceErrorKind = 'unavailable' | 'timeout' | 'auth' | 'not_found' | 'protocol' | 'server' | 'breaker_open' | 'config';

export interface TaskSourceErrorDetails {
  /** e.g. "connection refused", "timed out after 500 ms", "invalid_client". */
  short: string;
  /** The server (URL or stdio command) the failure happened at. */
  server?: string;
  /** HTTP status when the server answered one. */
  status?: number;
  /** Worth another try: refused, reset, timeout, 429, 5xx. */
  transient?: boolean;
  /** From a 429/503 `Retry-After`. */
  retryAfterMs?: number;
  cause?: unknown;
}

export class TaskSourceError extends Error {
  readonly kind: TaskSourceErrorKind;
  readonly short: string;
  readonly server: string | undefined;
  readonly status: number | undefined;
  readonly transient: boolean;
  readonly retryAfterMs: number | undefined;

  constructor(kind: TaskSourceErrorKind, message: string, details: TaskSourceErrorDetails) {
    // Error messages are printed and logged: a secret that slipped into one (a URL, a server's echo) is scrubbed.
    super(scrubString(message), details.cause === undefined ? undefined : { cause: details.cause });
    this.name = 'TaskSourceError';
    this.kind = kind;
    this.short = scrubString(details.short);
    this.server = details.server;
    this.status = details.status;
    this.transient = details.transient ?? false;
    this.retryAfterMs = details.retryAfterMs;
  }
}

export function isTaskSourceError(err: unknown): err is TaskSourceError {
  return err instanceof TaskSourceError;
}

export const unavailable = (server: string, short: string, extra: Omit<TaskSourceErrorDetails, 'short' | 'server'> = {}): TaskSourceError =>
  new TaskSourceError('unavailable', `Task source unavailable: ${short} at ${server}`, { transient: true, ...extra, short, server });

export const timedOut = (server: string, ms: number, cause?: unknown): TaskSourceError =>
  new TaskSourceError('timeout', `Task source unavailable: timed out after ${ms} ms at ${server}`, {
    short: `timed out after ${ms} ms`,
    server,
    transient: true,
    cause,
  });

export const notFound = (what: string, id: string, server?: string): TaskSourceError =>
  new TaskSourceError('not_found', `${what} not found: ${id}`, { short: `${what.toLowerCase()} not found`, ...(server ? { server } : {}) });

/** A payload that does not have the shape the adapter expects: names the tool and what was wrong. */
export const protocolError = (server: string, tool: string, problem: string): TaskSourceError =>
  new TaskSourceError('protocol', `Task server answered ${tool} with an unexpected payload: ${problem} (at ${server})`, {
    short: `unexpected ${tool} answer`,
    server,
  });

export const breakerOpen = (server: string, lastError: string | undefined): TaskSourceError =>
  new TaskSourceError('breaker_open', `Task source unavailable: ${lastError ?? 'too many failures'} at ${server} (circuit open, not retried for now)`, {
    short: 'circuit open',
    server,
  });

/** One line for a user: the message when it is ours, a best effort for anything else. */
export function describeError(err: unknown): string {
  if (err instanceof Error) return scrubString(err.message);
  return scrubString(String(err));
}
