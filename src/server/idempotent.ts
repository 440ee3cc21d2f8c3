// A write tool call that names a request id runs once per id: a retry of one that landed (the client timed out
// waiting, or failed over to another process on the same store) is answered the first answer, not written again.
// An id is the caller's own: the ledger keys it by principal, project, tool and action, so another tenant reusing
// it writes its own task, and the same id sent with another body is refused rather than answered the first answer.
import { createHash } from 'node:crypto';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { TaskStore } from '../store/index.js';
import { TaskDbError } from '../store/errors.js';

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

/**
 * Runs `run` unless `entry` already ran: then its kept answer. The write and its answer are one transaction, so an
 * attempt that fails (or answers a failure), or dies with its process or connection, keeps nothing and a retry
 * writes; one that landed is answered to every retry, and writes nothing again. An attempt of the same key still
 * running elsewhere is waited for. The same key with another body is refused.
 */
export async function once(
  store: TaskStore,
  entry: LedgerEntry,
  failed: (result: CallToolResult) => boolean,
  run: () => Promise<CallToolResult>,
): Promise<CallToolResult> {
  let result: CallToolResult | undefined;
  const ran = await store.runRequest(entry.key, entry.fingerprint, async () => {
    result = await run();
    return failed(result) ? undefined : JSON.stringify(result);
  });
  if (ran.state === 'done') return JSON.parse(ran.result) as CallToolResult;
  if (ran.state === 'other')
    throw new TaskDbError(
      'CONFLICT',
      `Request id ${entry.id} was already used for another write with different arguments: send this write with a new request id`,
    );
  return result as CallToolResult;
}
