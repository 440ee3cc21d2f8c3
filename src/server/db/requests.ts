// Request ids of writes: the first attempt takes its id, runs, and keeps its answer; a retry of the same id (the
// client timed out, or failed over to another process on the same store) is answered that answer instead of writing
// again. Shared by both engines: the rules here, the rows in each engine's own table.
import { isProcessAlive } from '../../util/file-lock.js';
import type { Connection } from './connection.js';

/** How long an answer is kept for a retry: far longer than any client retries. */
export const REQUEST_TTL_MS = 24 * 60 * 60 * 1000;
/**
 * A first attempt still running after this long is taken to have died with its process: a retry runs it again. On
 * SQLite, where every attempt runs on this machine, only once its process is gone too (a monitor starved by fifty
 * writers can take longer than this, and a retry beside it would write twice), or after REQUEST_OWNER_TRUSTED_MS,
 * should the pid have been reused.
 */
export const REQUEST_ABANDONED_MS = 60 * 1000;
const REQUEST_OWNER_TRUSTED_MS = 15 * 60 * 1000;

/**
 * What taking a request id found: it is the caller's to run, another attempt's answer, another attempt running, or
 * the key taken by a request that asked for something else (another fingerprint).
 */
export type RequestTake =
  | { state: 'taken' }
  | { state: 'done'; result: string }
  | { state: 'pending' }
  | { state: 'other' };

export interface RequestLedger {
  /**
   * Takes `key` for this attempt unless another attempt took it (and still runs, or finished); `fingerprint` is a
   * digest of what the request asks for, which a retry must repeat.
   */
  takeRequest(key: string, fingerprint: string): RequestTake;
  /** Keeps the answer of the attempt that took `key`. */
  finishRequest(key: string, result: string): void;
  /** Lets `key` go after a failed attempt: a retry runs the write again. */
  dropRequest(key: string): void;
}

/** The SQLite ledger: each step one `BEGIN IMMEDIATE` write, so two processes never both take one key. */
export function requestLedger(c: Connection): RequestLedger {
  return {
    takeRequest: (key, fingerprint) =>
      c.write(() => {
        const at = Date.now();
        c.statement('DELETE FROM write_requests WHERE taken_at < ?').run(at - REQUEST_TTL_MS);
        const row = c
          .statement('SELECT result, taken_at, fingerprint, owner_pid FROM write_requests WHERE key = ?')
          .get(key) as { result: string | null; taken_at: number; fingerprint: string; owner_pid: number } | undefined;
        if (row && row.fingerprint !== fingerprint) return { state: 'other' };
        if (row?.result != null) return { state: 'done', result: row.result };
        if (row && row.taken_at > at - REQUEST_ABANDONED_MS) return { state: 'pending' };
        if (row && row.taken_at > at - REQUEST_OWNER_TRUSTED_MS && isProcessAlive(row.owner_pid))
          return { state: 'pending' };
        c.statement(
          `INSERT INTO write_requests (key, result, taken_at, fingerprint, owner_pid) VALUES (?, NULL, ?, ?, ?)
           ON CONFLICT (key) DO UPDATE SET taken_at = excluded.taken_at, owner_pid = excluded.owner_pid`,
        ).run(key, at, fingerprint, process.pid);
        return { state: 'taken' };
      }),
    finishRequest: (key, result) =>
      c.write(() => {
        c.statement('UPDATE write_requests SET result = ? WHERE key = ?').run(result, key);
      }),
    dropRequest: (key) =>
      c.write(() => {
        c.statement('DELETE FROM write_requests WHERE key = ? AND result IS NULL').run(key);
      }),
  };
}
