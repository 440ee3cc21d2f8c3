import { scrubString } from '../log/redact.js';
import type { Cache } from './cache.js';
import { nonNull } from '../util/object.js';
import { samePath } from '../util/windows-path.js';

/** A project the monitor keeps fresh: registered by `taskhooks install` and by every SessionStart. */
export interface RegisteredProject {
  root: string;
  name: string;
  sourceKey: string;
  lastSeen: number;
  registeredBy: string;
  lastRefreshAt?: number;
  lastOutcome?: string;
  lastError?: string;
}

/** A project's row, its columns named as RegisteredProject names them: null where nothing was recorded yet. */
type Row = {
  [K in keyof RegisteredProject]-?: undefined extends RegisteredProject[K]
    ? RegisteredProject[K] | null
    : RegisteredProject[K];
};

const COLUMNS =
  'root, name, source_key AS sourceKey, last_seen AS lastSeen, registered_by AS registeredBy, last_refresh_at AS lastRefreshAt, last_outcome AS lastOutcome, last_error AS lastError';

/**
 * How many projects a SessionStart may bring the monitor to follow: each costs it memory and a refresh, and a session's
 * model can start one for any folder. Install registers beyond it; the monitor forgets a project unseen for long.
 */
export const SESSION_PROJECT_LIMIT = 300;

/**
 * Registers (or refreshes the last sighting of) a project. True when the monitor has not been following it under this
 * name and source: a new root, or one now resolving to another project or source. The caller then wakes the monitor,
 * which watches it and fetches its tasks without waiting for its schedule. A blank name is never registered. With
 * `limit`, a new root is not registered once that many are, and 'full' says so.
 */
export function registerProject(
  cache: Cache,
  p: { root: string; name: string; sourceKey: string; registeredBy: string; limit?: number },
  now = Date.now(),
  platform: NodeJS.Platform = process.platform,
): boolean | 'full' {
  // A root whose folder has no name (`/`) names no project: nothing to follow, and an empty name would show as one.
  if (p.name.trim() === '') return false;
  return cache.write(() => {
    const root = knownRoot(cache, p.root, platform);
    const known = cache.db.prepare('SELECT name, source_key AS sourceKey FROM projects WHERE root = ?').get(root) as
      | Pick<Row, 'name' | 'sourceKey'>
      | undefined;
    const n = () => (cache.db.prepare('SELECT COUNT(*) n FROM projects').get() as { n: number }).n;
    if (!known && p.limit && n() >= p.limit) return 'full';
    cache.db
      .prepare(
        `INSERT INTO projects (root, name, source_key, last_seen, registered_by) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT(root) DO UPDATE SET name = excluded.name, source_key = excluded.source_key, last_seen = excluded.last_seen`,
      )
      .run(root, p.name, p.sourceKey, now, p.registeredBy);
    return known?.name !== p.name || known.sourceKey !== p.sourceKey;
  });
}

/**
 * The root as registered: on Windows a project is one folder whatever case a terminal or an agent gives its path in,
 * so the first spelling stays (SQLite's NOCASE folds ASCII letters, which drive letters and most paths are).
 */
function knownRoot(cache: Cache, root: string, platform: NodeJS.Platform): string {
  if (platform !== 'win32') return root;
  const row = cache.db.prepare('SELECT root FROM projects WHERE root = ? COLLATE NOCASE').get(root);
  return (row as { root: string } | undefined)?.root ?? root;
}

export function isProjectRegistered(cache: Cache, name: string, sourceKey: string): boolean {
  return (
    cache.db.prepare('SELECT 1 FROM projects WHERE name = ? AND source_key = ? LIMIT 1').get(name, sourceKey) !==
    undefined
  );
}

export function listProjects(cache: Cache): RegisteredProject[] {
  return (cache.db.prepare(`SELECT ${COLUMNS} FROM projects ORDER BY root`).all() as Row[]).map((r) => nonNull(r));
}

export function recordRefresh(
  cache: Cache,
  root: string,
  outcome: 'ok' | 'error',
  error: string | null,
  at = Date.now(),
): void {
  cache.db
    .prepare('UPDATE projects SET last_refresh_at = ?, last_outcome = ?, last_error = ? WHERE root = ?')
    .run(at, outcome, error === null ? null : scrubString(error), root);
}

/** Drops projects not seen for `days`; returns their roots. */
export function dropStaleProjects(cache: Cache, days: number, now = Date.now()): string[] {
  const cutoff = now - days * 86_400_000;
  return cache.write(() => {
    const stale = cache.db.prepare('SELECT root FROM projects WHERE last_seen < ?').all(cutoff) as Array<{
      root: string;
    }>;
    cache.db.prepare('DELETE FROM projects WHERE last_seen < ?').run(cutoff);
    return stale.map((r) => r.root);
  });
}

/**
 * Forgets a project (`taskhooks uninstall`); true when it was registered. Its cached tasks go with it once no other
 * root follows the same project, so the board stops naming it too (they are fetched again if it comes back).
 */
export function unregisterProject(cache: Cache, given: string, platform: NodeJS.Platform = process.platform): boolean {
  return cache.write(() => {
    // On Windows the folder's every spelling goes: git's `C:/…`, the long-path `\\?\` form, another case.
    const rows = cache.db.prepare('SELECT root, name, source_key AS sourceKey FROM projects').all() as Array<
      Pick<Row, 'root' | 'name' | 'sourceKey'>
    >;
    const gone = rows.filter((r) => samePath(r.root, given, platform));
    for (const row of gone) {
      cache.db.prepare('DELETE FROM projects WHERE root = ?').run(row.root);
      if (!isProjectRegistered(cache, row.name, row.sourceKey))
        cache.db
          .prepare('DELETE FROM task_snapshots WHERE source_key = ? AND project = ?')
          .run(row.sourceKey, row.name);
    }
    return gone.length > 0;
  });
}
