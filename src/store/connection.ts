// tasks.db's one connection: opened through the store's opener (checked, restored from a backup when damaged), every
// write in BEGIN IMMEDIATE so ID counters and reservations stay race-free across connections and processes, and
// reopened when the file at its path is no longer the one it opened (another process restored it).
import { isCorruption, type Db, type Statement } from '../sqlite/index.js';
import { HeldFile } from './tasks-db/held-file.js';
import type { Recovery, StoreFileOptions } from './tasks-db/recover.js';
import { stampSequence, type Stamped } from './sequence.js';

export interface Connection {
  readonly file: string;
  /** The open database: a new one after a reopen, so never keep it across operations. */
  readonly db: Db;
  /** What opening this store (or reopening it) restored from a backup, if it had to. */
  readonly recovered: Recovery | undefined;
  /**
   * The statement for `sql`, prepared on first use and kept: the one way this store prepares SQL. List filters
   * build their SQL per call and repeat the same few shapes, so statements kept by their text are needed for them
   * anyway; fixed statements go through it too, which prepares each once and only when an operation needs it.
   */
  statement(sql: string): Statement;
  /**
   * Runs `fn` in a `BEGIN IMMEDIATE` transaction: writers queue on busy_timeout instead of failing mid-way. A write
   * that changed any row moves the store's generation on.
   */
  write<T>(fn: () => T): T;
  /**
   * Opens a write that stays open across turns of the event loop until `end`: every write on this connection
   * meanwhile is a savepoint of it, so its caller keeps every other caller off the connection until then.
   */
  begin(): OpenWrite;
  /** How many committed writes have changed the store (a copy at the same generation holds the same data). */
  generation(): number;
  /** Notes, inside a write, that the project's tasks (these, if named) or branches changed: listeners hear of it once it commits. */
  changed(projectId: string, taskIds?: readonly string[]): void;
  /** Calls `listener` after every committed write that changed a project's tasks or branches; returns its undo. */
  onChange(listener: ChangeListener): () => void;
  /**
   * `op` as one operation of the store: first the store is reopened if the file at its path was replaced; an op that
   * meets damage has the store reopened (which restores it from a backup) and runs once more.
   */
  guard<A extends unknown[], R>(op: (...args: A) => R): (...args: A) => R;
  close(): void;
}

/** A write left open by `begin`: committed (and told, and the generation moved on) or rolled back by `end`. */
export interface OpenWrite {
  end(commit: boolean): void;
}

/** What a committed write changed in one project: its name, and the tasks written (none for a branch or project). */
export interface StoreChange {
  project: string;
  branch?: string;
  taskIds: string[];
  /** The project's change sequence after this write, when it changed tasks (see `TaskStore.changesSince`). */
  sequence?: number;
}

/** What a committed write changed: the names of the projects whose tasks or branches are not what they were. */
export interface TaskDbChange {
  projects: string[];
  /** The same, per project, with the ids of the tasks written. */
  changes: StoreChange[];
}

/** Runs after the commit, outside the transaction; it must not throw (the write is done either way). */
export type ChangeListener = (change: TaskDbChange) => void;

export type TaskDbOptions = StoreFileOptions;

const BUMP_GENERATION = "UPDATE store_meta SET value = value + 1 WHERE key = 'generation'";

/** Thrown inside a write that finds, holding the write lock, that its file was replaced: rolled back and retried. */
class StoreReplaced extends Error {}

type ChangeTracker = ReturnType<typeof changeTracker>;

/** Every project of the store before and after a reopen is told as changed. */
function reopen(held: HeldFile, tracker: ChangeTracker, why: string): void {
  tracker.notify(held.reopen(why).map((project) => ({ project, taskIds: [] })));
}

const totalChanges = (held: HeldFile): number =>
  (held.statement('SELECT total_changes() AS n').get() as { n: number }).n;

/** One write's transaction: refused inside when the file was replaced, and moving the generation on if rows changed. */
function transact<T>(held: HeldFile, tracker: ChangeTracker, fn: () => T): T {
  return held.db
    .transaction(() => {
      if (held.replaced()) throw new StoreReplaced();
      const before = totalChanges(held);
      const result = fn();
      tracker.stamp();
      if (totalChanges(held) !== before) held.statement(BUMP_GENERATION).run();
      return result;
    })
    .immediate();
}

function write<T>(held: HeldFile, tracker: ChangeTracker, fn: () => T): T {
  // A write inside a write is a savepoint of the outer one: only the outermost commit is news.
  if (held.db.inTransaction) return held.db.transaction(fn).immediate();
  tracker.reset();
  let result: T;
  try {
    result = transact(held, tracker, fn);
  } catch (err) {
    tracker.reset();
    if (!(err instanceof StoreReplaced)) throw err;
    // Replaced while this write waited for the lock: it belongs in the store now at the path.
    reopen(held, tracker, 'the file was replaced while a write waited');
    result = transact(held, tracker, fn);
  }
  tracker.notify(tracker.drain());
  return result;
}

function begin(held: HeldFile, tracker: ChangeTracker): OpenWrite {
  tracker.reset();
  held.db.exec('BEGIN IMMEDIATE');
  if (held.replaced()) {
    held.db.exec('ROLLBACK');
    reopen(held, tracker, 'the file was replaced while a write waited');
    held.db.exec('BEGIN IMMEDIATE');
  }
  const { db } = held;
  const before = totalChanges(held);
  return {
    end(commit) {
      // Not in a transaction any more: SQLite rolled it back itself (a full disk, say), and the caller was told.
      if (!db.inTransaction) return tracker.reset();
      if (!commit) {
        db.exec('ROLLBACK');
        return tracker.reset();
      }
      try {
        tracker.stamp();
        if (totalChanges(held) !== before) held.statement(BUMP_GENERATION).run();
        db.exec('COMMIT');
      } catch (err) {
        if (db.inTransaction) db.exec('ROLLBACK');
        tracker.reset();
        throw err;
      }
      tracker.notify(tracker.drain());
    },
  };
}

function guard<A extends unknown[], R>(
  held: HeldFile,
  tracker: ChangeTracker,
  op: (...args: A) => R,
): (...args: A) => R {
  return (...args) => {
    const { db } = held;
    if (held.closed || db.inTransaction) return op(...args);
    // Closed here means a reopen failed (the store is damaged with no backup): each operation tries again.
    if (!db.open || held.replaced())
      reopen(held, tracker, db.open ? 'the file was replaced' : 'the last reopen failed');
    try {
      return op(...args);
    } catch (err) {
      if (held.db.inTransaction || !isCorruption(err)) throw err;
      reopen(held, tracker, `damage met in use: ${err instanceof Error ? err.message : String(err)}`);
      return op(...args);
    }
  };
}

export function openConnection(file: string, options: TaskDbOptions): Connection {
  const held = new HeldFile(file, options);
  const statement = (sql: string): Statement => held.statement(sql);
  const tracker = changeTracker(statement);
  return withOpenFile(file, held, {
    statement,
    write: (fn) => write(held, tracker, fn),
    begin: () => begin(held, tracker),
    generation: () =>
      (statement("SELECT value FROM store_meta WHERE key = 'generation'").get() as { value: number }).value,
    changed: tracker.changed,
    onChange: tracker.onChange,
    guard: (op) => guard(held, tracker, op),
    close: () => held.close(),
  });
}

/** The open file's face: its database and what opening it restored, both new after a reopen. */
type OpenFile = Pick<Connection, 'file' | 'db' | 'recovered'>;

/** `rest` with the store's `file`, and `from`'s database and recovery read at each use, never kept. */
export function withOpenFile<T extends OpenFile>(
  file: string,
  from: Pick<OpenFile, 'db' | 'recovered'>,
  rest: Omit<T, keyof OpenFile>,
): T {
  return Object.defineProperties(
    { file, ...rest },
    {
      db: { get: () => from.db, enumerable: true },
      recovered: { get: () => from.recovered, enumerable: true },
    },
  ) as T;
}

/**
 * What the write under way changed, by project name (a rename changes what readers call the project, and both names
 * must hear of it) and by project id with its tasks (stamped with the project's change sequence before the write
 * commits), and the listeners told once it has.
 */
function changeTracker(statement: (sql: string) => Statement) {
  const listeners = new Set<ChangeListener>();
  let byName = new Map<string, { projectId: string; ids: Set<string> }>();
  let written = new Map<string, Set<string>>();
  let stamped: Stamped = new Map();
  const reset = (): void => {
    byName = new Map();
    written = new Map();
    stamped = new Map();
  };
  return {
    changed(projectId: string, taskIds: readonly string[] = []): void {
      const row = statement('SELECT name FROM projects WHERE id = ?').get(projectId) as { name: string } | undefined;
      if (!row) return;
      const named = byName.get(row.name) ?? { projectId, ids: new Set<string>() };
      const ids = written.get(projectId) ?? new Set<string>();
      for (const id of taskIds) {
        named.ids.add(id);
        ids.add(id);
      }
      byName.set(row.name, named);
      written.set(projectId, ids);
    },
    /** Inside the write, last: moves the sequences on when tasks, projects or branches changed. */
    stamp(): void {
      stamped = written.size > 0 ? stampSequence(statement, written) : new Map();
    },
    reset,
    drain(): StoreChange[] {
      const at = stamped;
      const changes = [...byName].map(([project, { projectId, ids }]) => {
        const sequence = at.get(projectId);
        return { project, taskIds: [...ids], ...(sequence !== undefined && ids.size > 0 ? { sequence } : {}) };
      });
      reset();
      return changes;
    },
    notify(changes: StoreChange[]): void {
      const projects = changes.map((c) => c.project);
      if (projects.length > 0) for (const listener of listeners) listener({ projects, changes });
    },
    onChange(listener: ChangeListener): () => void {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
