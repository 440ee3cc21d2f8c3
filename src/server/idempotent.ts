// A write tool call that names a request id runs once per id: a retry of one that landed (the client timed out
// waiting, or failed over to another process on the same store) is answered the first answer, not written again.
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { sleep } from '../util/deadline.js';
import type { TaskStore } from './db/index.js';

/** How often a retry looks again while the first attempt of its id is still running elsewhere. */
const PENDING_POLL_MS = 50;

/** The request id a call's arguments carry, if any. */
export function requestIdOf(args: unknown): string | undefined {
  const id = (args as { request_id?: unknown } | undefined)?.request_id;
  return typeof id === 'string' && id.length > 0 && id.length <= 200 ? id : undefined;
}

/**
 * Runs `run` unless `key` already ran: then its kept answer. An attempt that fails (or answers a failure) lets the key
 * go, so a retry tries the write again; one still running elsewhere is waited for (the store forgets an attempt
 * abandoned by a process that died, so the wait ends).
 */
export async function once(
  store: TaskStore,
  key: string,
  failed: (result: CallToolResult) => boolean,
  run: () => Promise<CallToolResult>,
): Promise<CallToolResult> {
  for (;;) {
    const took = await store.takeRequest(key);
    if (took.state === 'done') return JSON.parse(took.result) as CallToolResult;
    if (took.state === 'pending') {
      await sleep(PENDING_POLL_MS);
      continue;
    }
    let result: CallToolResult;
    try {
      result = await run();
    } catch (err) {
      await store.dropRequest(key);
      throw err;
    }
    if (failed(result)) await store.dropRequest(key);
    else await store.finishRequest(key, JSON.stringify(result));
    return result;
  }
}
