// Request ids of writes: a request is one transaction that takes its id, runs the write and keeps its answer, so a
// retry of the same id (the client timed out, or failed over to another process on the same store, or the first
// process died) is answered that answer and writes nothing, and an attempt that died kept nothing at all. Shared by
// both engines: the rules here, the rows in each engine's own table.
import type { Connection, OpenWrite } from './connection.js';

/** How long an answer is kept for a retry: far longer than any client retries. */
export const REQUEST_TTL_MS = 24 * 60 * 60 * 1000;
/**
 * What running a request came to: it ran (its answer kept with its writes, or, answered undefined, nothing kept),
 * an attempt of it had already kept its answer, or its key was taken by a request that asked for something else.
 */
export type RequestRun = { state: 'ran' } | { state: 'done'; result: string } | { state: 'other' };

export interface RequestLedger {
  /**
   * Opens `key`'s transaction with the key taken (`open`), unless an attempt of it kept its answer or the key was
   * taken with another `fingerprint` (a digest of what the request asks for): then nothing is left open. The caller
   * keeps every other call off this connection until `closeRequest`.
   */
  openRequest(key: string, fingerprint: string): RequestRun | { state: 'open' };
  /** Ends the open request: `answer` kept with its writes, or, when undefined, all of them rolled back. */
  closeRequest(key: string, answer: string | undefined): void;
}

/** The SQLite ledger: the request's transaction a `BEGIN IMMEDIATE` left open while its write runs. */
export function requestLedger(c: Connection): RequestLedger {
  let open: OpenWrite | undefined;
  return {
    openRequest: (key, fingerprint) => {
      const at = Date.now();
      const w = c.begin();
      try {
        c.statement('DELETE FROM write_requests WHERE taken_at < ?').run(at - REQUEST_TTL_MS);
        const row = c.statement('SELECT result, fingerprint FROM write_requests WHERE key = ?').get(key) as
          | { result: string | null; fingerprint: string }
          | undefined;
        // A row without an answer was left by an attempt of the old two-step ledger: nothing of it is kept.
        if (row?.result != null) {
          w.end(false);
          return row.fingerprint === fingerprint ? { state: 'done', result: row.result } : { state: 'other' };
        }
        c.statement(
          `INSERT INTO write_requests (key, result, taken_at, fingerprint, owner_pid) VALUES (?, NULL, ?, ?, ?)
           ON CONFLICT (key) DO UPDATE SET taken_at = excluded.taken_at, fingerprint = excluded.fingerprint`,
        ).run(key, at, fingerprint, process.pid);
      } catch (err) {
        w.end(false);
        throw err;
      }
      open = w;
      return { state: 'open' };
    },
    closeRequest: (key, answer) => {
      const w = open;
      open = undefined;
      if (!w) return;
      try {
        if (answer !== undefined) c.statement('UPDATE write_requests SET result = ? WHERE key = ?').run(answer, key);
      } catch (err) {
        w.end(false);
        throw err;
      }
      w.end(answer !== undefined);
    },
  };
}
