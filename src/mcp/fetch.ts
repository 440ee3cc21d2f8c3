// The fetch the SDK transports use: adds auth headers, ties every request to the current call's deadline,
// caps the answer's size and remembers the HTTP status and Retry-After that the SDK's errors leave out.
import { AsyncLocalStorage } from 'node:async_hooks';
import { parseRetryAfter } from '../util/retry-after.js';

export interface CallState {
  signal: AbortSignal;
  status?: number;
  retryAfterMs?: number;
  tooLarge?: number;
}

/** The call a request is made for: AsyncLocalStorage follows it through the SDK's promise chain. */
export const CallContext = new AsyncLocalStorage<CallState>();

export class ResponseTooLargeError extends Error {
  constructor(readonly limit: number) {
    super(`answer larger than ${Math.round(limit / 1024 / 1024)} MiB`);
    this.name = 'ResponseTooLargeError';
  }
}

function capped(
  body: ReadableStream<Uint8Array>,
  limit: number,
  state: CallState | undefined,
): ReadableStream<Uint8Array> {
  let seen = 0;
  return body.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        seen += chunk.byteLength;
        if (seen > limit) {
          if (state) state.tooLarge = limit;
          controller.error(new ResponseTooLargeError(limit));
          return;
        }
        controller.enqueue(chunk);
      },
    }),
  );
}

export interface FetchOptions {
  headers?: (() => Promise<Record<string, string>> | Record<string, string>) | undefined;
  maxResponseBytes: number;
}

export function makeFetch(options: FetchOptions): (url: string | URL, init?: RequestInit) => Promise<Response> {
  return async (url, init = {}) => {
    const state = CallContext.getStore();
    const headers = new Headers(init.headers);
    if (options.headers) for (const [k, v] of Object.entries(await options.headers())) headers.set(k, v);
    const signals = [init.signal, state?.signal].filter((s): s is AbortSignal => s instanceof AbortSignal);
    const signal = signals.length > 1 ? AbortSignal.any(signals) : signals[0];
    const response = await fetch(url, { ...init, headers, ...(signal ? { signal } : {}) });
    if (state) {
      state.status = response.status;
      const retryAfter = parseRetryAfter(response.headers.get('retry-after'));
      if (retryAfter !== undefined) state.retryAfterMs = retryAfter;
    }
    const length = Number(response.headers.get('content-length') ?? 0);
    if (length > options.maxResponseBytes) {
      if (state) state.tooLarge = options.maxResponseBytes;
      await response.body?.cancel().catch(() => undefined);
      throw new ResponseTooLargeError(options.maxResponseBytes);
    }
    if (!response.body || [204, 205, 304].includes(response.status)) return response;
    return new Response(capped(response.body, options.maxResponseBytes, state), {
      status: response.status,
      statusText: response.statusText,
      headers: response.headers,
    });
  };
}
