// A write tool call that names a request id runs once per id: a retry of one that landed (the client timed out
// waiting, or failed over to another process on the same store) is answered the first answer, not written again.
// An id is the caller's own: the ledger keys it by principal, project, tool and action, so another tenant reusing
// it writes its own task, and the same id sent with another body is refused rather than answered the first answer.
import { createHash } from 'node:crypto';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { sleep } from '../util/deadline.js';
import type { TaskStore } from './db/index.js';
import { TaskDbError } from './errors.js';

/** How often a retry looks again while the first attempt of its id is still running elsewhere. */
const PENDING_POLL_MS = 50;
/** Keeping an answer that failed (the store busy) is tried again, up to this many times, doubling the wait. */
const FINISH_ATTEMPTS = 8;
const FINISH_FIRST_WAIT_MS = 50;

/** The request id a call's arguments carry, if any. */
export function requestIdOf(args: unknown): string | undefined {
  const id = (args as { request_id?: unknown } | undefined)?.request_id;
  return typeof id === 'string' && id.length > 0 && id.length <= 200 ? id : undefined;
}

/** Whose write a request id names: the caller, the project written to, the tool and its action. */
export interface RequestScope {
  principal: string;
  project: string;
  tool: string;
  action: string;
  id: string;
}

/** A request's row in the ledger: its key, and a digest of what it asked for. */
export interface LedgerEntry {
  key: string;
  fingerprint: string;
  id: string;
}

/** JSON with object keys sorted, so the same arguments in another order digest alike. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

export function ledgerEntry(scope: RequestScope, args: Record<string, unknown>): LedgerEntry {
  const { request_id: _id, ...body } = args;
  return {
    key: JSON.stringify([scope.principal, scope.project, scope.tool, scope.action, scope.id]),
    fingerprint: createHash('sha256').update(canonical(body)).digest('hex'),
    id: scope.id,
  };
}

/** Keeps the answer, asking again while the store is busy: an answer not kept would let a retry write twice. */
async function finish(store: TaskStore, entry: LedgerEntry, result: string): Promise<void> {
  for (let attempt = 1, wait = FINISH_FIRST_WAIT_MS; ; attempt++, wait *= 2) {
    try {
      await store.finishRequest(entry.key, result);
      return;
    } catch (err) {
      if (attempt >= FINISH_ATTEMPTS) throw err;
      await sleep(wait);
    }
  }
}

/**
 * Runs `run` unless `entry` already ran: then its kept answer. An attempt that fails (or answers a failure) lets the
 * key go, so a retry tries the write again; one still running elsewhere is waited for (the store forgets an attempt
 * abandoned by a process that died, so the wait ends). The same key with another body is refused.
 */
export async function once(
  store: TaskStore,
  entry: LedgerEntry,
  failed: (result: CallToolResult) => boolean,
  run: () => Promise<CallToolResult>,
): Promise<CallToolResult> {
  for (;;) {
    const took = await store.takeRequest(entry.key, entry.fingerprint);
    if (took.state === 'done') return JSON.parse(took.result) as CallToolResult;
    if (took.state === 'other') {
      throw new TaskDbError(
        'CONFLICT',
        `Request id ${entry.id} was already used for another write with different arguments: send this write with a new request id`,
      );
    }
    if (took.state === 'pending') {
      await sleep(PENDING_POLL_MS);
      continue;
    }
    let result: CallToolResult;
    try {
      result = await run();
    } catch (err) {
      await store.dropRequest(entry.key);
      throw err;
    }
    if (failed(result)) await store.dropRequest(entry.key);
    else await finish(store, entry, JSON.stringify(result));
    return result;
  }
}
