import { comparePending, nextTaskOf, type Task } from '../tasks/task.js';
import type { Store } from './store.js';

/** What one successful fetch of a project's pending work produced. */
export interface TaskSnapshot {
  sourceKey: string;
  project: string;
  /** The local git branch the snapshot is for ('' when not in a git repo or detached). */
  branch: string;
  fetchedAt: number;
  /** Which server or transport actually answered (a failover URL, 'embedded', 'stdio:…'). */
  source: string;
  tasks: Task[];
  next: Task | null;
  /** Something the reader should be told, e.g. "branch not registered on the server: project tasks shown". */
  note?: string;
  /** The last failed refresh after this snapshot was taken; the snapshot itself is kept. */
  lastError?: string;
  lastErrorAt?: number;
}

/**
 * The snapshot when it holds fetched tasks. A failed refresh before any success leaves a placeholder row (fetchedAt
 * 0) that only carries the error: that is no data to show or to compare with.
 */
export function fetchedSnapshot(snap: TaskSnapshot | undefined): TaskSnapshot | undefined {
  return snap && snap.fetchedAt > 0 ? snap : undefined;
}

interface Row {
  source_key: string;
  project: string;
  branch: string;
  fetched_at: number;
  source: string;
  tasks: string;
  next_task: string | null;
  note: string | null;
  last_error: string | null;
  last_error_at: number | null;
}

function fromRow(row: Row): TaskSnapshot {
  const snap: TaskSnapshot = {
    sourceKey: row.source_key,
    project: row.project,
    branch: row.branch,
    fetchedAt: row.fetched_at,
    source: row.source,
    tasks: JSON.parse(row.tasks) as Task[],
    next: row.next_task ? (JSON.parse(row.next_task) as Task) : null,
  };
  if (row.note) snap.note = row.note;
  if (row.last_error) snap.lastError = row.last_error;
  if (row.last_error_at !== null) snap.lastErrorAt = row.last_error_at;
  return snap;
}

/** The two tasks a tool call is judged against, read without parsing the whole list. */
export interface SnapshotBrief {
  fetchedAt: number;
  /** The most urgent task in progress. */
  inProgress?: Task;
  /** The server's next task, else the first pending one. */
  next?: Task;
}

function briefOf(tasks: Task[], next: Task | null): Omit<SnapshotBrief, 'fetchedAt'> {
  const brief: Omit<SnapshotBrief, 'fetchedAt'> = {};
  const inProgress = [...tasks].sort(comparePending).find((t) => t.status === 'in_progress');
  if (inProgress) brief.inProgress = inProgress;
  const first = nextTaskOf(tasks, next);
  if (first) brief.next = first;
  return brief;
}

export function readSnapshotBrief(store: Store, sourceKey: string, project: string, branch: string): SnapshotBrief | undefined {
  const row = store.db
    .prepare('SELECT fetched_at, brief FROM task_snapshots WHERE source_key = ? AND project = ? AND branch = ?')
    .get(sourceKey, project, branch) as { fetched_at: number; brief: string | null } | undefined;
  if (!row) return undefined;
  if (row.brief !== null) return { fetchedAt: row.fetched_at, ...(JSON.parse(row.brief) as Omit<SnapshotBrief, 'fetchedAt'>) };
  // A row written before the brief existed (or by recordSnapshotError): derive it from the full snapshot.
  const full = readSnapshot(store, sourceKey, project, branch);
  return full && { fetchedAt: full.fetchedAt, ...briefOf(full.tasks, full.next) };
}

export function readSnapshot(store: Store, sourceKey: string, project: string, branch: string): TaskSnapshot | undefined {
  const row = store.db
    .prepare('SELECT * FROM task_snapshots WHERE source_key = ? AND project = ? AND branch = ?')
    .get(sourceKey, project, branch) as Row | undefined;
  return row ? fromRow(row) : undefined;
}

/** Replaces the snapshot; a successful fetch clears any recorded error. Call inside store.write for atomic batches. */
export function writeSnapshot(store: Store, snap: TaskSnapshot): void {
  store.db
    .prepare(
      `INSERT INTO task_snapshots (source_key, project, branch, fetched_at, source, tasks, next_task, note, last_error, last_error_at, brief)
       VALUES (@source_key, @project, @branch, @fetched_at, @source, @tasks, @next_task, @note, NULL, NULL, @brief)
       ON CONFLICT(source_key, project, branch) DO UPDATE SET fetched_at = excluded.fetched_at, source = excluded.source,
         tasks = excluded.tasks, next_task = excluded.next_task, note = excluded.note, last_error = NULL, last_error_at = NULL,
         brief = excluded.brief`,
    )
    .run({
      source_key: snap.sourceKey,
      project: snap.project,
      branch: snap.branch,
      fetched_at: snap.fetchedAt,
      source: snap.source,
      tasks: JSON.stringify(snap.tasks),
      next_task: snap.next ? JSON.stringify(snap.next) : null,
      note: snap.note ?? null,
      brief: JSON.stringify(briefOf(snap.tasks, snap.next)),
    });
}

/** Records a failed refresh without touching the tasks already cached (an empty snapshot is made if none). */
export function recordSnapshotError(
  store: Store,
  key: { sourceKey: string; project: string; branch: string },
  error: string,
  at = Date.now(),
): void {
  store.db
    .prepare(
      `INSERT INTO task_snapshots (source_key, project, branch, fetched_at, source, tasks, next_task, note, last_error, last_error_at)
       VALUES (?, ?, ?, 0, '', '[]', NULL, NULL, ?, ?)
       ON CONFLICT(source_key, project, branch) DO UPDATE SET last_error = excluded.last_error, last_error_at = excluded.last_error_at`,
    )
    .run(key.sourceKey, key.project, key.branch, error, at);
}
