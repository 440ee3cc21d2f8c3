// Turns whatever the SDK, fetch or a child process threw into a TaskSourceError with the right kind and
// transience: the retry and breaker policy depends on getting this right, not on string matching elsewhere.
import { McpError, ErrorCode } from '@modelcontextprotocol/sdk/types.js';
import { StreamableHTTPError } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { SseError } from '@modelcontextprotocol/sdk/client/sse.js';
import { isTaskSourceError, TaskSourceError, unavailable } from '../errors/task-source.js';
import { ResponseTooLargeError, type CallState } from './fetch.js';

/** What each network error code means, in a few words; all but a host that does not exist may pass. */
const NETWORK_CODES: Readonly<Record<string, string>> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  EPIPE: 'connection reset',
  UND_ERR_SOCKET: 'connection reset',
  UND_ERR_CLOSED: 'connection closed',
  ETIMEDOUT: 'connection timed out',
  UND_ERR_CONNECT_TIMEOUT: 'connection timed out',
  UND_ERR_HEADERS_TIMEOUT: 'no answer in time',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'host name lookup failed',
};
const PERMANENT_CODES: ReadonlySet<string> = new Set(['ENOTFOUND']);

function errnoCode(err: unknown, depth = 0): string | undefined {
  if (!err || typeof err !== 'object' || depth > 4) return undefined;
  const code = (err as { code?: unknown }).code;
  if (typeof code === 'string') return code;
  const inner = (err as { cause?: unknown }).cause;
  if (inner) return errnoCode(inner, depth + 1);
  const errors = (err as { errors?: unknown }).errors;
  return Array.isArray(errors) ? errnoCode(errors[0], depth + 1) : undefined;
}

const STATUS_TEXT: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  406: 'Not Acceptable',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

/** An HTTP status answered by the server: 429 and 5xx are worth retrying, other 4xx never. */
function httpError(server: string, status: number, state?: CallState, cause?: unknown): TaskSourceError {
  const label = `${status} ${STATUS_TEXT[status] ?? 'error'}`.trim();
  const transient = status === 429 || status >= 500;
  const kind = status === 401 || status === 403 ? 'auth' : status === 429 ? 'unavailable' : 'server';
  return new TaskSourceError(kind, `Task server error: ${label} at ${server}`, {
    short: label,
    place: server,
    status,
    transient,
    ...(state?.retryAfterMs !== undefined ? { retryAfterMs: state.retryAfterMs } : {}),
    cause,
  });
}

/** What the MCP SDK itself threw: an HTTP or SSE failure, or a JSON-RPC error the server or the client raised. */
function sdkError(err: unknown, server: string, state: CallState | undefined): TaskSourceError | undefined {
  if (err instanceof StreamableHTTPError || err instanceof SseError) {
    const code = err.code ?? -1;
    if (code >= 100) return httpError(server, code, state, err);
    return new TaskSourceError(
      'protocol',
      `Task server answered something that is not MCP: ${err.message} (at ${server})`,
      {
        short: 'not an MCP answer',
        place: server,
        cause: err,
      },
    );
  }
  if (!(err instanceof McpError)) return undefined;
  if (err.code === ErrorCode.RequestTimeout) {
    return new TaskSourceError('timeout', `Task source unavailable: no answer in time at ${server}`, {
      short: 'timed out',
      place: server,
      transient: true,
      cause: err,
    });
  }
  if (err.code === ErrorCode.ConnectionClosed) return unavailable(server, 'connection closed', { cause: err });
  return new TaskSourceError('server', `Task server error: ${err.message} (at ${server})`, {
    short: err.message.slice(0, 80),
    place: server,
    cause: err,
  });
}

/** What the system said (an errno): a program that cannot start, or the network. */
function systemError(err: unknown, server: string): TaskSourceError | undefined {
  const code = errnoCode(err);
  // A program the source runs (a stdio server, a CLI) that the system could not start: no retry makes it appear.
  const program = /^(?:stdio|cli):(\S+)/.exec(server)?.[1];
  const unstartable = code === 'ENOENT' ? 'command not found' : code === 'EACCES' ? 'not executable' : undefined;
  if (program && unstartable) {
    return new TaskSourceError('config', `Task source unavailable: cannot start ${program} (${unstartable})`, {
      short: unstartable,
      place: server,
      cause: err,
    });
  }
  const short = code ? NETWORK_CODES[code] : undefined;
  return short && code ? unavailable(server, short, { transient: !PERMANENT_CODES.has(code), cause: err }) : undefined;
}

export function classifyError(err: unknown, server: string, state?: CallState): TaskSourceError {
  if (isTaskSourceError(err)) return err;
  if (err instanceof ResponseTooLargeError || state?.tooLarge !== undefined) {
    const limit = state?.tooLarge ?? (err as ResponseTooLargeError).limit;
    return new TaskSourceError(
      'protocol',
      `Task server answer too large (over ${Math.round(limit / 1024 / 1024)} MiB) at ${server}`,
      {
        short: 'answer too large',
        place: server,
        cause: err,
      },
    );
  }
  const known = sdkError(err, server, state) ?? systemError(err, server);
  if (known) return known;
  if (err instanceof SyntaxError || (err instanceof Error && err.name === 'ZodError')) {
    return new TaskSourceError(
      'protocol',
      `Task server answered malformed JSON-RPC at ${server}: ${err.message.split('\n')[0]?.slice(0, 120)}`,
      {
        short: 'malformed JSON-RPC',
        place: server,
        cause: err,
      },
    );
  }
  if (err instanceof TypeError && /fetch failed/.test(err.message))
    return unavailable(server, 'network error', { cause: err });
  const message = err instanceof Error ? err.message : String(err);
  return new TaskSourceError('unavailable', `Task source unavailable: ${message} at ${server}`, {
    short: message.slice(0, 80),
    place: server,
    cause: err,
  });
}

/** A tool that answered isError: the server is up and said no, so this is never retried. */
export function toolFailure(server: string, tool: string, text: string): TaskSourceError {
  let message = text;
  try {
    const parsed = JSON.parse(text) as { error?: { message?: unknown } | string; message?: unknown };
    const inner = typeof parsed.error === 'string' ? parsed.error : (parsed.error?.message ?? parsed.message);
    if (typeof inner === 'string') message = inner;
  } catch {
    // plain text is the message itself
  }
  const notFound = /^(.*?) not found:\s*(\S.*)$/i.exec(message.trim());
  if (notFound) return new TaskSourceError('not_found', message.trim(), { short: 'not found', place: server });
  if (/permission|forbidden|not allowed/i.test(message)) {
    return new TaskSourceError('auth', `Task server refused ${tool}: ${message}`, {
      short: 'permission denied',
      place: server,
    });
  }
  return new TaskSourceError('server', `Task server error in ${tool}: ${message} (at ${server})`, {
    short: message.slice(0, 80),
    place: server,
  });
}
