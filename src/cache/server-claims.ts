// The claims this machine's sessions hold on a task server that keeps them (the embedded one, a team's server). A
// session's claim in the cache (src/cache/live-sessions.ts) is the wish; this table is what the server was last told.
// The monitor compares the two: a wish not yet told, or told long enough ago, is claimed (again); a claim whose
// session ended or let the task go is released. The server's lease bounds how long a claim outlives a dead monitor.
import type { Cache } from './cache.js';
import { liveSessions, type Liveness } from './live-sessions.js';

export interface ServerClaim {
  sourceKey: string;
  project: string;
  taskId: string;
  sessionId: string;
  /** The session's working directory: the settings (and so the source) that apply to the claim are found from it. */
  root: string;
  leaseSeconds: number;
  /** When the server last took or renewed it. */
  renewedAt: number;
}

interface Row {
  source_key: string;
  project: string;
  task_id: string;
  session_id: string;
  root: string;
  lease_seconds: number;
  renewed_at: number;
}

const fromRow = (r: Row): ServerClaim => ({
  sourceKey: r.source_key,
  project: r.project,
  taskId: r.task_id,
  sessionId: r.session_id,
  root: r.root,
  leaseSeconds: r.lease_seconds,
  renewedAt: r.renewed_at,
});

/** A session's claim the server has just taken or renewed. */
export function recordServerClaim(cache: Cache, c: ServerClaim): void {
  cache.write(() =>
    cache.db
      .prepare(
        `INSERT INTO server_claims (source_key, project, task_id, session_id, root, lease_seconds, renewed_at)
         VALUES (?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (source_key, project, task_id) DO UPDATE SET session_id = excluded.session_id,
           root = excluded.root, lease_seconds = excluded.lease_seconds, renewed_at = excluded.renewed_at`,
      )
      .run(c.sourceKey, c.project, c.taskId, c.sessionId, c.root, c.leaseSeconds, c.renewedAt),
  );
}

/** The server no longer holds it (released, refused, or its lease ran out). */
export function forgetServerClaim(cache: Cache, c: Pick<ServerClaim, 'sourceKey' | 'project' | 'taskId'>): void {
  cache.write(() =>
    cache.db
      .prepare('DELETE FROM server_claims WHERE source_key = ? AND project = ? AND task_id = ?')
      .run(c.sourceKey, c.project, c.taskId),
  );
}

/** What the monitor has to tell servers now. */
export interface ClaimsDue {
  /** Claims of live sessions the server was never told of, or told more than a third of the lease ago. */
  renew: Array<Pick<ServerClaim, 'project' | 'taskId' | 'sessionId' | 'root'>>;
  /** Claims the server holds for a session that ended or let the task go. */
  release: ServerClaim[];
}

/**
 * Compares the sessions' claims with what servers were told. A claim is renewed once a third of its lease has passed,
 * so one missed renewal never lets it lapse.
 */
export function serverClaimsDue(cache: Cache, l: Liveness): ClaimsDue {
  // Ends the sessions that lapsed, and their claims in the cache with them.
  const live = new Map(liveSessions(cache, l).map((s) => [s.sessionId, s]));
  const told = (cache.db.prepare('SELECT * FROM server_claims').all() as Row[]).map(fromRow);
  const wished = cache.db.prepare('SELECT project, task_id, session_id FROM task_claims').all() as Array<
    Pick<Row, 'project' | 'task_id' | 'session_id'>
  >;
  const renew: ClaimsDue['renew'] = [];
  for (const w of wished) {
    const session = live.get(w.session_id);
    if (!session) continue;
    const t = told.find((c) => c.project === w.project && c.taskId === w.task_id && c.sessionId === w.session_id);
    if (t && l.now - t.renewedAt < (t.leaseSeconds * 1000) / 3) continue;
    renew.push({ project: w.project, taskId: w.task_id, sessionId: w.session_id, root: session.cwd });
  }
  const release = told.filter(
    (t) => !wished.some((w) => w.project === t.project && w.task_id === t.taskId && w.session_id === t.sessionId),
  );
  return { renew, release };
}

/** When the first claim a server holds is due for renewal (or for release, if its session is gone by then). */
export function nextRenewalAt(cache: Cache): number | undefined {
  const row = cache.db.prepare('SELECT MIN(renewed_at + lease_seconds * 1000 / 3) AS at FROM server_claims').get() as {
    at: number | null;
  };
  return row.at ?? undefined;
}
