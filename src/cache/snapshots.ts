import {
  OPEN_STATUSES,
  comparePending,
  nextTaskOf,
  type Task,
  type TaskPriority,
  type TaskStatus,
} from '../tasks/task.js';
import { scrubData, scrubString } from '../log/redact.js';
import type { DeltaCursor } from '../tasks/delta.js';
import { bumpNewsGeneration } from './news-generation.js';
import type { Cache } from './cache.js';

/** What one successful fetch of a project's pending work produced. */
/** How a source is named when the monitor's server answered for it: `built-in store via the monitor`. */
export const VIA_MONITOR = ' via the monitor';

/**
 * The source a snapshot came from without the route it took: a session reading it from the cache reads no monitor,
 * so its header names only the store.
 */
export const sourceWithoutRoute = (source: string): string =>
  source.endsWith(VIA_MONITOR) ? source.slice(0, -VIA_MONITOR.length) : source;

export interface TaskSnapshot {
  sourceKey: string;
  project: string;
  /** The local git branch the snapshot is for ('' when not in a git repo or detached). */
  branch: string;
  fetchedAt: number;
  /** Which server or transport actually answered (a failover URL, 'built-in store', 'built-in store via the monitor', 'stdio:…'). */
  source: string;
  tasks: Task[];
  next: Task | null;
  /** Something the reader should be told, e.g. that no task is tied to the branch and every branch's tasks are shown. */
  note?: string;
  /** The server's own account of the work, as it words it (unsanitised): shown where it gives no readable tasks. */
  text?: string;
  /** The last failed refresh after this snapshot was taken; the snapshot itself is kept. */
  lastError?: string;
  lastErrorAt?: number;
  /** When a change was made that this snapshot does not show yet: it must not be trusted until fetched again. */
  staleSince?: number;
  /** Where the listing stood on a server that numbers its changes: the next fetch asks what changed since. */
  cursor?: DeltaCursor;
}

/** Which snapshot: a source, a project on it, a local branch. */
export interface SnapshotKey {
  sourceKey: string;
  project: string;
  branch: string;
}

/** The key of a scope's snapshot on a source. */
export const snapshotKey = (sourceKey: string, scope: { project: string; branch: string }): SnapshotKey => ({
  sourceKey,
  project: scope.project,
  branch: scope.branch,
});

/**
 * The snapshot (or its brief) when it holds fetched tasks. A failed refresh before any success leaves a placeholder
 * row (fetchedAt 0) that only carries the error: that is no data to show or to compare with.
 */
export function fetchedSnapshot<S extends { fetchedAt: number }>(snap: S | undefined): S | undefined {
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
  text: string | null;
  last_error: string | null;
  last_error_at: number | null;
  stale_since: number | null;
  cursor_sequence: number | null;
  cursor_basis: string | null;
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
  if (row.text) snap.text = row.text;
  if (row.last_error) snap.lastError = row.last_error;
  if (row.last_error_at !== null) snap.lastErrorAt = row.last_error_at;
  if (row.stale_since !== null) snap.staleSince = row.stale_since;
  if (row.cursor_sequence !== null && row.cursor_basis !== null)
    snap.cursor = { sequence: row.cursor_sequence, basis: row.cursor_basis };
  return snap;
}

/** The two tasks a tool call is judged against, read without parsing the whole list. */
export interface SnapshotBrief {
  fetchedAt: number;
  /** A change was made that the snapshot does not show yet. */
  stale: boolean;
  /** The most urgent task in progress. */
  inProgress?: Task;
  /** The server's next task, else the first pending one. */
  next?: Task;
  /** The server answered in words taskhooks cannot read as tasks: what is in progress is unknown, not "nothing". */
  tasksUnknown?: true;
}

type Brief = Omit<SnapshotBrief, 'fetchedAt' | 'stale'>;

function briefOf(tasks: Task[], next: Task | null, text?: string): Brief {
  const brief: Brief = {};
  if (tasks.length === 0 && text) brief.tasksUnknown = true;
  const inProgress = [...tasks].sort(comparePending).find((t) => t.status === 'in_progress');
  if (inProgress) brief.inProgress = inProgress;
  const first = nextTaskOf(tasks, next);
  if (first) brief.next = first;
  return brief;
}

export function readSnapshotBrief(cache: Cache, key: SnapshotKey): SnapshotBrief | undefined {
  const row = cache.db
    .prepare(
      'SELECT fetched_at, brief, stale_since FROM task_snapshots WHERE source_key = ? AND project = ? AND branch = ?',
    )
    .get(key.sourceKey, key.project, key.branch) as
    | { fetched_at: number; brief: string | null; stale_since: number | null }
    | undefined;
  if (!row) return undefined;
  const stale = row.stale_since !== null;
  if (row.brief !== null) return { fetchedAt: row.fetched_at, stale, ...(JSON.parse(row.brief) as Brief) };
  // A row written before the brief existed (or by recordSnapshotError): derive it from the full snapshot.
  const full = readSnapshot(cache, key);
  return full && { fetchedAt: full.fetchedAt, stale, ...briefOf(full.tasks, full.next, full.text) };
}

export function readSnapshot(cache: Cache, key: SnapshotKey): TaskSnapshot | undefined {
  const row = cache.db
    .prepare('SELECT * FROM task_snapshots WHERE source_key = ? AND project = ? AND branch = ?')
    .get(key.sourceKey, key.project, key.branch) as Row | undefined;
  return row ? fromRow(row) : undefined;
}

/**
 * Replaces the snapshot and returns it as written: the server's text with registered secrets removed (scrubData), as
 * the session and the dashboard will see it. A successful fetch clears any recorded error. `startedAt` is when the
 * fetch began: a stale mark made after it stays, because the fetch may have read the server before that change. Like
 * every write here it opens its own transaction; inside a caller's it becomes a savepoint, so batches stay atomic.
 */
export function writeSnapshot(cache: Cache, snap: TaskSnapshot, startedAt = snap.fetchedAt): TaskSnapshot {
  const { snapshot, written } = cache.write(() => putSnapshot(cache, snap, startedAt));
  // After the commit, so a prompt never reads the old rows under the new generation.
  if (written) bumpNewsGeneration(cache);
  return snapshot;
}

/**
 * writeSnapshot's row alone, inside the caller's transaction, and without bumping the news generation: for a caller
 * that bumps it once for several changes (src/cache/task-writes.ts). `written` is false when a later listing won.
 */
export function putSnapshot(
  cache: Cache,
  snap: TaskSnapshot,
  startedAt: number,
): { snapshot: TaskSnapshot; written: boolean } {
  const snapshot = scrubData(snap);
  return { snapshot, written: writeSnapshotRow(cache, snapshot, startedAt) };
}

/** A fetch that began before a later listing of the same server's was written (a pushed patch) does not undo it. */
function writeSnapshotRow(cache: Cache, snap: TaskSnapshot, startedAt: number): boolean {
  return (
    cache.db
      .prepare(
        `INSERT INTO task_snapshots (source_key, project, branch, fetched_at, source, tasks, next_task, note, text, last_error, last_error_at, brief, cursor_sequence, cursor_basis)
       VALUES (@source_key, @project, @branch, @fetched_at, @source, @tasks, @next_task, @note, @text, NULL, NULL, @brief, @cursor_sequence, @cursor_basis)
       ON CONFLICT(source_key, project, branch) DO UPDATE SET fetched_at = excluded.fetched_at, source = excluded.source,
         tasks = excluded.tasks, next_task = excluded.next_task, note = excluded.note, text = excluded.text, last_error = NULL, last_error_at = NULL,
         brief = excluded.brief, cursor_sequence = excluded.cursor_sequence, cursor_basis = excluded.cursor_basis, stale_since = CASE WHEN stale_since > @started_at THEN stale_since END,
         refresh_due = CASE WHEN refresh_due > @started_at THEN refresh_due END
       WHERE NOT COALESCE(task_snapshots.cursor_basis = excluded.cursor_basis
         AND task_snapshots.cursor_sequence > excluded.cursor_sequence AND task_snapshots.fetched_at > @started_at, 0)`,
      )
      .run({
        started_at: startedAt,
        source_key: snap.sourceKey,
        project: snap.project,
        branch: snap.branch,
        fetched_at: snap.fetchedAt,
        source: snap.source,
        tasks: JSON.stringify(snap.tasks),
        next_task: snap.next ? JSON.stringify(snap.next) : null,
        note: snap.note ?? null,
        text: snap.text ?? null,
        brief: JSON.stringify(briefOf(snap.tasks, snap.next, snap.text)),
        cursor_sequence: snap.cursor?.sequence ?? null,
        cursor_basis: snap.cursor?.basis ?? null,
      }).changes > 0
  );
}

/** The snapshots of a project on a source, one per local branch. */
export function projectSnapshotKeys(cache: Cache, sourceKey: string, project: string): SnapshotKey[] {
  const rows = cache.db
    .prepare('SELECT branch FROM task_snapshots WHERE source_key = ? AND project = ?')
    .all(sourceKey, project) as Array<{ branch: string }>;
  return rows.map((r) => ({ sourceKey, project, branch: r.branch }));
}

/** Records a failed refresh without touching the tasks already cached (an empty snapshot is made if none). */
export function recordSnapshotError(cache: Cache, key: SnapshotKey, error: string, at = Date.now()): void {
  cache.db
    .prepare(
      `INSERT INTO task_snapshots (source_key, project, branch, fetched_at, source, tasks, next_task, note, last_error, last_error_at)
       VALUES (?, ?, ?, 0, '', '[]', NULL, NULL, ?, ?)
       ON CONFLICT(source_key, project, branch) DO UPDATE SET last_error = excluded.last_error, last_error_at = excluded.last_error_at`,
    )
    .run(key.sourceKey, key.project, key.branch, scrubString(error), at);
  bumpNewsGeneration(cache);
}

// A mark holds the latest change, not the first: a fetch that began between two changes must not clear the second.

/** A change a source announced with its sequence: that source's snapshots whose cursor has reached it show it. */
export interface AnnouncedChange {
  sourceKey: string;
  sequence: number;
}

/**
 * Marks every snapshot of `project` stale (on every source and branch: a write names the project, and a project name
 * means the same work wherever it is cached), but those of `seen.sourceKey` that already show `seen.sequence`.
 * Returns how many snapshots it marked.
 */
export function markProjectStale(cache: Cache, project: string, at = Date.now(), seen?: AnnouncedChange): number {
  const marked = cache.write(() => markProjectRows(cache, project, at, seen).length);
  // A running session hears of the change at its next prompt, which fetches what the stale mark distrusts.
  if (marked > 0) bumpNewsGeneration(cache);
  return marked;
}

/** markProjectStale's rows alone, inside the caller's transaction and without the bump: the keys it marked. */
export function markProjectRows(cache: Cache, project: string, at: number, seen?: AnnouncedChange): SnapshotKey[] {
  const rows = cache.db
    .prepare(
      `UPDATE task_snapshots SET stale_since = MAX(COALESCE(stale_since, 0), @at) WHERE project = @project
       AND NOT (source_key IS @source_key AND COALESCE(cursor_sequence, -1) >= @sequence)
       RETURNING source_key, branch`,
    )
    .all({ at, project, source_key: seen?.sourceKey ?? null, sequence: seen?.sequence ?? null }) as Array<{
    source_key: string;
    branch: string;
  }>;
  return rows.map((r) => ({ sourceKey: r.source_key, project, branch: r.branch }));
}

/** Marks one snapshot stale; false when there is none (nothing cached, nothing to distrust). */
export function markSnapshotStale(cache: Cache, key: SnapshotKey, at = Date.now()): boolean {
  const marked = cache.write(
    () =>
      cache.db
        .prepare(
          'UPDATE task_snapshots SET stale_since = MAX(COALESCE(stale_since, 0), ?) WHERE source_key = ? AND project = ? AND branch = ?',
        )
        .run(at, key.sourceKey, key.project, key.branch).changes > 0,
  );
  if (marked) bumpNewsGeneration(cache);
  return marked;
}

/**
 * Asks for a fetch of one snapshot (a placeholder row is made when there is none): a woken monitor lists it among the
 * snapshots due. The snapshot is not marked stale: what it shows is no less true for being asked about.
 */
export function requestSnapshotFetch(cache: Cache, key: SnapshotKey, at = Date.now()): void {
  cache.write(() =>
    cache.db
      .prepare(
        `INSERT INTO task_snapshots (source_key, project, branch, fetched_at, source, tasks, refresh_due) VALUES (?, ?, ?, 0, '', '[]', ?)
         ON CONFLICT(source_key, project, branch) DO UPDATE SET refresh_due = COALESCE(refresh_due, excluded.refresh_due)`,
      )
      .run(key.sourceKey, key.project, key.branch, at),
  );
}

/**
 * What a tool call changed about one task, as its answer said: the task's new status (and title or priority when the
 * answer gave them), or that the task is gone.
 */
export type SnapshotTaskEdit =
  | { id: string; removed: true }
  | { id: string; status: TaskStatus; title?: string; priority?: TaskPriority };

export interface SnapshotPatch {
  /** The ids the snapshot held, now changed (or gone from the pending list). */
  patched: string[];
  /** The ids it did not hold (or there was no fetched snapshot): what they changed is unknown, so it was marked stale. */
  unknown: string[];
}

/** The task after `edit`, or nothing when it is no longer pending work. */
function edited(task: Task, edit: SnapshotTaskEdit): Task | undefined {
  if ('removed' in edit || !OPEN_STATUSES.includes(edit.status)) return undefined;
  const out: Task = { ...task, status: edit.status };
  if (edit.title !== undefined) out.title = edit.title;
  if (edit.priority !== undefined) out.priority = edit.priority;
  return out;
}

/**
 * Applies changes a session made through its task server to the cached snapshot at once, brief included, so the next
 * hook shows them without a fetch. A change to a task the snapshot does not hold (a reopened or unseen task) cannot be
 * applied: the snapshot is marked stale instead, in the same transaction. The fetch time and any stale mark are left
 * alone: a patch shows one change, it does not make the rest of the snapshot any fresher.
 */
export function patchSnapshotTasks(
  cache: Cache,
  key: SnapshotKey,
  edits: readonly SnapshotTaskEdit[],
  at = Date.now(),
): SnapshotPatch {
  return cache.write(() => {
    const snap = fetchedSnapshot(readSnapshot(cache, key));
    const result: SnapshotPatch = { patched: [], unknown: [] };
    let tasks = snap?.tasks ?? [];
    let next = snap?.next ?? null;
    for (const edit of edits) {
      if (!snap || !(tasks.some((t) => t.id === edit.id) || next?.id === edit.id)) {
        result.unknown.push(edit.id);
        continue;
      }
      result.patched.push(edit.id);
      // A tool's answer is the server's text too.
      const clean = scrubData(edit);
      tasks = tasks.flatMap((t) => (t.id === edit.id ? (edited(t, clean) ?? []) : [t]));
      if (next?.id === edit.id) next = edited(next, clean) ?? null;
    }
    if (result.patched.length > 0) {
      cache.db
        .prepare(
          `UPDATE task_snapshots SET tasks = ?, next_task = ?, brief = ?, refresh_due = COALESCE(refresh_due, ?)
           WHERE source_key = ? AND project = ? AND branch = ?`,
        )
        // The patch shows what the answer said; the rest of the server's state (a next task, a dependency) needs a fetch.
        .run(
          JSON.stringify(tasks),
          next ? JSON.stringify(next) : null,
          JSON.stringify(briefOf(tasks, next)),
          at,
          key.sourceKey,
          key.project,
          key.branch,
        );
    }
    if (result.unknown.length > 0) markSnapshotStale(cache, key, at);
    else if (result.patched.length > 0) bumpNewsGeneration(cache);
    return result;
  });
}

/**
 * The snapshots due for a fetch, oldest first: those a change marked stale (hooks distrust them) and those patched
 * from a tool's answer (trusted meanwhile). What the monitor fetches again when it wakes.
 */
export function listSnapshotsDue(cache: Cache): SnapshotKey[] {
  const rows = cache.db
    .prepare(
      `SELECT source_key, project, branch FROM task_snapshots WHERE stale_since IS NOT NULL OR refresh_due IS NOT NULL
       ORDER BY MIN(COALESCE(stale_since, refresh_due), COALESCE(refresh_due, stale_since))`,
    )
    .all() as Array<{ source_key: string; project: string; branch: string }>;
  return rows.map((r) => snapshotKey(r.source_key, r));
}
